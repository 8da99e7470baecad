"""Dependencies point one way: web → domain → models → infrastructure; nlp stands alone.

Counted like /work/shared/tools/package_cycles.py: every import of a project package, at the top
of a file or inside a function, is an edge between two top-level packages (or root modules).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import hooks

ROOT = Path(__file__).resolve().parents[2]
# What package_cycles.py leaves out: not the application's code, or (demo) seeding glue on top.
SKIPPED = {".venv", "node_modules", "tests", "migrations", ".git", "bench", "demo", "static", "templates"}
WEB = {"storefront", "backoffice", "demo", "cli", "app", "wsgi", "worker", "registrations"}
DOMAIN = [
    "accounts",
    "cases",
    "payments",
    "messaging",
    "files",
    "moderation",
    "profiles",
    "listings",
    "disputes",
    "helpcentre",
    "legal",
    "support",
    "community",
    "contracts",
    "offers",
    "teams",
    "reputation",
    "privacy",
]
# Bottom floor: every domain uses them, so they import no domain package.
INFRASTRUCTURE = {"models", "extensions", "errors", "config", "nlp", "hooks", "jobs", "pagination", "url_numbers"}
BOTTOM = {"audit", "screening", "passwords", "hooks", "jobs"}
# (file, imported module) → why that import must stay inside a function. Empty: keep it so.
LOCAL_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}


def _top_levels() -> set[str]:
    names = set()
    for path in ROOT.iterdir():
        if path.name in SKIPPED:
            continue
        if path.suffix == ".py":
            names.add(path.stem)
        elif (path / "__init__.py").is_file():
            names.add(path.name)
    return names


def _python_files(skipped: set[str] = SKIPPED):
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not any(part in skipped or part.startswith(".") for part in parts[:-1]) and parts[0] not in skipped:
            yield path


def _project_imports(path: Path, tops: set[str]):
    """(module imported, line, inside a function) for each import of a project package in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    inner = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
        for node in ast.walk(function)
        if node is not function
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            if name.split(".")[0] in tops:
                yield name, node.lineno, id(node) in inner


def _imports(package: str) -> set[tuple[str, str]]:
    tops = _top_levels() | {"demo", "flask", "flask_sqlalchemy", "sqlalchemy"}
    paths = (ROOT / package).rglob("*.py") if (ROOT / package).is_dir() else [ROOT / f"{package}.py"]
    return {
        (str(path.relative_to(ROOT)), name.split(".")[0])
        for path in paths
        for name, _line, _local in _project_imports(path, tops)
    }


def _graph() -> dict[str, set[str]]:
    tops = _top_levels()
    edges: dict[str, set[str]] = defaultdict(set)
    for path in _python_files():
        source = path.relative_to(ROOT).parts[0].removesuffix(".py")
        if source not in tops:
            continue
        for name, _line, _local in _project_imports(path, tops):
            target = name.split(".")[0]
            if target != source:
                edges[source].add(target)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(set(edges) | {t for targets in edges.values() for t in targets}):
        if node not in index:
            visit(node)
    return groups


def test_no_two_packages_depend_on_each_other_even_through_others():
    edges = _graph()
    described = [
        f"{', '.join(group)} ({' '.join(f'{a}→{b}' for a in group for b in sorted(edges[a]) if b in group)})"
        for group in _cycles(edges)
    ]
    assert not described, "import cycles between packages: " + "; ".join(described)


def test_the_cycle_finder_finds_a_cycle_through_three_packages():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": {"c"}}) == []


def test_project_modules_are_imported_at_the_top_of_the_file():
    """An import inside a function hides a dependency from readers and tools (and a cycle with it)."""
    tops = _top_levels() | {"demo"}
    found = {
        f"{path.relative_to(ROOT)}:{line} {name}"
        for path in _python_files(SKIPPED - {"demo"})
        for name, line, local in _project_imports(path, tops)
        if local and (str(path.relative_to(ROOT)), name) not in LOCAL_IMPORTS_ALLOWED
    }
    assert not found, sorted(found)


def test_the_allowed_local_imports_each_say_why():
    assert all(reason.strip() for reason in LOCAL_IMPORTS_ALLOWED.values())


def test_the_contact_filter_imports_neither_flask_nor_the_database():
    bad = {
        (f, m) for f, m in _imports("nlp") if m in {"flask", "flask_sqlalchemy", "sqlalchemy", "extensions", "models"}
    }
    assert not bad


def test_models_do_not_reach_into_the_web_or_domain_layers():
    bad = {(f, m) for f, m in _imports("models") if m in WEB | set(DOMAIN)}
    assert not bad


@pytest.mark.parametrize("package", [p for p in DOMAIN if (ROOT / p).is_dir()])
def test_domain_packages_do_not_import_the_web_layer(package):
    bad = {(f, m) for f, m in _imports(package) if m in WEB}
    assert not bad


@pytest.mark.parametrize("package", sorted(BOTTOM))
def test_bottom_floor_packages_import_only_infrastructure(package):
    """The audit trail, text screening, password hashing, hooks and jobs serve every domain package."""
    tops = _top_levels()
    bad = {(f, m) for f, m in _imports(package) if m in tops and m not in INFRASTRUCTURE | BOTTOM}
    assert not bad


def test_every_hook_has_its_functions_registered_at_app_creation():
    """A hook nobody answers is a registration forgotten in registrations.py: the sweep would skip
    an area's deadlines, or a reader a rule would let in would get a 404."""
    points = [value for value in vars(hooks).values() if isinstance(value, hooks.Hook)]
    assert points
    empty = [point.name for point in points if not point.functions()]
    assert not empty
