"""Benchmark: peak memory of the mesh check on large STL files, against a plain read.

    .venv/bin/python bench/mesh_check.py [--binary-mb 250] [--ascii-mb 100] [--form-mb 60] [--dir PATH]

Makes closed torus meshes in a temporary folder: a binary STL of --binary-mb, an ASCII STL
of --ascii-mb, and a binary STL of --form-mb stored through files.operations.store_file,
the path a file posted with a form takes (read in 1 MiB pieces, hashed, checked and
encrypted inline in the web process). Each measure runs in a fresh process: first a plain
streaming read of the file in 1 MiB pieces (the baseline), then the check; the peak
resident memory (VmHWM) after each is reported, and the check's growth over the
baseline. Target: growth under 128 MB for any file. Files are removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PIECE = 1024 * 1024
LIMIT_MB = 128


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def _pieces(path: Path):
    with path.open("rb") as handle:
        while piece := handle.read(PIECE):
            yield piece


def _write(path: Path, megabytes: int, ascii: bool) -> int:
    from tests.files.mesh_samples import torus_stl_pieces

    per_triangle = 250 if ascii else 50
    triangles = megabytes * 1_000_000 // per_triangle
    with path.open("wb") as out:
        for piece in torus_stl_pieces(triangles, ascii=ascii):
            out.write(piece)
    return path.stat().st_size


def _measure(path: Path, through_store: bool) -> dict:
    """In this (fresh) process: the plain read, then the check; peaks in MB."""
    from files.meshes import inspect_mesh

    check = _store_in_app(path) if through_store else (lambda: inspect_mesh(path.name, _pieces(path)))
    # The set-up's own peak (the app, a password hash) is not the check's: start counting here.
    Path("/proc/self/clear_refs").write_text("5")
    for _ in _pieces(path):
        pass
    baseline = _peak_mb()
    started = time.perf_counter()
    found = check()
    return {
        "baseline_mb": baseline,
        "peak_mb": _peak_mb(),
        "seconds": time.perf_counter() - started,
        "triangles": found["triangles"],
        "open_edges": found["open_edges"],
        "warnings": found["warnings"],
    }


def _store_in_app(path: Path):
    """The app, its database and an owner, made before the baseline (a web worker has them)."""
    from app import create_app
    from extensions import commit, db
    from files.operations import store_file
    from models.files import FileKind
    from tests.factories import make_user

    folder = path.parent
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "STORAGE_URL": f"file://{folder / 'storage'}",
            "REDIS_URL": None,
            "MAIL_OUTBOX": str(folder / "outbox"),
        }
    )
    context = app.test_request_context()
    context.push()
    db.create_all()
    owner = make_user()
    commit()

    def store() -> dict:
        stored = store_file(_pieces(path), owner=owner, filename=path.name, kind=FileKind.design)
        commit()
        return stored.mesh

    return store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary-mb", type=int, default=250)
    parser.add_argument("--ascii-mb", type=int, default=100)
    parser.add_argument("--form-mb", type=int, default=60)
    parser.add_argument("--dir", default=None, help="where the temporary files go")
    parser.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--store", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure(Path(args.measure), args.store)))
        return 0
    failed = False
    with tempfile.TemporaryDirectory(prefix="occlusa-bench-mesh-", dir=args.dir) as folder:
        os.environ["INSTANCE_PATH"] = folder
        cases = [
            ("binary STL", "binary.stl", args.binary_mb, False, False),
            ("ASCII STL", "ascii.stl", args.ascii_mb, True, False),
            ("form post (store_file)", "posted.stl", args.form_mb, False, True),
        ]
        for label, name, megabytes, ascii, store in cases:
            path = Path(folder) / name
            size = _write(path, megabytes, ascii)
            command = [sys.executable, __file__, "--measure", str(path)] + (["--store"] if store else [])
            result = json.loads(
                subprocess.run(
                    command, check=True, capture_output=True, text=True, env={**os.environ, "INSTANCE_PATH": folder}
                ).stdout
            )
            growth = result["peak_mb"] - result["baseline_mb"]
            failed |= growth > LIMIT_MB
            print(
                f"{label:24} {size / 1e6:8.1f} MB  {result['triangles']:>10} triangles  "
                f"plain read peak {result['baseline_mb']:7.1f} MB  check peak {result['peak_mb']:7.1f} MB  "
                f"(+{growth:.1f} MB, x{result['peak_mb'] / result['baseline_mb']:.2f})  "
                f"{result['seconds']:6.1f} s  open edges {result['open_edges']}  {result['warnings']}"
            )
            path.unlink()
    print(f"target: growth under {LIMIT_MB} MB for every file — {'MISSED' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
