"""Shared checks for importer tests: a golden-file summary of a result, the row accounting, and
the "records with full accounting or the project's own error" property used by the fuzz tests."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from complaint.errors import ComplaintError
from complaint.importers.textio import Source
from complaint.serialize import to_dict

# Per-format fuzz tests; the 2,000-per-importer CI run is tests/security/test_fuzz_importers.py.
FUZZ = settings(max_examples=int(os.environ.get("COMPLAINT_FUZZ_UNIT_EXAMPLES", "200")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def summary(r) -> dict:
    """Everything a golden .expected.json file pins about one ImportResult."""
    return {"importer": r.importer, "rows_total": r.rows_total, "rows_imported": r.rows_imported,
            "rejected": [str(i) for i in r.rejected], "warnings": [str(i) for i in r.warnings],
            "skipped": [str(i) for i in r.skipped], "balance_check": to_dict(r.balance_check),
            "statement": to_dict(r.statement), "records": [to_dict(t) for t in r.records]}


def accounted(r) -> bool:
    return r.rows_total == r.rows_imported + len(r.rejected) + len(r.skipped)


def check_any(importer, data: bytes, name: str = "fuzz") -> None:
    """``importer.extract`` gives records with full row accounting, or a ComplaintError with a message."""
    try:
        r = importer.extract(Source(name, data))
    except ComplaintError as exc:
        assert str(exc)
        return
    assert accounted(r)
