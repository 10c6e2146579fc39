"""complaint-notebook: evidence and refund reconciliation for AliExpress disputes.

The public Python API (the same operations as the app and the CLI: :mod:`complaint.api`),
imported lazily so that ``import complaint`` stays cheap:

>>> import complaint
>>> case = complaint.open_sample()
>>> rec = complaint.reconcile(case)
>>> rec.summary["refunds_overdue_eur"]
Decimal('14.90')

See :mod:`complaint.api` for every function and the README's "Python API" section.
"""

from __future__ import annotations

import importlib
from typing import Any

# every name of complaint.api.__all__ (tests/test_api.py checks the two lists agree)
API_NAMES = (
    "CaseHandle", "CaseLike", "open_store", "open_server_store", "owned_store", "open_case", "create_case",
    "list_cases", "rename_case", "delete_case", "export_case", "import_case", "case_data", "case_from_files",
    "case_is_empty", "open_sample", "sample_files", "FileReport", "Layouts", "read_file", "add_file",
    "import_file", "import_orders", "import_statements", "list_importers", "file_layouts", "rejected_csv",
    "MappingProposal", "propose_mapping", "mapping_fields", "field_label", "make_mapping", "save_mapping",
    "mapping_profiles", "load_mapping", "KEEP", "check_order_id", "check_arn", "record_promise", "withdraw_promise",
    "promises", "confirm_match", "reject_match", "link_match", "clear_decision", "annotation", "set_problem",
    "set_outcome", "profile", "set_profile", "add_order", "add_transaction", "EventChanges", "Pasted",
    "event_kinds", "event_lane", "lanes", "event_rows", "add_event", "edit_event", "delete_event",
    "save_event_rows", "paste_conversation", "paste_tracking", "read_text", "EvidenceFile", "read_evidence",
    "store_evidence", "import_evidence", "evidence_row", "attach_evidence", "detach_evidence",
    "remove_evidence", "evidence_bytes", "evidence_thumbnail", "capture_time_label", "file_date_label", "confirm_capture_day",
    "time_source_label", "map_link", "picture_metadata", "ocr_status", "is_screenshot", "read_screen_text", "screen_label",
    "screen_reading", "keep_screen_readings", "unread_screenshots", "read_case_screens", "screen_suggestions",
    "accept_suggestion", "reject_suggestion", "screen_crop", "reconcile", "case_summary", "refresh_summary", "order_findings",
    "chronology", "build_timeline", "TimelineChart", "timeline_chart", "timeline_figure", "timeline_html",
    "timeline_png", "timeline_flags", "chronology_table", "orders", "transactions", "STEP_DONE", "STEP_TODO",
    "STEP_NOT_APPLICABLE", "case_view", "guide", "evidence_checklist", "order_choices", "deadlines", "deadlines_ics",
    "call_window", "contacts", "citation", "rules_and_contacts", "letter_kinds", "LETTER_LANGUAGES",
    "LETTER_OUTCOMES", "write_letter", "letter_from_text", "letter_placeholders", "public_post_warnings",
    "order_label", "build_dossier", "export_dossier", "dossier_file_name", "verify_dossier", "overview_all",
    "refund_table", "monthly_flows", "ANALYST_GROUPINGS", "ANALYST_GROUP_COLUMNS", "reconcile_frames",
    "merchant_rules", "DAY_EPOCH", "ecb_rates", "duckdb_candidates", "load_compiled_kernels", "find_orders",
    "find_transactions", "write_json", "write_json_array", "write_report", "MISSING_COLUMNS", "case_frames",
    "zone_label", "transactions_by_id", "open_problem_orders",
)
_OTHER = {
    "CaseData": "complaint.case", "Store": "complaint.store.db", "Reconciliation": "complaint.reconciliation.reconcile",
    "MissingCredit": "complaint.reconciliation.reconcile", "ComplaintError": "complaint.errors",
}

__all__ = sorted({*API_NAMES, *_OTHER})


def __getattr__(name: str) -> Any:
    if name in API_NAMES:
        module = "complaint.api"
    elif name in _OTHER:
        module = _OTHER[name]
    else:
        raise AttributeError(f"module 'complaint' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
