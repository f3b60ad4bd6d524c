"""The import contract: one-way layers and no import circle (README, "Layout").

Read from the source (every ``import`` and ``from … import``, at the top of a module or inside a function,
under ``if TYPE_CHECKING`` too), not by importing it. A package may import its own modules and the
packages of the layers below its own; packages of one layer are independent of each other. ``tests/``,
``bench/`` and ``scripts/`` may import anything and are not checked. A package's command line (its
``__main__.py``) is an entry point, as app.py and dashboard.py are: it sits on top.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom → top. Each entry is one layer: the packages (or root modules) in it are independent of each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("domain",),  # pure facts: regions, periods, grading, units, industries, sources
    ("i18n", "settings", "geo", "exports"),  # words; the environment; boundaries; CSV/XLSX with a header block
    ("store", "analytics"),  # the only SQL; pure analytics on frames (neither imports the other)
    ("accounts",),  # accounts and login (no Streamlit)
    ("loaders",),  # reading, checking and importing files; the demo
    ("answers",),  # the questions the pages, the CLI and the reports ask, from the store and analytics
    ("links",),  # the link (URL) parameters: filters, the Explorer's, the big screen's
    ("charts",),  # figures and maps
    ("reports",),  # the brief's words, the meeting pack, the big screen, downloads, the CLI
    ("webapp",),  # the Streamlit glue: cached store and queries, the sidebar, the login
    ("views",),  # the pages
    ("dashboard", "app"),  # the entry points
)
NOT_CHECKED = {"tests", "bench", "scripts", "docs", "static", "data"}
# Narrower than the layers: the bottom imports nothing of the app but the domain, analytics and the store
# only the domain (settings, colours and words are passed in), and the links no SQL.
ONLY = {
    "domain": set(),
    "i18n": set(),
    "exports": set(),
    "settings": {"domain"},
    "geo": {"domain"},
    "store": {"domain", "settings"},
    "analytics": {"domain"},
}  # the store: its default path (SAFETY_DB)
NEVER = {"links": {"store"}}


def _layer_of() -> dict[str, int]:
    return {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _entry_point(module: str) -> bool:
    return module.rpartition(".")[2] == "__main__"


def _is_package(folder: Path) -> bool:
    """A folder of the root whose modules are imported or run (views/ has no __init__.py: Streamlit runs its pages)."""
    return (
        folder.is_dir()
        and folder.name not in NOT_CHECKED
        and not folder.name.startswith(".")
        and (any(folder.glob("*.py")))
    )


def project_modules() -> dict[str, Path]:
    """Every module of the checked code, by dotted name (a package by its name, for its __init__.py)."""
    mods: dict[str, Path] = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in NOT_CHECKED or rel.parts[0].startswith("."):
            continue
        if len(rel.parts) > 1 and not _is_package(ROOT / rel.parts[0]):
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        mods[".".join(parts)] = path
    return mods


def top_level_names() -> set[str]:
    """The root's packages (folders with __init__.py) and modules, apart from those not checked."""
    names = {p.stem for p in ROOT.glob("*.py")}
    names |= {p.name for p in ROOT.iterdir() if _is_package(p)}
    return names - NOT_CHECKED


def imports(mods: dict[str, Path]) -> list[tuple[str, str, int]]:
    """(importer, imported module, line) for every import of a project module by a project module."""
    found = []
    for name, path in mods.items():
        is_pkg = path.name == "__init__.py"
        package = name if is_pkg else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            for target in targets:
                while target and target not in mods:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found.append((name, target, node.lineno))
    return found


def test_every_top_level_package_has_a_layer() -> None:
    assert top_level_names() == set(_layer_of()), "add a new top-level package to LAYERS (and to README, Layout)"


def test_no_upward_or_sideways_import() -> None:
    layer = _layer_of()
    mods = project_modules()
    wrong = set()
    for importer, imported, line in imports(mods):
        a, b = importer.split(".")[0], imported.split(".")[0]
        if a == b or _entry_point(importer):
            continue
        if b in NEVER.get(a, set()) or (a in ONLY and b not in ONLY[a]):
            wrong.add(f"{mods[importer].relative_to(ROOT)}:{line} imports {imported} ({a} may not import {b})")
        elif layer[b] > layer[a]:
            wrong.add(f"{mods[importer].relative_to(ROOT)}:{line} imports {imported} (upward: {a} → {b})")
        elif layer[b] == layer[a]:
            wrong.add(f"{mods[importer].relative_to(ROOT)}:{line} imports {imported} ({a} and {b} are independent)")
    assert not wrong, "\n".join(sorted(wrong))


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        component.append(m)
                        if m == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
    return out


def test_no_import_circle() -> None:
    """No circle between modules. A module's import of its own package (``from store import Store`` in
    store/queries.py) is not an edge: the package's __init__ only gathers what its modules define."""
    edges: dict[str, set[str]] = {}
    for importer, imported, _ in imports(project_modules()):
        if importer.startswith(imported + "."):
            continue
        edges.setdefault(importer, set()).add(imported)
    assert not _cycles(edges), "\n".join(" ⇄ ".join(c) for c in _cycles(edges))


def test_the_rules_see_a_violation() -> None:
    """The checks are not vacuous: they see the imports of a module that is known to import."""
    found = {(a, b) for a, b, _ in imports(project_modules())}
    assert any(a.startswith("views.") and b.startswith("domain") for a, b in found)
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_readme_layout_lists_the_top_level() -> None:
    """README, "Layout": one row per top-level package and module (and data/, docs/, static/ … besides)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Layout", 1)[1].split("\n## ", 1)[0]
    rows = set(re.findall(r"^\| `([^`/]+?)(?:\.py|/)?` \|", section, flags=re.M))
    assert rows == top_level_names() | NOT_CHECKED
