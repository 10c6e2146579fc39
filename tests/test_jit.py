"""The compiled kernels: their disk cache follows every kernel source, and the warm-up reaches every
kernel the engine calls, with the argument types a real run gives (so no user waits on a compile)."""

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
