"""Custom offers: a designer's terms for one client, sent in their conversation (see models.offers)."""
