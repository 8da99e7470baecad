"""Moderation: review queues, verification, violations and suspension (the audit trail is `audit`, text screening `screening`)."""
