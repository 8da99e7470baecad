"""Benchmark: a large file through storage + encryption, against a plain copy on the same disk.

    .venv/bin/python bench/files.py [--size-mb 1024] [--dir PATH] [--storage-url s3://…] [--server werkzeug]

Phases, each timed and watched for resident memory (RSS) growth:
    plain copy        source file → another file, 1 MiB blocks, fsync (the yardstick: run
                      before and after every other phase)
    store_file        source file → SHA-256 + encrypt → storage (local: fsync before rename)
    open_file         storage → decrypt → a file, fsync
    upload requests   source → append_upload in requests of uploads.request_bytes() → storage
                      (the last request assembles and fsyncs the object)
    upload check job  the job a finished upload enqueues: decrypt it all once, SHA-256
    app upload        through the app: the web process (gunicorn gthread by default, or --server
                      werkzeug; a subprocess on 127.0.0.1) receives the file as PUT requests of
                      the upload API, as the New transfer page sends them; the client sends
                      with sendfile, so the server is what is measured. The check job is held
                      back, as with Redis (a worker runs it) …
    app check job     … and timed here, in the bench's process as a worker would run it; the
                      report adds both up for a deployment without Redis (inline job)
    app download      through the app: GET /files/<id>/download, read into one reused buffer,
                      written to a file, fsync
                      (RSS growth of upload and download is the web process's, from /proc/<pid>)
Targets: each phase at least half the plain copy's throughput, RSS growth under 64 MB.
The disk's speed drifts (writeback, other processes; on a virtual machine, how fast the host
hands over memory for new page-cache pages), so every phase runs --rounds times, each time
between two plain copies, and is judged by the median over rounds of its ratio to the faster
of those two (copy seconds / phase seconds). The best times are printed too, with CPU
seconds, which drift much less.
Files are made in a temporary folder (under bench/.out/ by default, on the repository's disk),
the database in memory (/dev/shm), and both are removed at the end. BENCH_VERBOSE=1 prints
every timed step as it ends.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path, where "files" would mean
# this very module; the repository root must win so that `files` is the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.phases import BLOCK, blocks, durable, make_source, plain_copy, timed  # noqa: E402  (after the path is set)
from bench.serving import run_server  # noqa: E402

TARGET_RATIO = 0.5
TARGET_RSS_MB = 64


def build_app(work: Path, database: Path, storage_url: str, size: int):
    os.environ["INSTANCE_PATH"] = str(work / "instance")
    from app import create_app
    from extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "STORAGE_URL": storage_url,
            "UPLOAD_LIMIT_BYTES": size + 1,
            "REDIS_URL": None,
            "TESTING": True,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def one_round(size: int, work: Path, owner) -> list[dict]:
    """Every phase once. Each one's output is removed before the next starts: on this kind
    of machine, writes slow down while gigabytes written just before still sit in the page
    cache, and no phase should pay for another's leftovers."""
    from extensions import commit
    from files import uploads
    from files.operations import delete_file, open_file, store_file
    from files.uploads import append_upload, check_uploaded_file, request_bytes, start_upload
    from models.files import FileKind

    source, copy, restored = work / "source.bin", work / "copy.bin", work / "restored.bin"
    made = {}

    def store():
        made["stored"] = store_file(blocks(source), owner=owner, filename="arch.bin", kind=FileKind.design)
        commit()

    def restore():
        with open(restored, "wb") as out:
            for piece in open_file(made["stored"]):
                out.write(piece)
            durable(out)

    def upload():
        session = start_upload(owner=owner, filename="arch-upload.bin", size=size, kind=FileKind.design)
        commit()
        pieces, request = blocks(source), request_bytes()
        for offset in range(0, size, request):
            # one request's body, read in 1 MiB pieces as a view reads its input stream
            body = (next(pieces) for _ in range(min(request, size - offset) // BLOCK))
            session = append_upload(session, body, offset=offset, actor=owner)
            commit()
        made["uploaded"] = session.stored_file

    def forget(stored) -> None:
        delete_file(stored, actor=owner)
        commit()  # the bytes leave storage right after (inline job)

    rows = []

    def measure(name: str, run) -> None:
        # A plain copy just before every phase: the yardstick meets the disk in each state.
        rows.append(timed("plain copy", size, lambda: plain_copy(source, copy)))
        copy.unlink()
        rows.append(timed(name, size, run))

    measure("store_file", store)
    measure("open_file", restore)
    restored.unlink()
    forget(made["stored"])
    # The read-back check is a job (a worker's, with Redis): timed on its own, not inside
    # the requests, by holding it back when the last request enqueues it.
    held = []
    uploads.check_uploaded_file = held.append
    try:
        measure("upload requests", upload)
    finally:
        uploads.check_uploaded_file = check_uploaded_file
    measure("upload check job", lambda: check_uploaded_file(*held))
    forget(made["uploaded"])
    return rows


def run(size: int, work: Path, database: Path, storage_url: str | None, rounds: int, server_name: str) -> list[dict]:
    """Each phase over `rounds`: its best time, and its ratios to the plain copy made just
    before it in the same round (the disk's speed drifts: writeback, neighbours)."""
    make_source(work / "source.bin", size)
    app = build_app(work, database, storage_url or f"file://{work / 'storage'}", size)
    from extensions import commit, db
    from models.accounts import User

    from passwords import hash_password
    from legal.operations import accept_current_terms
    from models.types import utcnow

    with app.app_context():
        owner = User(
            email=APP_USER, password_hash=hash_password(APP_PASSWORD), display_name="Bench", email_confirmed_at=utcnow()
        )
        db.session.add(owner)
        db.session.flush()
        accept_current_terms(owner)  # as at sign-up: no terms page in front of the upload API
        commit()
        for _ in blocks(work / "source.bin"):  # warm the page cache: no phase pays for the first read
            pass
        best: dict[str, dict] = {}
        with AppServer(work, database, app.config["STORAGE_URL"], size, server_name) as server:
            for _ in range(rounds):
                # plain copy, phase, plain copy, phase, …, plain copy: each phase between two copies
                rows = [*one_round(size, work, owner), *through_app(server, size, work)]
                for before, phase, after in zip(rows[0::2], rows[1::2], rows[2::2]):
                    # The faster copy of the two around it: a phase never gains from a slow moment.
                    before["ratios"] = [1.0]
                    phase["ratios"] = [min(before["seconds"], after["seconds"]) / phase["seconds"]]
                    for row in (before, phase):
                        kept = best.setdefault(row["name"], row)
                        best[row["name"]] = min(kept, row, key=lambda r: r["seconds"]) | {
                            "rss_mb": max(kept["rss_mb"], row["rss_mb"]),
                            "ratios": kept["ratios"] + row["ratios"] if kept is not row else row["ratios"],
                        }
        db.session.remove()
        db.engine.dispose()
    return list(best.values())


APP_USER, APP_PASSWORD = "bench@example.com", "bench-password-1"
SERVERS = ("gunicorn", "werkzeug")


class AppServer:
    """The app in a child process on 127.0.0.1 (`files.py --serve`), so its memory is its own
    and can be read from /proc/<pid>; a signed-in HTTP client for it.

    gunicorn (one gthread worker, as production runs it) or werkzeug's development server.
    The child holds back the upload check job instead of running it inline, as a web process
    with Redis hands it to a worker: the bench runs it itself and times it on its own."""

    def __init__(self, work: Path, database: Path, storage_url: str, size: int, server: str):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.name = server
        self.command = [
            sys.executable,
            __file__,
            "--serve",
            server,
            str(self.port),
            str(database),
            storage_url,
            str(work / "instance"),
            str(size + 1),
        ]
        self.cookie = ""

    def __enter__(self):
        import socket
        import subprocess

        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(1200):  # at most 120 s to start (importing the app is slow on a loaded machine)
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the app server did not start")
        from urllib.parse import urlencode

        answer = self.request(
            "POST",
            "/account/login",
            urlencode({"email": APP_USER, "password": APP_PASSWORD}),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        self.cookie = answer.getheader("Set-Cookie", "").split(";")[0]
        answer.read()
        # gunicorn's master forks the worker that serves: its memory is the web process's.
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        self.pid = int(children[0]) if children else self.process.pid
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def connect(self):
        import http.client

        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def request(self, method: str, path: str, body=None, headers: dict | None = None):
        connection = self.connect()
        connection.request(method, path, body=body, headers={"Cookie": self.cookie, **(headers or {})})
        return connection.getresponse()

    def put_file_range(self, path: str, data, offset: int, length: int):
        """PUT `length` bytes of an open file from `offset`, sent by the kernel (sendfile): the
        client costs next to nothing, so the server is what is measured."""
        connection = self.connect()
        connection.putrequest("PUT", path)
        for name, value in (
            ("Cookie", self.cookie),
            ("Content-Type", "application/octet-stream"),
            ("Content-Length", str(length)),
        ):
            connection.putheader(name, value)
        connection.endheaders()
        connection.sock.sendfile(data, offset, length)
        return connection.getresponse()


def through_app(server: AppServer, size: int, work: Path) -> list[dict]:
    """Upload the source in the upload API's requests, run its check job, then download it."""
    import json

    from files.uploads import check_uploaded_file

    source, copy, restored = work / "source.bin", work / "copy.bin", work / "restored.bin"
    made = {}

    def upload():
        answer = server.request(
            "POST",
            "/files/uploads",
            json.dumps({"filename": "arch-app.bin", "size": size, "kind": "design"}),
            {"Content-Type": "application/json"},
        )
        status = json.loads(answer.read())
        step = status["request_bytes"]
        with open(source, "rb") as data:
            for offset in range(0, size, step):  # bounded: one request per step of the file
                answer = server.put_file_range(
                    f"{status['url']}?offset={offset}", data, offset, min(step, size - offset)
                )
                status = json.loads(answer.read())
                if answer.status != 200:
                    raise RuntimeError(f"upload refused at {offset}: {status}")
        made["file_id"] = status["file_id"]

    def check():
        import sqlalchemy as sa

        from extensions import db
        from models.files import StoredFile

        # The upload API answers the file's public id; the job takes the row's id, as the app enqueues it.
        file_id = db.session.scalar(sa.select(StoredFile.id).where(StoredFile.public_id == made["file_id"]))
        if not check_uploaded_file(file_id):
            raise RuntimeError("the upload check job did not check the file")

    def download():
        answer = server.request("GET", f"/files/{made['file_id']}/download")
        buffer = memoryview(bytearray(BLOCK))  # one buffer, refilled: the client copies nothing
        with open(restored, "wb") as out:
            while received := answer.readinto(buffer):
                out.write(buffer[:received])
            durable(out)
        if restored.stat().st_size != size:
            raise RuntimeError("the download came back short")

    rows = []
    for name, phase, pid in (
        ("app upload", upload, server.pid),
        ("app check job", check, "self"),
        ("app download", download, server.pid),
    ):
        rows.append(timed("plain copy", size, lambda: plain_copy(source, copy)))
        copy.unlink()
        rows.append(timed(name, size, phase, pid=pid))
    restored.unlink()
    server.request("POST", f"/files/{made['file_id']}/delete").read()
    rows.append(timed("plain copy", size, lambda: plain_copy(source, copy)))  # the last phase's "after"
    copy.unlink()
    return rows


def serve(server: str, port: int, database: str, storage_url: str, instance: str, limit: int) -> None:
    """The child process of AppServer: the app with its defaults, but no CSRF and no limits
    (a script, not a browser, drives it), no sweeper thread, and the upload check job held
    back for the bench to run (as a worker would, with Redis)."""
    os.environ["INSTANCE_PATH"] = instance
    from app import create_app
    from files import uploads

    uploads.check_uploaded_file = lambda file_id: None
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "STORAGE_URL": storage_url,
            "UPLOAD_LIMIT_BYTES": limit,
            "REDIS_URL": None,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SWEEP_EVERY_SECONDS": 0,
        }
    )
    run_server(app, server, port, workers=1, timeout=600)


def report(results: list[dict], size: int, rounds: int, server: str) -> bool:
    baseline = results[0]["mb_s"]
    print(f"\n{size / 1e9:.2f} GB through storage + encryption (AES-256-GCM, 1 MiB chunks), {rounds} round(s).")
    print(
        "seconds, CPU s and MB/s: the best round. vs copy: the median over rounds of the time of the faster "
        "plain copy just before or after the phase divided by the phase's (fastest copy of all: "
        f"{results[0]['seconds']:.2f} s). RSS +MB: the worst round."
    )
    print(f"{'phase':<18}{'seconds':>9}{'CPU s':>8}{'MB/s':>8}{'vs copy':>9}{'RSS +MB':>9}")
    ok = True
    for row in results:
        ratio = statistics.median(row["ratios"])
        passed = row is results[0] or (ratio >= TARGET_RATIO and row["rss_mb"] < TARGET_RSS_MB)
        ok &= passed
        print(
            f"{row['name']:<18}{row['seconds']:>9.2f}{row['cpu']:>8.2f}{row['mb_s']:>8.0f}{ratio:>9.2f}"
            f"{row['rss_mb']:>9.1f}{'' if passed else '  below target'}"
        )
    by_name = {row["name"]: row for row in results}
    inline = by_name["app upload"]["seconds"] + by_name["app check job"]["seconds"]
    print(
        f"through the app: served by {server}; the check job as a worker runs it (with Redis). Without "
        f"Redis the last upload request runs it inline: upload + check {inline:.2f} s, "
        f"{size / inline / 1e6:.0f} MB/s, {size / inline / 1e6 / baseline:.2f} of the copy (no target: "
        f"SHA-256 alone runs at about the copy's speed)"
    )
    print(
        f"targets: ≥{TARGET_RATIO:.0%} of the plain copy's throughput, RSS growth < {TARGET_RSS_MB} MB: "
        f"{'met' if ok else 'NOT met'}"
    )
    return ok


def main() -> int:
    if sys.argv[1:2] == ["--serve"]:
        server, port, database, storage_url, instance, limit = sys.argv[2:8]
        serve(server, int(port), database, storage_url, instance, int(limit))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / ".out")
    parser.add_argument("--storage-url", help="default: a folder inside the work folder")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default=SERVERS[0],
        help="what serves the app in the through-the-app phases (default: gunicorn, as in production)",
    )
    args = parser.parse_args()
    made_dir = not args.dir.exists()
    args.dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="files-", dir=args.dir))
    # The rows go to a database in memory when there is one: in production PostgreSQL runs
    # elsewhere, and an SQLite file's commits on the storage disk would wait behind its writes.
    rows = Path(tempfile.mkdtemp(prefix="occlusa-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    size = args.size_mb * BLOCK
    try:
        ok = report(
            run(size, work, rows / "bench.db", args.storage_url, args.rounds, args.server),
            size,
            args.rounds,
            args.server,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(rows, ignore_errors=True)
        if made_dir and not any(args.dir.iterdir()):
            args.dir.rmdir()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
