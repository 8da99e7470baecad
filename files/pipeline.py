"""Threads that keep the second core busy while this one encrypts or decrypts.

Hashing (hashlib releases the GIL on buffers over 2 KiB) and disk or network I/O run
beside the thread that encrypts, so storing a file costs about the slowest of these steps
instead of their sum. Each helper hands pieces over through a small bounded queue, so
memory stays flat, and brings a failure on either side back to the caller's thread.
"""

from __future__ import annotations

import hashlib
import queue
import threading
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
_END = object()
_CANCEL = object()
_WAIT = 0.05  # seconds between checks that the other side is still there


class Cancelled(Exception):
    """The producer failed: the consumer's stream ends in this error so it can clean up."""


class BackgroundSha256:
    """SHA-256 in a thread. Use as a context manager; `update()` pieces, then `hexdigest()`."""

    def __init__(self, depth: int = 4):
        self._pieces: queue.Queue = queue.Queue(maxsize=depth)
        self._digest = hashlib.sha256()
        self._thread = threading.Thread(target=self._run, name="sha256", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (piece := self._pieces.get()) is not _END:
            self._digest.update(piece)

    def update(self, piece: bytes) -> None:
        # Immutable bytes only: a caller's reused buffer could change before it is hashed.
        self._pieces.put(piece if isinstance(piece, bytes) else bytes(piece))

    def hexdigest(self) -> str:
        self._finish()
        return self._digest.hexdigest()

    def _finish(self) -> None:
        if self._thread.is_alive():
            self._pieces.put(_END)
            self._thread.join()

    def __enter__(self) -> "BackgroundSha256":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._finish()


def write_behind(consume: Callable[[Iterable[Any]], T], items: Iterable[Any], *, depth: int = 2) -> T:
    """Run consume(stream) in a thread while `items` are produced here; return its result.

    If producing raises, the consumer's stream raises Cancelled (so a storage write aborts
    and removes what it wrote) and the producer's error is raised here. If the consumer
    raises, production stops and the consumer's error is raised here.
    """
    handover: queue.Queue = queue.Queue(maxsize=depth)
    outcome: dict[str, Any] = {}

    def stream() -> Iterator[Any]:
        while (item := handover.get()) is not _END:
            if item is _CANCEL:
                raise Cancelled()
            yield item

    def work() -> None:
        try:
            outcome["result"] = consume(stream())
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="write-behind", daemon=True)
    worker.start()

    def hand_over(item: Any) -> bool:
        return _put_while(handover, item, worker.is_alive)

    try:
        for item in items:
            if not hand_over(item):
                break
        hand_over(_END)
    except BaseException:
        hand_over(_CANCEL)
        worker.join()
        raise
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _put_while(handover: queue.Queue, item: Any, other_side_there: Callable[[], bool]) -> bool:
    """Put `item` in the queue unless the other side goes away first; whether it was put."""
    while other_side_there():
        try:
            handover.put(item, timeout=_WAIT)
            return True
        except queue.Full:
            continue
    return False


class _Failure:
    def __init__(self, error: BaseException):
        self.error = error


def read_ahead(items: Iterable[T], *, depth: int = 2) -> Iterator[T]:
    """The items, produced in a thread up to `depth` ahead of the consumer.

    A download decrypts the next chunks while the web server sends this one. An error in
    the producer is raised here at the point it happened; closing this iterator early (a
    client gone mid-download) stops the producer and closes `items` in its thread.
    """
    handover: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(item: Any) -> bool:
        return _put_while(handover, item, lambda: not stop.is_set())

    def work() -> None:
        iterator = iter(items)
        try:
            for item in iterator:
                if not hand_over(item):
                    return
            hand_over(_END)
        except BaseException as exc:  # noqa: BLE001 - handed back to the consumer's thread
            hand_over(_Failure(exc))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # a generator is closed in the thread that ran it

    worker = threading.Thread(target=work, name="read-ahead", daemon=True)
    worker.start()
    try:
        while (item := handover.get()) is not _END:
            if isinstance(item, _Failure):
                raise item.error
            yield item
    finally:
        stop.set()
        worker.join()


class BufferPool:
    """Part-sized bytearrays handed back and forth instead of allocated anew for each part.

    A fresh buffer of megabytes is zeroed, and each request thread's allocator keeps its own
    freed ones (glibc arenas): reused buffers save that time and keep a web process's memory
    from growing with every thread that ever received an upload. At most `keep` buffers of
    each size wait here; a buffer must not be given back while anything still reads it.
    """

    def __init__(self, keep: int = 4):
        self._keep = keep
        self._free: dict[int, list[bytearray]] = {}
        self._lock = threading.Lock()

    def take(self, size: int) -> bytearray:
        """A buffer of exactly `size` bytes, with whatever its last user left in it."""
        with self._lock:
            free = self._free.get(size)
            if free:
                return free.pop()
        return bytearray(size)

    def give_back(self, buffer: bytearray) -> None:
        with self._lock:
            free = self._free.setdefault(len(buffer), [])
            if len(free) < self._keep:
                free.append(buffer)
