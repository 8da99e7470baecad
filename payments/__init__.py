"""Payments: fees, the double-entry ledger, gateways (Stripe, sandbox), webhooks, invoices."""
