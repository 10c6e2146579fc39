"""The core's structure: a private name (``_x``) never crosses a module boundary.

A name with a leading underscore belongs to its module.  When another module needs it, it is made
public in the lower module (PEP 8, "Public and internal interfaces":
https://peps.python.org/pep-0008/#public-and-internal-interfaces).  The check reads every module of
``complaint/`` with :mod:`ast` and finds

- ``from <project module> import _name`` (absolute or relative, at any depth, in a function too);
- ``module._name`` where ``module`` is bound to another project module by an import.

``_`` itself (gettext's conventional name, :mod:`complaint.i18n`) and dunders are not private names.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(current: str, is_package: bool, level: int, module: str | None) -> str:
    """The absolute name of ``from <level dots><module> import ...`` written in ``current``."""
    if level == 0:
        return module or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name != "_"


def private_crossings(root: Path, package: str = "complaint") -> list[str]:
    """``path:line: name`` of every private name one module of ``package`` (under ``root``) takes from
    another module of it."""
    paths = {_module_name(p, root): p for p in (root / package).rglob("*.py")}
    found = []
    for current, path in sorted(paths.items()):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        rel = path.relative_to(root)
        bound: dict[str, str] = {}  # local name -> the project module it is bound to
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _absolute(current, is_package, node.level, node.module)
                if source != package and not source.startswith(package + "."):
                    continue
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    if submodule in paths:
                        bound[alias.asname or alias.name] = submodule
                    if _private(alias.name):
                        found.append(f"{rel}:{node.lineno}: {source}.{alias.name}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == package or alias.name.startswith(package + "."):
                        if alias.asname:
                            bound[alias.asname] = alias.name
                        else:
                            bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
                        hidden = [part for part in alias.name.split(".") if _private(part)]
                        if hidden:
                            found.append(f"{rel}:{node.lineno}: {alias.name}")
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and _private(node.attr)):
                continue
            chain, value = [], node.value
            while isinstance(value, ast.Attribute):
                chain.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in bound:
                owner = ".".join([bound[value.id], *reversed(chain)])
                if owner in paths and owner != current:
                    found.append(f"{rel}:{node.lineno}: {owner}.{node.attr}")
    return found


def test_no_private_name_crosses_a_module_boundary():
    assert private_crossings(ROOT) == []


def test_the_check_finds_each_kind_of_crossing(tmp_path):
    """The scan above on a small package holding one crossing of each kind, and legal uses."""
    pkg = tmp_path / "complaint"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "i18n.py").write_text("def _(text):\n    return text\n")
    (pkg / "low.py").write_text("_hidden = 1\nshown = 2\n\ndef _helper():\n    return _hidden\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "user.py").write_text(
        "from ..i18n import _\n"  # gettext's _: fine
        "from ..low import shown\n"  # public: fine
        "from ..low import _hidden\n"  # line 3: crossing
        "from .. import low\n"
        "import complaint.low as lw\n"
        "\n"
        "def f():\n"
        "    from complaint.low import _helper\n"  # line 8: crossing in a function
        "    return low._hidden + lw._helper() + low.__name__\n")  # line 9: two crossings, a dunder
    assert sorted(private_crossings(tmp_path)) == [
        "complaint/sub/user.py:3: complaint.low._hidden",
        "complaint/sub/user.py:8: complaint.low._helper",
        "complaint/sub/user.py:9: complaint.low._helper",
        "complaint/sub/user.py:9: complaint.low._hidden",
    ]
