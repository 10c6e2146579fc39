"""Compiled kernels for the reconciliation's hot loops: numba's ``njit`` with the project's settings.

Kernels are plain Python functions over numpy arrays, decorated with :func:`kernel`.  They compile on
first use and are cached on disk next to their module (``__pycache__``), so a later process loads
them in milliseconds; they release the GIL.  ``NUMBA_DISABLE_JIT=1`` runs them as plain Python (for a
debugger).  Modules holding kernels are imported lazily by the engine, so commands that never
reconcile do not pay numba's import.
"""

from __future__ import annotations

import numba


def kernel(fn):
    """``numba.njit(cache=True, nogil=True)``: no fastmath, so float results equal numpy's."""
    return numba.njit(cache=True, nogil=True)(fn)
