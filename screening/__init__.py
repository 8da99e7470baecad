"""Text screening where text enters the platform: contact details are refused and the attempt kept.

A bottom-floor package: every domain that accepts text calls it; it imports only models, extensions and nlp."""
