"""Privacy: a user's data export, gathered from every area (profile, cases, messages, money).

It sits above the areas it reads (payments among them), so it is not in `legal`, which the
accounts package below uses for the terms accepted at sign-up."""
