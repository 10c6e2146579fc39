"""complaint-notebook: evidence and refund reconciliation for AliExpress disputes.

The public Python API (the same operations as the app and the CLI), imported lazily so that
``import complaint`` stays cheap:

>>> import complaint
>>> case = complaint.open_sample()
>>> rec = complaint.reconcile(case)
>>> rec.summary["refunds_overdue_eur"]
Decimal('14.90')

See :mod:`complaint.api` for every function and the README's "Python API" section.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_API = {
    "CaseHandle": "complaint.api", "open_store": "complaint.api", "open_case": "complaint.api",
    "open_sample": "complaint.api", "sample_files": "complaint.api", "list_cases": "complaint.api",
    "case_data": "complaint.api", "import_file": "complaint.api", "import_orders": "complaint.api",
    "import_statements": "complaint.api", "import_evidence": "complaint.api", "orders": "complaint.api",
    "transactions": "complaint.api", "reconcile": "complaint.api", "build_timeline": "complaint.api",
    "timeline_figure": "complaint.api", "export_dossier": "complaint.api", "overview_all": "complaint.api",
    "CaseData": "complaint.case", "Store": "complaint.store.db", "Reconciliation": "complaint.reconciliation.reconcile",
    "MissingCredit": "complaint.reconciliation.reconcile", "ComplaintError": "complaint.errors",
}

__all__ = sorted(_API)

if TYPE_CHECKING:  # pragma: no cover
    from .api import (  # noqa: F401
        CaseHandle,
        build_timeline,
        case_data,
        export_dossier,
        import_evidence,
        import_file,
        import_orders,
        import_statements,
        list_cases,
        open_case,
        open_sample,
        open_store,
        orders,
        overview_all,
        reconcile,
        sample_files,
        timeline_figure,
        transactions,
    )
    from .case import CaseData  # noqa: F401
    from .errors import ComplaintError  # noqa: F401
    from .reconciliation.reconcile import MissingCredit, Reconciliation  # noqa: F401
    from .store.db import Store  # noqa: F401


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'complaint' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
