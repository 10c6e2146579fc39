"""The compiled kernels: their disk cache follows every kernel source, and the warm-up reaches every
kernel the engine calls, with the argument types a real run gives (so no user waits on a compile).

And their place: the decorator module imports nothing of the project, nothing imports the warm-up, and
a buyer's case (the sample) never imports numba, through the CLI as through the app."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from complaint.reconciliation.compiled import kernel as jit

ROOT = Path(jit.__file__).parent  # complaint/reconciliation/compiled
ENGINE = ROOT.parent  # complaint/reconciliation
KERNEL_MODULES = {p.stem for p in ROOT.glob("*.py")} - {"__init__", "kernel", "warmup"}


def test_cache_dir_changes_with_any_kernel_source(tmp_path, monkeypatch):
    """A kernel is cached with the kernels it calls from other modules compiled in, and numba checks
    only its own file: the cache must move when any kernel module changes, and not for the warm-up."""
    for path in ROOT.glob("*.py"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(jit, "HERE", tmp_path)
    before = jit._digest()
    assert jit._digest() == before  # stable
    warm = tmp_path / "warmup.py"
    warm.write_text(warm.read_text() + "\n# not kernel code\n")
    assert jit._digest() == before
    sort = tmp_path / "sort.py"
    sort.write_text(sort.read_text() + "\n# an edit of a callee\n")
    assert jit._digest() != before
    assert jit.cache_dir().name == f"numba-{jit._digest()}"


def _kernels_called_from_python() -> set[tuple[str, str]]:
    """(module, name) of every kernel imported by an engine module (one outside ``compiled/``)."""
    found = set()
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom) or node.level != 1:
                continue
            module = node.module or ""
            if module.startswith("compiled.") and module.split(".")[1] in KERNEL_MODULES:
                found |= {(module.split(".")[1], alias.name) for alias in node.names}
            if module == "compiled":
                found |= {(alias.name, "*") for alias in node.names if alias.name in KERNEL_MODULES}
    return found


_PROBE = """
import importlib, json, sys
from complaint.reconciliation.compiled.warmup import warm_up
from complaint.reconciliation.engine import reconcile_frames
from complaint.reconciliation.fx import day_number
from complaint.reconciliation.reconcile import orders_frame, promises_frame, txns_frame
sys.path.insert(0, "tests")
from test_reconcile_perf_equivalence import AS_OF, generated_case

def counts():
    out = {}
    for module, name in json.loads(sys.argv[1]):
        out[module + "." + name] = len(getattr(importlib.import_module("complaint.reconciliation.compiled." + module), name).signatures)
    return out

warm_up()
warm = counts()
case = generated_case(3, n_orders=400)  # the records path: object columns, promises, contested groups
reconcile_frames(orders_frame(case), txns_frame(case), promises_frame(case), case.decisions,
                 as_of_day=day_number(AS_OF), compiled=True)
print(json.dumps([warm, counts()]))
"""


@pytest.mark.slow
def test_warm_up_compiles_what_a_real_run_uses():
    """In a fresh process: after the warm-up every kernel the engine calls has one compiled version,
    and a real run (records path) needs no other."""
    import json
    import subprocess
    import sys

    called = sorted(_kernels_called_from_python())
    assert ("assign", "solve") in called and ("refund", "full_pairs") in called
    assert all(name != "*" for _m, name in called)  # kernels are imported by name
    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(called)], capture_output=True, text=True,
                         check=True, cwd=ENGINE.parents[1])
    warm, after = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(warm.values()) == {1}, warm  # every kernel reached, each with one set of argument types
    assert after == warm  # nothing compiled again for the argument types of a real run


# -- no cycle, and numba only for bulk data -----------------------------------------------------------


def _project_imports(path: Path) -> set[str]:
    """Absolute names of the ``complaint`` modules ``path`` imports (at any depth)."""
    package = ".".join(path.resolve().relative_to(ENGINE.parents[1]).parts[:-1])  # the file's own package
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)] if package else []
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found |= {module} | {f"{module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {name for name in found if name == "complaint" or name.startswith("complaint.")}


def test_the_kernel_decorator_imports_nothing_of_the_project():
    """kernel.py is the bottom of the engine: importing it can pull in no engine module (no cycle)."""
    assert _project_imports(ROOT / "kernel.py") == set()


def test_nothing_imports_the_warm_up():
    """The warm-up reconciles a case: imported by anything, it would make a cycle through the engine
    (and an app that loads kernels at start).  It runs only as ``python -m``."""
    root = ENGINE.parent.parent
    product = [p for folder in ("complaint", "ui", "app_pages", "bench", "scripts") for p in (root / folder).rglob("*.py")]
    product += list(root.glob("*.py"))  # app.py
    assert len(product) > 100
    assert [str(p.relative_to(root)) for p in product
            if "complaint.reconciliation.compiled.warmup" in _project_imports(p)] == []


_CLI_PROBE = """
import sys
from click.testing import CliRunner
from complaint.cli import cli

db, out = sys.argv[1], sys.argv[2]
for args in (["cases", "--db", db, "sample"],
             ["reconcile", "--db", db, "--case", "Sample case", "--format", "json"],
             ["timeline", "--db", db, "--case", "Sample case", "--format", "json"],
             ["dossier", "--db", db, "--case", "Sample case", "--out", out]):
    run = CliRunner().invoke(cli, args)
    assert run.exit_code == 0, (args, run.output, run.exception)
print("complaint.reconciliation.engine" in sys.modules, "numba" in sys.modules)
"""


def test_a_buyers_case_never_imports_numba_in_the_cli(tmp_path):
    """The sample case through the CLI commands a buyer runs: reconciled, but numba never loaded."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _CLI_PROBE, str(tmp_path / "cases.sqlite"), str(tmp_path / "out")],
                         capture_output=True, text=True, cwd=ENGINE.parents[1], timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split() == ["True", "False"]  # the engine ran, numba stayed out
    assert (tmp_path / "out" / "dossier.pdf").exists()


_APP_PROBE = """
import json, sys, threading
from streamlit.testing.v1 import AppTest

at = AppTest.from_file(sys.argv[1], default_timeout=120)
at.run()
seen = []
for page in ("app_pages/home.py", "app_pages/reconcile.py"):
    at.switch_page(page).run()
    seen.append({"page": page, "titles": [t.value for t in at.title],
                 "problems": [str(e.value) for e in at.exception] + [str(e.value) for e in at.error],
                 "metrics": len(at.metric)})
for thread in threading.enumerate():  # background work the pages started: the home snapshot
    if thread.name == "home-snapshot":
        thread.join(60)
print(json.dumps({"pages": seen, "engine": "complaint.reconciliation.engine" in sys.modules,
                  "numba": "numba" in sys.modules}))
"""


def test_a_buyers_case_never_imports_numba_in_the_app(tmp_path):
    """The app on the sample case (demo mode), Overview then Reconcile: both render, the case is
    reconciled, and numba is never imported, by the entry script, the pages or their background work."""
    import json
    import os
    import subprocess
    import sys

    root = ENGINE.parents[1]
    env = dict(os.environ, COMPLAINT_DEMO="1", COMPLAINT_DB=str(tmp_path / "cases.sqlite"))
    out = subprocess.run([sys.executable, "-c", _APP_PROBE, str(root / "app.py")], capture_output=True, text=True,
                         cwd=root, env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    for page in report["pages"]:
        assert page["problems"] == [] and page["titles"] and page["metrics"] >= 4, page
    assert report["engine"] is True
    assert report["numba"] is False
