"""Compiled numba kernels of the reconciliation's bulk path (loaded only above the bulk threshold).

``kernel`` is the decorator and its disk cache and imports nothing of the engine; ``warmup`` compiles
every kernel once (``python -m complaint.reconciliation.compiled.warmup``) and nothing imports it.
"""
