"""Track records of designers and clients, computed from messages, cases and reviews."""
