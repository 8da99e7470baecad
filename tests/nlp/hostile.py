"""Hostile input: text built to make regular expressions backtrack, and very long messages.
The test suite checks the filter answers them correctly; bench/nlp_contacts.py times them."""

from __future__ import annotations

CASES = {
    "address pieces": "see gmail.com at " + "_".join(["ab"] * 40) + "_ !",
    "address dots": "gmail.com at " + ".".join(["a"] * 300) + " x",
    "address dot words": "gmail.com at " + " dot ".join(["ab"] * 150) + " at nowhere",
    "tooth list that fails at the end": "teeth " + "  ".join(["11"] * 80) + ".5",
    "number list that fails at the end": " , ".join(["12"] * 120) + ".5",
    "one long number": "1" * 5000,
    "spaced letters": " ".join("abcd" * 300),
    "dotted letters": ".".join("abcd" * 300),
    "at signs": "@" * 5000 + " gmail.com",
    "hyphens": "-".join(["a"] * 800) + ".com",
    "dots before a link": "www." + "a." * 800 + "zz",
    "number words": " ".join(["six douze"] * 400),
    "a long thread": "Check 11 12 13, margin 0.05 mm, call me on +33 6 12 34 56 78. " * 150,
}
