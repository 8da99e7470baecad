"""Demo data for `make run` and `flask seed-demo`: realistic, and safe to run again."""
