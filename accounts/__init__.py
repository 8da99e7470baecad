"""Accounts: sign-up, confirmation, credentials, closing an account, staff roles."""
