"""The suite's fixtures live in tests/fixtures/, one plugin per subject (Indico's layout): a test
folder uses any of them without importing another folder's conftest. A folder's own conftest.py
holds only what applies to that folder alone."""

pytest_plugins = (
    "tests.fixtures.app",
    "tests.fixtures.stripe",
    "tests.fixtures.storage",
    "tests.fixtures.browser",
)
