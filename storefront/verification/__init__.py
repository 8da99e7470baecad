"""Identity verification (KYC) for designers: the upload under Settings > Payments."""
