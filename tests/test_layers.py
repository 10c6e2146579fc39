"""The layers, read from the source (every import, at module level or inside a function):

(a) the top of ``complaint/`` holds at most 15 modules (the shared vocabulary; the rest is in packages);
(b) no import cycle among the modules of ``complaint``;
(c) the surfaces (app.py, app_pages/, ui/, the CLI, the notebook, bench/) reach the core only
    through the front door: ``complaint`` / ``complaint.api`` and the shared vocabulary;
(d) the core (``complaint`` outside the CLI) never imports streamlit, ui, app_pages or the CLI.

A failure names the file, the line and the import.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "complaint"
VOCABULARY = {"records", "errors", "i18n", "fmt", "settings", "serialize", "case", "calendar_be", "csvsafe"}
DOOR = {"complaint", "complaint.api"} | {f"complaint.{name}" for name in VOCABULARY}
MAX_TOP_LEVEL = 15


@dataclass(frozen=True)
class Import:
    where: str  # file:line
    target: str  # the module imported (a submodule when ``from package import submodule``)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def core_modules() -> dict[str, Path]:
    return {module_name(p): p for p in CORE.rglob("*.py")}


MODULES = core_modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(tree: ast.AST, name: str, is_package: bool, label: str, line_offset: int = 0) -> list[Import]:
    """Every import of the tree (``if TYPE_CHECKING:`` blocks left out), relative ones resolved."""
    found: list[Import] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        where = f"{label}:{getattr(node, 'lineno', 0) + line_offset}"
        if isinstance(node, ast.Import):
            found.extend(Import(where, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.append(Import(where, sub if sub in MODULES else module))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def file_imports(path: Path) -> list[Import]:
    name = module_name(path) if path.is_relative_to(CORE) else path.stem
    label = str(path.relative_to(ROOT))
    return imports_of(ast.parse(path.read_text(encoding="utf-8")), name, path.name == "__init__.py", label)


def notebook_imports(path: Path) -> list[Import]:
    out = []
    for n, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], 1):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
        out += imports_of(ast.parse(code), "notebook", False, f"{path.relative_to(ROOT)} cell {n}")
    return out


def surface_files() -> list[Path]:
    files = [ROOT / "app.py", CORE / "__main__.py", *sorted((ROOT / "app_pages").glob("*.py")),
             *sorted((ROOT / "ui").glob("*.py")), *sorted((CORE / "cli").glob("*.py")),
             *sorted((ROOT / "bench").glob("*.py"))]
    return [f for f in files if f.exists()]


def is_surface(path: Path) -> bool:
    return path in set(surface_files())


def core_edges() -> dict[str, list[Import]]:
    edges = {}
    for name, path in MODULES.items():
        if is_surface(path):
            continue
        edges[name] = [i for i in file_imports(path) if i.target in MODULES and i.target != name
                       and not is_surface(MODULES[i.target])]
    return edges


def find_cycle(edges: dict[str, list[Import]]) -> list[Import] | None:
    """One cycle, as the imports that make it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    nodes: list[str] = []  # the current path
    via: list[Import] = []  # via[k]: the import from nodes[k] to nodes[k + 1]

    def dfs(node: str) -> list[Import] | None:
        state[node] = 1
        nodes.append(node)
        for imp in edges.get(node, ()):
            if state.get(imp.target) == 1:
                return via[nodes.index(imp.target):] + [imp]
            if imp.target not in state:
                via.append(imp)
                cycle = dfs(imp.target)
                if cycle:
                    return cycle
                via.pop()
        state[node] = 2
        nodes.pop()
        return None

    for node in sorted(edges):
        if node not in state:
            cycle = dfs(node)
            if cycle:
                return cycle
    return None


def test_the_top_of_the_core_holds_at_most_15_modules():
    top = sorted(p.name for p in CORE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL, f"complaint/ has {len(top)} modules at its top (at most {MAX_TOP_LEVEL}): {top}"


def test_no_import_cycle_in_the_core():
    cycle = find_cycle(core_edges())
    assert cycle is None, "import cycle: " + " -> ".join(f"{i.where} imports {i.target}" for i in cycle)


def test_surfaces_reach_the_core_only_through_the_door():
    offenders = []
    sources = [(p, file_imports(p)) for p in surface_files()]
    sources += [(p, notebook_imports(p)) for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    for path, imports in sources:
        for imp in imports:
            if not imp.target.startswith("complaint"):
                continue
            if imp.target.startswith("complaint.cli") and path.is_relative_to(CORE):
                continue  # the CLI's own modules
            if imp.target not in DOOR:
                offenders.append(f"{imp.where} imports {imp.target} (past the door: use complaint.api)")
    assert offenders == [], "\n".join(dict.fromkeys(offenders))


def test_the_core_never_imports_a_surface():
    offenders = []
    for path in MODULES.values():
        if is_surface(path):
            continue
        for imp in file_imports(path):
            head = imp.target.split(".")[0]
            if head in {"streamlit", "ui", "app_pages"} or imp.target.startswith("complaint.cli"):
                offenders.append(f"{imp.where} imports {imp.target} (the core never serves a surface)")
    assert offenders == [], "\n".join(dict.fromkeys(offenders))


def test_the_checks_see_what_they_must():
    """The checks catch the mistakes they are for (a check that sees nothing passes for nothing)."""
    tree = ast.parse("import complaint.store.db\nfrom complaint.api import sample\nfrom complaint import api, fmt\n"
                     "def f():\n    from ..timeline import events\n")
    found = [i.target for i in imports_of(tree, "complaint.dossier.build", False, "x.py")]
    assert found == ["complaint.store.db", "complaint.api.sample", "complaint.api", "complaint.fmt",
                     "complaint.timeline.events"]
    assert not {"complaint.store.db", "complaint.api.sample"} & DOOR
    looped = {"a": [Import("complaint/a.py:1", "b")], "b": [Import("complaint/b.py:3", "a")]}
    assert [i.where for i in find_cycle(looped)] == ["complaint/a.py:1", "complaint/b.py:3"]
    assert find_cycle({"a": [Import("complaint/a.py:1", "b")], "b": []}) is None
