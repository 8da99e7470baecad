"""A job that outlives a test's patience, for killing its work horse mid-run."""

import time


def sleep_long() -> None:
    time.sleep(120)
