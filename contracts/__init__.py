"""Monthly contracts: a designer's set number of cases a month for one client, paid month by month."""
