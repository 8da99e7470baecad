"""The audit trail: every staff action and automatic decision, and who on the staff reads which entries.

A bottom-floor package: every domain writes to it, it imports only models and extensions."""
