"""Messaging: conversations, case threads, mail and notifications."""
