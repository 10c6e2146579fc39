"""Reconciliation: payments against orders, refunds against promises, and the credits still missing.

``reconcile.reconcile(case)`` is the records-level entry point; ``engine.reconcile_frames`` the one
vectorised engine it runs (candidates in ``pay``/``refund``, the assignment in ``assign``, expected
refunds in ``expect``, currencies in ``fx``, links between transactions in ``links``, reasons in
``explain``, flat results in ``result``); ``compiled/`` holds the numba kernels of the bulk path.
"""
