"""Off-platform contact filter: text in, findings out.

The platform forbids exchanging e-mail addresses, phone numbers, messaging-app or social
accounts, outside links, and arranging payment off the platform (PRODUCT.md §4). This package
finds them in messages, profiles, listings, reviews and case instructions, also when they
are disguised, while leaving ordinary dental CAD talk (tooth numbers, measurements, prices,
dates, case IDs, file names, shades, @-mentions of people on the platform) alone.

    >>> from nlp import find_contacts
    >>> [(f.kind, f.text) for f in find_contacts("add me on insta @smile.lab")]
    [('social', 'add me on insta @smile.lab')]

It imports nothing from the web application. Its matchers are built once per process, when
it is imported (under half a second with spaCy's own import).
"""

from nlp.findings import KINDS, Finding
from nlp.pipeline import DEFAULT_ALLOWED_DOMAINS, find_contacts

__all__ = ["DEFAULT_ALLOWED_DOMAINS", "KINDS", "Finding", "find_contacts"]
