"""Lab teams: organisation accounts whose members share the cases their clients send."""
