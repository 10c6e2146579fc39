"""Compiled kernels for the reconciliation's hot loops: numba's ``njit`` with the project's settings.

Kernels are plain Python functions over numpy arrays, decorated with :func:`kernel` and kept in the
modules of this package.  This module imports nothing of the engine (no cycle); the warm-up that
compiles every kernel lives apart in :mod:`complaint.reconciliation.compiled.warmup`.  They compile on first use and are cached on disk, so a later
process loads them in milliseconds; they release the GIL.  ``NUMBA_DISABLE_JIT=1`` runs them as
plain Python (for a debugger).  Modules holding kernels are imported lazily by the engine, so
commands that never reconcile do not pay numba's import.

The disk cache is keyed by the source of *all* kernel modules (:func:`cache_dir`): numba checks only
the file of the kernel it loads, and a kernel carries the code of the kernels it calls from other
modules, so after an edit of one module (or an upgrade) its callers would otherwise run the old code.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import numba

HERE = Path(__file__).parent


def kernel_sources() -> list[Path]:
    """The files whose code ends up in compiled kernels: every module of this package but the warm-up."""
    return sorted(p for p in HERE.glob("*.py") if p.name not in {"__init__.py", "warmup.py"})


def _digest() -> str:
    h = hashlib.sha256(numba.__version__.encode())
    for path in kernel_sources():
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
        return True
    except OSError:
        return False


def cache_dir() -> Path:
    """Where compiled kernels are cached: ``numba-<digest of every kernel module>`` under the package's
    ``__pycache__``, else the user's cache directory, else the temporary one (the first writable)."""
    name = f"numba-{_digest()}"
    roots = [HERE / "__pycache__", Path.home() / ".cache" / "complaint-notebook", Path(tempfile.gettempdir())]
    for root in roots:
        if _writable(root / name):
            return root / name
    return roots[-1] / name


if not os.environ.get("NUMBA_CACHE_DIR"):  # the user's own choice wins
    numba.config.CACHE_DIR = str(cache_dir())


def kernel(fn):
    """``numba.njit(cache=True, nogil=True)``: no fastmath, so float results equal numpy's."""
    return numba.njit(cache=True, nogil=True)(fn)


def prune_caches() -> list[Path]:
    """Remove the kernel caches of other versions of the sources (next to the current one)."""
    current = Path(numba.config.CACHE_DIR) if numba.config.CACHE_DIR else None
    if current is None:
        return []
    removed = []
    for old in current.parent.glob("numba-*"):
        if old != current and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    return removed
