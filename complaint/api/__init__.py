"""The Python API: everything the app does, for notebooks, scripts, the CLI and the app itself
(no Streamlit anywhere).  One function per operation; the pages and the ``complaint`` commands
call these same functions, so the surfaces cannot drift apart.

A case lives in a store (an SQLite file, ``":memory:"``, or the team's PostgreSQL) and is opened
by name; the functions take the handle (each write one transaction) or a
:class:`~complaint.case.CaseData` (a case in memory), accept paths, bytes or file objects, and
return typed records or pandas DataFrames (money as integer cents plus ``Decimal``).

>>> import complaint
>>> case = complaint.open_sample()                                  # the bundled sample case
>>> rec = complaint.reconcile(case)
>>> [(m.order_id, str(m.expected_amount), m.state) for m in rec.missing_credits]
[('8116516504403817', '14.90', 'overdue'), ('3065169024372184', '59.90', 'pending')]
>>> events = complaint.build_timeline(case, rec)
>>> list(events.columns[:4])
['id', 'on', 'at_utc', 'when']

A new case from files (paths, bytes or file objects), and what the user records by hand:

>>> c = complaint.open_case("My disputes")                          # in memory unless db= is given
>>> orders = complaint.sample_files()["orders"][0]
>>> complaint.import_orders(c, orders).added > 0
True
>>> complaint.open_case("My disputes", db=c.store).name            # opening again finds it
'My disputes'
>>> p = complaint.record_promise(c, "8116516504403817", "14,90", promised_on="2026-06-18", by="dispute")
>>> str(p.amount)
'14.90'

The modules: :mod:`~complaint.api.cases` (stores and cases), :mod:`~complaint.api.imports` and
:mod:`~complaint.api.mapping` (reading files), :mod:`~complaint.api.edits` (promises, decisions,
problems, outcomes, the buyer's profile, typed-in records), :mod:`~complaint.api.events`
(the chronology's own events, pastes), :mod:`~complaint.api.evidence` (pictures),
:mod:`~complaint.api.views` (reconciliation, summary, chronology, chart), :mod:`~complaint.api.dossier`
(guide, deadlines, letters, PDF/ZIP), :mod:`~complaint.api.analyst` (many cases, frames) and
:mod:`~complaint.api.sample`.
"""

from __future__ import annotations

from .analyst import (
    ANALYST_GROUP_COLUMNS,
    ANALYST_GROUPINGS,
    DAY_EPOCH,
    case_frames,
    duckdb_candidates,
    ecb_rates,
    load_compiled_kernels,
    merchant_rules,
    monthly_flows,
    overview_all,
    reconcile_frames,
    refund_table,
)
from .cases import (
    CaseHandle,
    CaseLike,
    case_data,
    case_from_files,
    case_is_empty,
    create_case,
    delete_case,
    export_case,
    import_case,
    list_cases,
    open_case,
    open_server_store,
    open_store,
    owned_store,
    rename_case,
)
from .dossier import (
    LETTER_LANGUAGES,
    LETTER_OUTCOMES,
    STEP_DONE,
    STEP_NOT_APPLICABLE,
    STEP_TODO,
    build_dossier,
    call_window,
    case_view,
    citation,
    contacts,
    deadlines,
    deadlines_ics,
    dossier_file_name,
    evidence_checklist,
    export_dossier,
    guide,
    letter_from_text,
    letter_kinds,
    letter_placeholders,
    order_choices,
    order_label,
    public_post_warnings,
    rules_and_contacts,
    verify_dossier,
    write_letter,
)
from .edits import (
    KEEP,
    add_order,
    add_transaction,
    annotation,
    check_arn,
    check_order_id,
    clear_decision,
    confirm_match,
    link_match,
    profile,
    promises,
    record_promise,
    reject_match,
    set_outcome,
    set_problem,
    set_profile,
    withdraw_promise,
)
from .events import (
    EventChanges,
    Pasted,
    add_event,
    delete_event,
    edit_event,
    event_kinds,
    event_lane,
    event_rows,
    lanes,
    paste_conversation,
    paste_tracking,
    read_text,
    save_event_rows,
)
from .evidence import (
    EvidenceFile,
    attach_evidence,
    capture_time_label,
    confirm_capture_day,
    detach_evidence,
    evidence_bytes,
    evidence_row,
    evidence_thumbnail,
    file_date_label,
    import_evidence,
    map_link,
    picture_metadata,
    read_evidence,
    remove_evidence,
    store_evidence,
    time_source_label,
    zone_label,
)
from .imports import (
    FileReport,
    Layouts,
    add_file,
    file_layouts,
    import_file,
    import_orders,
    import_statements,
    list_importers,
    read_file,
    rejected_csv,
)
from .mapping import (
    MappingProposal,
    field_label,
    load_mapping,
    make_mapping,
    mapping_fields,
    mapping_profiles,
    propose_mapping,
    save_mapping,
)
from .sample import open_sample, sample_files
from .screens import (
    accept_suggestion,
    is_screenshot,
    keep_screen_readings,
    ocr_status,
    read_case_screens,
    read_screen_text,
    reject_suggestion,
    screen_crop,
    screen_label,
    screen_reading,
    screen_suggestions,
    unread_screenshots,
)
from .views import (
    MISSING_COLUMNS,
    TimelineChart,
    build_timeline,
    case_summary,
    chronology,
    chronology_table,
    find_orders,
    find_transactions,
    open_problem_orders,
    order_findings,
    orders,
    reconcile,
    refresh_summary,
    timeline_chart,
    timeline_figure,
    timeline_flags,
    timeline_html,
    timeline_png,
    transactions,
    transactions_by_id,
    write_json,
    write_json_array,
    write_report,
)

