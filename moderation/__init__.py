"""Moderation: review queues, verification, violations, suspension, and the audit log."""
