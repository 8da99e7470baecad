"""A bench phase timed: wall and CPU seconds and the growth of resident memory (RSS) while it runs,
and the yardstick it is compared with, a plain copy of the same file on the same disk (fsync'd).
Used by bench/files.py; Linux only (/proc)."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

BLOCK = 1024 * 1024


def rss_bytes(pid: int | str = "self") -> int:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRSS:
    """Samples a process's RSS every few milliseconds while a phase runs; `.growth` is peak − start."""

    def __init__(self, pid: int | str = "self"):
        self.pid = pid

    def __enter__(self):
        self.start = self.peak = rss_bytes(self.pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_bytes(self.pid))

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes(self.pid))
        self.growth = self.peak - self.start


def blocks(path: Path, size: int = BLOCK):
    with open(path, "rb") as source:
        while block := source.read(size):
            yield block


def make_source(path: Path, size: int) -> None:
    pattern = os.urandom(16 * BLOCK)  # incompressible; repeating it costs nothing to make
    with open(path, "wb") as out:
        left = size
        while left:
            left -= out.write(pattern[: min(left, len(pattern))])


def timed(name: str, size: int, run, pid: int | str = "self") -> dict:
    os.sync()  # no phase pays for the dirty pages of the one before
    with PeakRSS(pid) as memory:
        started, cpu = time.perf_counter(), time.process_time()
        run()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    row = {"name": name, "seconds": seconds, "cpu": cpu, "mb_s": size / seconds / 1e6, "rss_mb": memory.growth / 1e6}
    if os.environ.get("BENCH_VERBOSE"):
        print(f"  {name:<18}{seconds:>7.2f} s", file=sys.stderr, flush=True)
    return row


def plain_copy(source: Path, target: Path) -> None:
    with open(target, "wb") as out:
        for block in blocks(source):
            out.write(block)
        durable(out)


def durable(out) -> None:
    """On disk, not only in the page cache: as the local storage backend leaves what it stores."""
    out.flush()
    os.fsync(out.fileno())
