"""Legal documents (terms, privacy, cookies, legal notice), their versions and their acceptance,
and the data a user can take away (the export ZIP)."""
