"""The bundled sample case (sample_data/, made by sample_data/generate.py).

``load_sample(store)`` imports every sample file through the same importers a user's files go
through, then adds what a user would record by hand (refund promises, problem annotations,
dispute events, pasted conversations, the buyer's details) from sample_data/case.json.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from ..case import CaseData
from ..errors import CaseNotFound, ComplaintError
from ..i18n import _
from ..records import BuyerProfile, Case, Event, OrderAnnotation, RefundPromise
from ..serialize import from_dict
from .cases import CaseHandle, as_store, case_from_files

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLE_NAME = "Sample case"


def sample_files(root: Path = SAMPLE_DIR) -> dict[str, list[Path]]:
    """Paths of the sample's raw files: ``{"orders": [...], "bank": [...], "evidence": [...], "messages": [...]}``.

    >>> import complaint
    >>> [p.name for p in complaint.sample_files()["orders"]]
    ['aliexpress_bulk_export.tsv', 'aliexpress_orders.csv']
    """
    if not root.is_dir():
        raise ComplaintError(_("the sample data folder {path} is missing", path=root))

    def files(sub: str) -> list[Path]:
        d = root / sub
        return sorted(p for p in d.iterdir() if p.is_file() and not p.name.startswith((".", "README"))) \
            if d.is_dir() else []

    return {"orders": files("orders"), "bank": files("bank"), "evidence": files("evidence"),
            "messages": files("messages")}


def _case_json(root: Path) -> dict:
    path = root / "case.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def user_records(root: Path = SAMPLE_DIR) -> tuple[list[RefundPromise], list[OrderAnnotation], list[Event], date | None]:
    """What the sample user recorded by hand (promises, annotations, manual events) and as_of."""
    doc = _case_json(root)
    promises = [from_dict(RefundPromise, p) for p in doc.get("promises", [])]
    annotations = [from_dict(OrderAnnotation, a) for a in doc.get("annotations", [])]
    events = [from_dict(Event, e) for e in doc.get("events", [])]
    as_of = date.fromisoformat(doc["as_of"]) if doc.get("as_of") else None
    return promises, annotations, events, as_of


def buyer_profile(root: Path = SAMPLE_DIR) -> BuyerProfile | None:
    """The sample buyer's details (case.json "buyer")."""
    buyer = _case_json(root).get("buyer")
    if not buyer:
        return None
    return BuyerProfile(name=buyer.get("name"), address=buyer.get("address"), email=buyer.get("email"),
                        language=buyer.get("language"))


def pasted_events(root: Path = SAMPLE_DIR) -> list[Event]:
    """Seller conversations and tracking histories, parsed like a user's paste."""
    from ..timeline.paste import parse_conversation, parse_tracking

    files = _case_json(root).get("files", {})
    out: list[Event] = []
    for rel, order_id in sorted(files.get("messages", {}).items()):
        text = (root / rel).read_text(encoding="utf-8")
        out.extend(parse_conversation(text, order_id, source_name=Path(rel).name).events)
    for rel, order_id in sorted(files.get("tracking", {}).items()):
        text = (root / rel).read_text(encoding="utf-8")
        out.extend(parse_tracking(text, order_id, source_name=Path(rel).name).events)
    return out


def evidence_links(root: Path = SAMPLE_DIR) -> dict[str, str]:
    """Evidence file name -> the order the sample user attached it to."""
    files = _case_json(root).get("files", {})
    return {Path(rel).name: order_id for rel, order_id in files.get("evidence", {}).items()}


def _attach(evidence, links: dict[str, str]):
    order_id = links.get(evidence.file_name)
    return replace(evidence, order_id=order_id) if order_id and not evidence.order_id else evidence


def sample_case_data(root: Path = SAMPLE_DIR) -> CaseData:
    """The sample case without a store (notebooks, tests, CLI one-off runs)."""
    files = sample_files(root)
    promises, annotations, events, as_of = user_records(root)
    case = case_from_files(orders=files["orders"], bank=files["bank"], evidence=files["evidence"],
                           as_of=as_of, name=SAMPLE_NAME)
    links = evidence_links(root)
    case.evidence = [_attach(e, links) for e in case.evidence]
    case.promises = promises
    case.annotations = {a.order_id: a for a in annotations}
    case.events.extend(events)
    case.events.extend(pasted_events(root))
    case.profile = buyer_profile(root)
    return case


def load_sample(store, name: str = SAMPLE_NAME, root: Path = SAMPLE_DIR, progress=None) -> Case:
    """Import the sample case into ``store`` (once; an existing case of that name is returned)."""
    try:
        return store.get_case(name)
    except CaseNotFound:
        pass
    from ..evidence.ingest import ingest_paths
    from ..importers.base import import_file

    files = sample_files(root)
    promises, annotations, events, as_of = user_records(root)
    case = store.create_case(name, as_of=as_of)
    for path in files["orders"]:
        store.add_import(case.id, import_file(path, kind="orders"))
    for path in files["bank"]:
        store.add_import(case.id, import_file(path, kind="bank"))
    links = evidence_links(root)
    for item in ingest_paths(files["evidence"], progress=progress):
        store.add_evidence(case.id, _attach(item.evidence, links), item.read_bytes())
    for p in promises:
        store.add_promise(case.id, p)
    for a in annotations:
        store.set_annotation(case.id, a)
    for e in events + pasted_events(root):
        store.add_event(case.id, e)
    profile = buyer_profile(root)
    if profile is not None:
        store.set_buyer_profile(case.id, profile)
    return case


def open_sample(db=None, *, name: str = SAMPLE_NAME, progress=None) -> CaseHandle:
    """The bundled sample case, imported into the store ``db`` once (None: a new in-memory store).

    >>> import complaint
    >>> case = complaint.open_sample()
    >>> (case.name, str(case.as_of))
    ('Sample case', '2026-11-20')
    """
    store = as_store(db)
    return CaseHandle(store, load_sample(store, name=name, progress=progress))