__all__ = [
    # cases and stores
    "CaseHandle", "CaseLike", "open_store", "open_server_store", "owned_store", "open_case", "create_case",
    "list_cases", "rename_case", "delete_case", "export_case", "import_case", "case_data", "case_from_files",
    "case_is_empty", "open_sample", "sample_files",
    # reading files
    "FileReport", "Layouts", "read_file", "add_file", "import_file", "import_orders", "import_statements",
    "list_importers", "file_layouts", "rejected_csv", "MappingProposal", "propose_mapping", "mapping_fields",
    "field_label", "make_mapping", "save_mapping", "mapping_profiles", "load_mapping",
    # what the user records
    "KEEP", "check_order_id", "check_arn", "record_promise", "withdraw_promise", "promises", "confirm_match", "reject_match", "link_match",
    "clear_decision", "annotation", "set_problem", "set_outcome", "profile", "set_profile", "add_order",
    "add_transaction",
    # the chronology's own events
    "EventChanges", "Pasted", "event_kinds", "event_lane", "lanes", "event_rows", "add_event", "edit_event", "delete_event",
    "save_event_rows", "paste_conversation", "paste_tracking", "read_text",
    # pictures
    "EvidenceFile", "read_evidence", "store_evidence", "import_evidence", "evidence_row", "attach_evidence",
    "detach_evidence", "remove_evidence", "evidence_bytes", "evidence_thumbnail", "capture_time_label", "zone_label",
    "file_date_label", "confirm_capture_day", "time_source_label", "map_link", "picture_metadata",
    # text on screenshots
    "ocr_status", "is_screenshot", "read_screen_text", "screen_label", "screen_reading", "keep_screen_readings",
    "unread_screenshots", "read_case_screens", "screen_suggestions", "accept_suggestion", "reject_suggestion",
    "screen_crop",
    # what a case shows
    "reconcile", "case_summary", "refresh_summary", "order_findings", "chronology", "build_timeline",
    "TimelineChart", "timeline_chart", "timeline_figure", "timeline_html", "timeline_png", "timeline_flags",
    "chronology_table", "orders", "transactions", "find_orders", "find_transactions", "open_problem_orders", "transactions_by_id",
    "write_json", "write_json_array", "write_report", "MISSING_COLUMNS", "case_frames",
    # the dossier
    "case_view", "STEP_DONE", "STEP_TODO", "STEP_NOT_APPLICABLE", "guide", "evidence_checklist", "order_choices",
    "deadlines", "deadlines_ics", "call_window", "contacts", "citation", "rules_and_contacts", "letter_kinds",
    "LETTER_LANGUAGES", "LETTER_OUTCOMES", "write_letter", "letter_from_text", "letter_placeholders",
    "public_post_warnings", "order_label", "build_dossier", "export_dossier", "dossier_file_name", "verify_dossier",
    # analysts
    "overview_all", "refund_table", "monthly_flows", "ANALYST_GROUPINGS", "ANALYST_GROUP_COLUMNS",
    "reconcile_frames", "merchant_rules", "DAY_EPOCH", "ecb_rates", "duckdb_candidates", "load_compiled_kernels",
]
