"""The compiled kernels: their disk cache follows every kernel source, and the warm-up reaches every
kernel the engine calls, with the argument types a real run gives (so no user waits on a compile)."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from complaint import jit

ROOT = Path(jit.__file__).parent


def test_cache_dir_changes_with_any_kernel_source(tmp_path, monkeypatch):
    """A kernel is cached with the kernels it calls from other modules compiled in, and numba checks
    only its own file: the cache must move when any ``_jit_*.py`` changes."""
    for path in ROOT.glob("_jit_*.py"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(jit, "HERE", tmp_path)
    before = jit._digest()
    assert jit._digest() == before  # stable
    sort = tmp_path / "_jit_sort.py"
    sort.write_text(sort.read_text() + "\n# an edit of a callee\n")
    assert jit._digest() != before
    assert jit.cache_dir().name == f"numba-{jit._digest()}"


def _kernels_called_from_python() -> set[tuple[str, str]]:
    """(module, name) of every kernel imported by a module that is not itself a kernel module."""
    found = set()
    for path in ROOT.glob("*.py"):
        if path.name.startswith("_jit_"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("_jit_"):
                found |= {(node.module, alias.name) for alias in node.names}
            if isinstance(node, ast.ImportFrom) and node.module is None and node.level == 1:
                found |= {(alias.name, "*") for alias in node.names if alias.name.startswith("_jit_")}
    return found


@pytest.mark.slow
def test_warm_up_compiles_what_a_real_run_uses():
    import importlib

    import numpy as np

    from complaint.reconcile_engine import reconcile_frames
    from complaint.reconcile_fx import day_number
    from complaint.reconciliation import orders_frame, promises_frame, txns_frame
    from tests.test_reconcile_perf_equivalence import AS_OF, generated_case

    jit.warm_up()
    called = _kernels_called_from_python()
    assert ("_jit_assign", "solve") in called and ("_jit_refund", "full_pairs") in called
    dispatchers = {}
    for module, name in called:
        mod = importlib.import_module(f"complaint.{module}")
        names = [n for n, f in vars(mod).items() if hasattr(f, "signatures") and f.__module__ == mod.__name__] \
            if name == "*" else [name]
        dispatchers |= {(module, n): getattr(mod, n) for n in names}
    warm = {key: len(d.signatures) for key, d in dispatchers.items()}
    assert all(warm[key] == 1 for key in warm if key[1] in {n for _m, n in called}), warm
    case = generated_case(3, n_orders=400)  # the records path: object columns, decisions, promises
    reconcile_frames(orders_frame(case), txns_frame(case), promises_frame(case), case.decisions,
                     as_of_day=day_number(AS_OF), compiled=True)
    after = {key: len(d.signatures) for key, d in dispatchers.items()}
    assert after == warm  # nothing compiled again for other argument types
    assert np.all(np.array(list(after.values())) <= 1)
