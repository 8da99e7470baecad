"""The helper threads: results and failures come back to the caller, on either side."""

from __future__ import annotations

import hashlib
import os

import pytest

from files.pipeline import BackgroundSha256, BufferPool, Cancelled, read_ahead, write_behind

pytestmark = pytest.mark.no_app_context


def test_the_background_digest_is_sha256():
    pieces = [os.urandom(n) for n in (0, 1, 5000, 1 << 20)] + [bytearray(b"reused buffer")]

    with BackgroundSha256() as digest:
        for piece in pieces:
            digest.update(piece)
        found = digest.hexdigest()

    assert found == hashlib.sha256(b"".join(pieces)).hexdigest()


def test_write_behind_returns_what_the_consumer_made():
    assert write_behind(lambda stream: [x * 2 for x in stream], iter(range(100))) == [x * 2 for x in range(100)]


def test_a_failing_producer_cancels_the_consumer_and_its_error_comes_back():
    seen = []

    def consume(stream):
        try:
            for item in stream:
                seen.append(item)
        except Cancelled:
            seen.append("cleaned up")
            raise

    def produce():
        yield 1
        yield 2
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        write_behind(consume, produce())
    assert seen == [1, 2, "cleaned up"]


def test_a_failing_consumer_stops_the_producer():
    produced = []

    def produce():
        for n in range(10_000):
            produced.append(n)
            yield n

    def consume(stream):
        next(iter(stream))
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_behind(consume, produce())
    assert len(produced) < 10_000


def test_a_buffer_pool_hands_back_what_it_was_given_and_keeps_only_a_few():
    pool = BufferPool(keep=2)
    first, second, third = pool.take(64), pool.take(64), pool.take(64)
    for buffer in (first, second, third):
        pool.give_back(buffer)

    again = [pool.take(64), pool.take(64), pool.take(64)]
    assert {id(b) for b in again[:2]} == {id(first), id(second)}  # the third was let go
    assert all(b is not third for b in again) and len(again[2]) == 64
    assert len(pool.take(32)) == 32  # other sizes are made as asked


def test_read_ahead_gives_every_item_in_order_from_another_thread():
    import threading

    threads = []

    def produce():
        for n in range(50):
            threads.append(threading.current_thread())
            yield n

    assert list(read_ahead(produce())) == list(range(50))
    assert threading.current_thread() not in threads


def test_read_ahead_raises_the_producers_error_where_it_happened():
    def produce():
        yield b"first chunk"
        raise ValueError("chunk 2 failed its integrity check")

    received = []
    with pytest.raises(ValueError, match="integrity"):
        for item in read_ahead(produce()):
            received.append(item)
    assert received == [b"first chunk"]


def test_closing_read_ahead_early_stops_the_producer_and_closes_its_source():
    events = []

    def produce():
        try:
            for n in range(10_000):
                events.append(n)
                yield n
        finally:
            events.append("source closed")

    stream = read_ahead(produce(), depth=2)
    assert next(stream) == 0
    stream.close()  # a client gone mid-download

    assert events[-1] == "source closed"
    assert len(events) < 10  # it stopped a few items ahead, not at the end
