"""The public and signed-in web: blueprints and forms, no business rules."""
