"""The case store: a real SQLite database file (or ``:memory:`` in hosted mode).

Foreign keys on, WAL journal for files, every write in one transaction, schema versioned by
:mod:`complaint.store.migrations`.  Records are stored as their exact JSON (complaint.serialize) next
to the key columns, so every record type round-trips unchanged.  Re-importing a file already
seen (same SHA-256) adds nothing; an overlapping file adds only what is new.

Every write that changes a case bumps its ``revision`` in the same transaction; a snapshot of
figures computed from the case (``case_cache``, e.g. the home page's) is only returned while the
revision it was computed at is still the case's (SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import io
import json
import sqlite3
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from ..archive import Archive, ArchiveLimits
from ..case import CaseData
from ..errors import CaseNotFound, ComplaintError, LimitExceeded, StoreError
from ..i18n import _
from ..records import (
    BankTxn,
    BuyerProfile,
    Case,
    Decision,
    Event,
    Evidence,
    ImportResult,
    Issue,
    MappingProfile,
    Order,
    OrderAnnotation,
    RefundPromise,
)
from ..serialize import dumps, from_dict
from . import blocks
from . import imports as store_imports
from .dialect import SQLITE, Db, Dialect, insert, insert_ignore, upsert

CASE_FILE_FORMAT = "complaint-notebook-case"
CASE_FILE_VERSION = 2  # 2: the buyer's profile; a version-1 file (without it) still opens
CASE_FILE_VERSIONS = (1, 2)

# record type -> (table, key column, key attribute) for Store.write
_KEYED = {Event: ("events", "event_id", "id"), RefundPromise: ("promises", "promise_id", "id"),
          OrderAnnotation: ("annotations", "order_id", "order_id"), Decision: ("decisions", "match_key", "match_key"),
          Order: ("orders", "order_id", "order_id")}


@dataclass
class ImportSummary:
    file: str
    importer: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    already_imported: bool = False
    events: list[Event] = field(default_factory=list)


_ANY = object()   # list_cases(owner=_ANY): every owner's cases


class Store:
    """A handle on one case store: SQLite, or PostgreSQL through complaint.store.postgres (the SQL
    differences live in complaint.store.dialect).  Thread-safe (one lock per store)."""

    def __init__(self, conn, path: str, dialect: Dialect = SQLITE):
        self.conn = conn
        self.path = path
        self.dialect = dialect
        self._db = Db(conn, dialect)
        self._lock = threading.RLock()

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path = ":memory:") -> Store:
        path = str(path)
        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            path = str(Path(path).expanduser())
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
            conn.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
            SQLITE.migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(_("{path}: not a usable case store ({error})", path=path, error=exc)) from exc
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _tx(self) -> Iterator[Db]:
        with self._lock:
            self._db.execute(self.dialect.begin)
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # -- cases -------------------------------------------------------------------------------
    def list_cases(self, *, owner: str | None | object = _ANY) -> list[Case]:
        """Every case, or only those of ``owner`` (None: the cases that have no owner)."""
        if owner is _ANY:
            rows = self._rows("SELECT id, name, created_at, as_of FROM cases ORDER BY name, id")
        elif owner is None:
            rows = self._rows("SELECT id, name, created_at, as_of FROM cases WHERE owner IS NULL ORDER BY name, id")
        else:
            rows = self._rows("SELECT id, name, created_at, as_of FROM cases WHERE owner = ? ORDER BY name, id",
                              (owner,))
        return [self._case(r) for r in rows]

    @staticmethod
    def _case(row: tuple) -> Case:
        return Case(id=row[0], name=row[1], created_at=datetime.fromisoformat(row[2]),
                    as_of=date.fromisoformat(row[3]) if row[3] else None)

    def create_case(self, name: str, as_of: date | None = None, owner: str | None = None) -> Case:
        name = (name or "").strip()
        if not name:
            raise ComplaintError(_("a case needs a name"))
        try:
            with self._tx() as c:
                (new_id,) = c.execute("INSERT INTO cases (name, created_at, as_of, owner) VALUES (?, ?, ?, ?) "
                                      "RETURNING id", (name, datetime.now(UTC).isoformat(),
                                                       as_of.isoformat() if as_of else None, owner)).fetchone()
        except self.dialect.integrity_errors as exc:
            raise ComplaintError(_("a case named '{name}' already exists", name=name)) from exc
        return self.get_case(new_id)

    def get_case(self, name_or_id: str | int) -> Case:
        if isinstance(name_or_id, int) or (isinstance(name_or_id, str) and name_or_id.isdigit()):
            rows = self._rows("SELECT id, name, created_at, as_of FROM cases WHERE id = ?", (int(name_or_id),))
            if not rows and isinstance(name_or_id, str):
                rows = self._rows("SELECT id, name, created_at, as_of FROM cases WHERE name = ?", (name_or_id,))
        else:
            rows = self._rows("SELECT id, name, created_at, as_of FROM cases WHERE name = ?", (name_or_id,))
        if not rows:
            raise CaseNotFound(_("no case named '{name}' in {path}", name=name_or_id, path=self.path))
        if len(rows) > 1:  # only where names are unique per owner: the caller must choose by id
            raise ComplaintError(_("several cases are named '{name}': choose one by its number", name=name_or_id))
        return self._case(rows[0])

    def rename_case(self, case_id: int, new_name: str) -> Case:
        self.get_case(case_id)
        new_name = (new_name or "").strip()
        if not new_name:
            raise ComplaintError(_("a case needs a name"))
        try:
            with self._tx() as c:
                c.execute("UPDATE cases SET name = ? WHERE id = ?", (new_name, case_id))
                self._bump(c, case_id)
        except self.dialect.integrity_errors as exc:
            raise ComplaintError(_("a case named '{name}' already exists", name=new_name)) from exc
        return self.get_case(case_id)

    def set_case_as_of(self, case_id: int, as_of: date | None) -> None:
        with self._tx() as c:
            c.execute("UPDATE cases SET as_of = ? WHERE id = ?", (as_of.isoformat() if as_of else None, case_id))
            self._bump(c, case_id)

    def delete_case(self, case_id: int) -> None:
        self.get_case(case_id)
        with self._tx() as c:
            c.execute("DELETE FROM cases WHERE id = ?", (case_id,))

    def case_owner(self, case_id: int) -> str | None:
        rows = self._rows("SELECT owner FROM cases WHERE id = ?", (case_id,))
        if not rows:
            raise CaseNotFound(_("no case with id {id}", id=case_id))
        return rows[0][0]

    # -- imports -----------------------------------------------------------------------------
    def add_import(self, case_id: int, result: ImportResult) -> ImportSummary:
        """Store one import result in one transaction, in bulk (a large import as a columnar block);
        the same file twice, or overlapping files, add nothing twice."""
        self.get_case(case_id)
        summary = ImportSummary(result.file, result.importer, rejected=len(result.rejected))
        if result.kind not in ("orders", "bank"):
            raise ComplaintError(_("unknown import kind {kind}", kind=result.kind))
        with self._tx() as c:
            if c.execute("SELECT 1 FROM source_files WHERE case_id = ? AND sha256 = ?",
                         (case_id, result.sha256)).fetchone():
                summary.already_imported = True
                summary.rejected = 0
                return summary
            self._bump(c, case_id)
            store_imports.add_result(c, case_id, result, summary)
            c.execute("INSERT INTO source_files (case_id, sha256, name, kind, importer, imported_at, summary) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (case_id, result.sha256, result.file, result.kind, result.importer,
                       datetime.now(UTC).isoformat(), dumps(replace(result, records=(), rejected=()))))
        return summary

    # -- loading -----------------------------------------------------------------------------
    def load_case(self, case_id: int) -> CaseData:
        case = self.get_case(case_id)

        def load(table: str, cls: type, order_by: str = "rowid") -> list:
            return [from_dict(cls, json.loads(p)) for (p,) in
                    self._rows(f"SELECT payload FROM {table} WHERE case_id = ? ORDER BY {order_by}",  # noqa: S608
                               (case_id,))]

        data = CaseData(name=case.name, as_of=case.as_of)
        data.orders = load("orders", Order)
        data.transactions = load("transactions", BankTxn, "booking_date, txn_id")
        with self._lock:  # large imports: their blocks, as columns (a JSON row of the same id wins)
            for kind, known in (("orders", {o.order_id for o in data.orders}),
                                ("bank", {t.id for t in data.transactions})):
                for part in blocks.parts(self._db, case_id, kind):
                    part = blocks.without(part, known)
                    if part is not None:
                        data.add_columns(part)
        data.evidence = load("evidence", Evidence)
        data.events = load("events", Event)
        data.promises = load("promises", RefundPromise)
        data.annotations = {a.order_id: a for a in load("annotations", OrderAnnotation)}
        data.decisions = load("decisions", Decision)
        data.rejected = load("rejected_rows", Issue, "file_sha256, seq")
        data.imports = [from_dict(ImportResult, json.loads(p)) for (p,) in self._rows(
            "SELECT summary FROM source_files WHERE case_id = ? ORDER BY imported_at", (case_id,))]
        data.profile = self._profile(case_id)
        return data

    def block_rows(self, case_id: int) -> int:
        """How many records the case keeps in columnar blocks (large imports), without reading them."""
        return int(self._rows("SELECT COALESCE(SUM(rows), 0) FROM record_blocks WHERE case_id = ? AND kind IN "
                              "('transactions', 'orders')", (case_id,))[0][0])

    def has_records(self, case_id: int) -> bool:
        """True when the case holds an order or a statement line (cheaper than loading it)."""
        return bool(self._rows("SELECT EXISTS (SELECT 1 FROM orders WHERE case_id = ?) "
                               "OR EXISTS (SELECT 1 FROM transactions WHERE case_id = ?) "
                               "OR EXISTS (SELECT 1 FROM record_blocks WHERE case_id = ?)",
                               (case_id, case_id, case_id))[0][0])

    # -- single records ----------------------------------------------------------------------
    def _put(self, table: str, key_col: str, case_id: int, key: str, record) -> None:
        self.get_case(case_id)
        with self._tx() as c:
            c.execute(upsert(table, ("case_id", key_col, "payload"), ("case_id", key_col)),
                      (case_id, key, dumps(record)))
            self._bump(c, case_id)

    def _delete(self, table: str, key_col: str, case_id: int, key: str) -> None:
        with self._tx() as c:
            if c.execute(f"DELETE FROM {table} WHERE case_id = ? AND {key_col} = ?", (case_id, key)).rowcount:  # noqa: S608
                self._bump(c, case_id)

    def add_order(self, case_id: int, order: Order) -> None:
        """A hand-entered order (manual entry); replaces one with the same id."""
        self._put("orders", "order_id", case_id, order.order_id, order)

    def add_transaction(self, case_id: int, txn: BankTxn) -> None:
        self.get_case(case_id)
        with self._tx() as c:
            c.execute(upsert("transactions", ("case_id", "txn_id", "booking_date", "payload"), ("case_id", "txn_id")),
                      (case_id, txn.id, txn.booking_date.isoformat(), dumps(txn)))
            self._bump(c, case_id)

    def add_event(self, case_id: int, event: Event) -> None:
        self._put("events", "event_id", case_id, event.id, event)

    def delete_event(self, case_id: int, event_id: str) -> None:
        self._delete("events", "event_id", case_id, event_id)

    def add_promise(self, case_id: int, promise: RefundPromise) -> None:
        self._put("promises", "promise_id", case_id, promise.id, promise)

    def delete_promise(self, case_id: int, promise_id: str) -> None:
        self._delete("promises", "promise_id", case_id, promise_id)

    def set_annotation(self, case_id: int, annotation: OrderAnnotation) -> None:
        self._put("annotations", "order_id", case_id, annotation.order_id, annotation)

    def set_decision(self, case_id: int, decision: Decision) -> None:
        self._put("decisions", "match_key", case_id, decision.match_key, decision)

    def clear_decision(self, case_id: int, match_key: str) -> None:
        self._delete("decisions", "match_key", case_id, match_key)

    def write(self, case_id: int, put: tuple | list = (), delete: tuple | list = ()) -> None:
        """Several records of one case in one transaction: each record of ``put`` (an Event,
        RefundPromise, OrderAnnotation, Decision or Order) replaces the one with its key; each
        ``(record type, key)`` of ``delete`` is removed.  All or nothing."""
        self.get_case(case_id)
        for record in put:
            if type(record) not in _KEYED:
                raise TypeError(f"Store.write cannot keep a {type(record).__name__}")
        with self._tx() as c:
            for kind, key in delete:
                table, key_col, _attr = _KEYED[kind]
                c.execute(f"DELETE FROM {table} WHERE case_id = ? AND {key_col} = ?", (case_id, key))  # noqa: S608
                if kind is Order:
                    blocks.delete_ids(c, case_id, "orders", {key})
            for record in put:
                table, key_col, attr = _KEYED[type(record)]
                c.execute(upsert(table, ("case_id", key_col, "payload"), ("case_id", key_col)),
                          (case_id, getattr(record, attr), dumps(record)))
            self._bump(c, case_id)

    # -- the buyer's profile -------------------------------------------------------------------
    def set_buyer_profile(self, case_id: int, profile: BuyerProfile) -> None:
        """Keep the buyer's details (name, postal address, e-mail, language) with the case."""
        self.get_case(case_id)
        with self._tx() as c:
            c.execute(upsert("profiles", ("case_id", "payload"), ("case_id",)), (case_id, dumps(profile)))
            self._bump(c, case_id)

    def buyer_profile(self, case_id: int) -> BuyerProfile | None:
        self.get_case(case_id)
        return self._profile(case_id)

    def _profile(self, case_id: int) -> BuyerProfile | None:
        rows = self._rows("SELECT payload FROM profiles WHERE case_id = ?", (case_id,))
        return from_dict(BuyerProfile, json.loads(rows[0][0])) if rows else None

    # -- revision and snapshots ----------------------------------------------------------------
    @property
    def keeps_snapshots(self) -> bool:
        """True when this store has the revision counter and ``case_cache`` (SQLite: migration 3;
        PostgreSQL: its migration 2): every store opened through :meth:`open` or
        :func:`complaint.store.postgres.open_server_store` does."""
        return True

    def _bump(self, c: Db, case_id: int) -> None:
        """The case changed: a new revision (in the caller's transaction), so its snapshots are stale."""
        if self.keeps_snapshots:
            c.execute("UPDATE cases SET revision = revision + 1 WHERE id = ?", (case_id,))

    def case_revision(self, case_id: int) -> int | None:
        """The case's revision counter (None on a store that keeps no snapshots)."""
        if not self.keeps_snapshots:
            return None
        rows = self._rows("SELECT revision FROM cases WHERE id = ?", (case_id,))
        if not rows:
            raise CaseNotFound(_("no case with id {id}", id=case_id))
        return int(rows[0][0])

    def case_snapshot(self, case_id: int, name: str) -> dict | None:
        """The snapshot ``name`` of the case if it was saved at the case's current revision, else None."""
        if not self.keeps_snapshots:
            return None
        rows = self._rows("SELECT k.payload FROM case_cache k JOIN cases c ON c.id = k.case_id "
                          "WHERE k.case_id = ? AND k.name = ? AND k.revision = c.revision", (case_id, name))
        return json.loads(rows[0][0]) if rows else None

    def save_case_snapshot(self, case_id: int, name: str, payload: dict, revision: int | None) -> bool:
        """Keep ``payload`` (JSON-ready) as snapshot ``name``, computed from the case at ``revision``
        (read with :meth:`case_revision` before loading the case, so a write made meanwhile leaves it
        stale).  False when the store keeps no snapshots or the case has changed since."""
        if not self.keeps_snapshots or revision is None:
            return False
        with self._tx() as c:
            row = c.execute("SELECT revision FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None or int(row[0]) != revision:
                return False
            c.execute(upsert("case_cache", ("case_id", "name", "revision", "saved_at", "payload"),
                             ("case_id", "name")),
                      (case_id, name, revision, datetime.now(UTC).isoformat(),
                       json.dumps(payload, ensure_ascii=False)))
        return True

    # -- evidence ----------------------------------------------------------------------------
    def add_evidence(self, case_id: int, evidence: Evidence, data: bytes) -> bool:
        """Keep the original bytes unchanged; False when the same file (hash) is already there."""
        self.get_case(case_id)
        with self._tx() as c:
            cur = c.execute(insert_ignore("evidence", ("case_id", "sha256", "payload", "content")),
                            (case_id, evidence.sha256, dumps(evidence), bytes(data)))
            if cur.rowcount:
                self._bump(c, case_id)
            return bool(cur.rowcount)

    def update_evidence(self, case_id: int, evidence: Evidence) -> None:
        with self._tx() as c:
            cur = c.execute("UPDATE evidence SET payload = ? WHERE case_id = ? AND sha256 = ?",
                            (dumps(evidence), case_id, evidence.sha256))
            if not cur.rowcount:
                raise ComplaintError(_("no evidence file {sha} in this case", sha=evidence.sha256[:12]))
            self._bump(c, case_id)

    def evidence_bytes(self, case_id: int, sha256: str) -> bytes:
        rows = self._rows("SELECT content FROM evidence WHERE case_id = ? AND sha256 = ?", (case_id, sha256))
        if not rows:
            raise ComplaintError(_("no evidence file {sha} in this case", sha=sha256[:12]))
        return bytes(rows[0][0])

    def delete_evidence(self, case_id: int, sha256: str) -> None:
        self._delete("evidence", "sha256", case_id, sha256)

    # -- screenshot text (SQLite migration 6, PostgreSQL 5) ----------------------------------
    def ocr_reading(self, case_id: int, sha256: str, engine: str) -> dict | None:
        """The text read on a kept screenshot by reader version ``engine`` (None: not read yet)."""
        rows = self._rows("SELECT payload FROM ocr_readings WHERE case_id = ? AND sha256 = ? AND engine = ?",
                          (case_id, sha256, engine))
        return json.loads(rows[0][0]) if rows else None

    def save_ocr_reading(self, case_id: int, sha256: str, engine: str, payload: dict) -> None:
        with self._tx() as c:
            c.execute(upsert("ocr_readings", ("case_id", "sha256", "engine", "payload"),
                             ("case_id", "sha256", "engine")),
                      (case_id, sha256, engine, json.dumps(payload, ensure_ascii=False)))

    def suggestion_decisions(self, case_id: int) -> dict[str, dict]:
        """suggestion id -> {decision, sha256, decided_at, payload} for every decided suggestion."""
        rows = self._rows("SELECT suggestion_id, sha256, decision, decided_at, payload FROM suggestion_decisions "
                          "WHERE case_id = ? ORDER BY rowid", (case_id,))
        return {r[0]: {"sha256": r[1], "decision": r[2], "decided_at": r[3], "payload": json.loads(r[4])}
                for r in rows}

    def decide_suggestion(self, case_id: int, suggestion_id: str, sha256: str, decision: str, payload: dict,
                          put: tuple | list = ()) -> None:
        """Record an accepted or rejected suggestion, with the records an acceptance makes, in one
        transaction."""
        for record in put:
            if type(record) not in _KEYED:
                raise TypeError(f"Store.decide_suggestion cannot keep a {type(record).__name__}")
        with self._tx() as c:
            for record in put:
                table, key_col, attr = _KEYED[type(record)]
                c.execute(upsert(table, ("case_id", key_col, "payload"), ("case_id", key_col)),
                          (case_id, getattr(record, attr), dumps(record)))
            c.execute(upsert("suggestion_decisions", ("case_id", "suggestion_id", "sha256", "decision",
                                                      "decided_at", "payload"), ("case_id", "suggestion_id")),
                      (case_id, suggestion_id, sha256, decision, datetime.now(UTC).isoformat(),
                       json.dumps(payload, ensure_ascii=False)))
            self._bump(c, case_id)

    # -- mapping profiles --------------------------------------------------------------------
    def _profile_owner(self, owner: str | None) -> None:
        if owner is not None and not self.dialect.owner_profiles:
            raise StoreError(_("this case store keeps no per-user mapping profiles"))

    def save_profile(self, profile: MappingProfile, *, owner: str | None = None) -> None:
        self._profile_owner(owner)
        with self._tx() as c:
            if self.dialect.owner_profiles:  # (owner, name) is the key; NULL owner is a value like any other
                c.execute("DELETE FROM mapping_profiles WHERE name = ? AND owner IS NOT DISTINCT FROM ?",
                          (profile.name, owner))
                c.execute(insert("mapping_profiles", ("owner", "name", "kind", "payload")),
                          (owner, profile.name, profile.kind, dumps(profile)))
            else:
                c.execute(upsert("mapping_profiles", ("name", "kind", "payload"), ("name",)),
                          (profile.name, profile.kind, dumps(profile)))

    def profiles(self, kind: str | None = None, *, owner: str | None = None) -> list[MappingProfile]:
        self._profile_owner(owner)
        where, params = [], []
        if self.dialect.owner_profiles:
            where.append("owner IS NOT DISTINCT FROM ?")
            params.append(owner)
        if kind:
            where.append("kind = ?")
            params.append(kind)
        sql = "SELECT payload FROM mapping_profiles" + (" WHERE " + " AND ".join(where) if where else "")  # noqa: S608
        return [from_dict(MappingProfile, json.loads(p)) for (p,) in self._rows(sql + " ORDER BY name", tuple(params))]

    # -- whole-case files --------------------------------------------------------------------
    def export_case(self, case_id: int) -> bytes:
        """One ZIP file: case.json (every record, exact) + evidence/<sha256> originals."""
        case = self.get_case(case_id)
        tables = {}
        for table in ("orders", "transactions", "events", "promises", "annotations", "decisions", "rejected_rows"):
            tables[table] = self.raw_table(case_id, table)
        tables["source_files"] = [
            {"sha256": s, "name": n, "kind": k, "importer": i, "imported_at": t, "summary": json.loads(m)}
            for s, n, k, i, t, m in self._rows(
                "SELECT sha256, name, kind, importer, imported_at, summary FROM source_files WHERE case_id = ? "
                "ORDER BY rowid", (case_id,))]
        evidence = self._rows("SELECT sha256, payload, content FROM evidence WHERE case_id = ? ORDER BY rowid",
                              (case_id,))
        tables["evidence"] = [json.loads(p) for _s, p, _c in evidence]
        # accepted and rejected screenshot suggestions: a rejected one stays rejected in the copy
        tables["suggestion_decisions"] = [{"id": k, **v} for k, v in self.suggestion_decisions(case_id).items()]
        profile = self._profile(case_id)
        doc = {"format": CASE_FILE_FORMAT, "version": CASE_FILE_VERSION,
               "case": {"name": case.name, "created_at": case.created_at.isoformat(),
                        "as_of": case.as_of.isoformat() if case.as_of else None},
               "profile": None if profile is None else json.loads(dumps(profile)),
               **tables}
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("case.json", json.dumps(doc, ensure_ascii=False, indent=1))
            for sha, _p, content in evidence:
                zf.writestr(f"evidence/{sha}", bytes(content))
        return buf.getvalue()

    def import_case(self, data: bytes, name: str | None = None, owner: str | None = None,
                    label: str | None = None) -> Case:
        """Read a file made by export_case into a new case (a free name is chosen if taken);
        ``label`` names the file in messages."""
        from ..settings import SETTINGS

        # every member through a bounded stream: a directory that lies about a size is caught
        limits = ArchiveLimits.from_settings(members=int(SETTINGS.max_files) + 1)
        try:
            zf = Archive(data, label or _("the case file"), limits)
        except LimitExceeded:
            raise LimitExceeded(_("the case file is larger than the limits allow")) from None
        except ComplaintError as exc:
            raise ComplaintError(_("not a case file: {error}", error=exc)) from exc
        with zf:
            if sum(i.file_size for i in zf.infos) > limits.total_bytes:
                raise LimitExceeded(_("the case file is larger than the limits allow"))
            return self._import_case_archive(zf, name, owner)

    def _import_case_archive(self, zf: Archive, name: str | None, owner: str | None) -> Case:
        from ..settings import SETTINGS

        try:
            doc = json.loads(zf.read("case.json"))
        except LimitExceeded:
            raise
        except (ComplaintError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ComplaintError(_("not a case file: {error}", error=exc)) from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("case"), dict):
            raise ComplaintError(_("not a case file of this version"))
        if doc.get("format") != CASE_FILE_FORMAT or doc.get("version") not in CASE_FILE_VERSIONS:
            raise ComplaintError(_("not a case file of this version"))
        records = sum(len(v) for v in doc.values() if isinstance(v, list))
        if records > SETTINGS.max_rows:
            raise LimitExceeded(_("the case file holds more than {limit} records", limit=SETTINGS.max_rows))
        wanted = name or doc["case"]["name"]
        existing = {c.name for c in (self.list_cases(owner=owner) if self.dialect.names_unique_per_owner
                                     else self.list_cases())}
        final, n = wanted, 2
        while final in existing:
            final, n = f"{wanted} ({n})", n + 1
        as_of = date.fromisoformat(doc["case"]["as_of"]) if doc["case"].get("as_of") else None
        try:
            # validate every record before writing anything
            parsed = {
                "orders": [from_dict(Order, d) for d in doc.get("orders", [])],
                "transactions": [from_dict(BankTxn, d) for d in doc.get("transactions", [])],
                "events": [from_dict(Event, d) for d in doc.get("events", [])],
                "promises": [from_dict(RefundPromise, d) for d in doc.get("promises", [])],
                "annotations": [from_dict(OrderAnnotation, d) for d in doc.get("annotations", [])],
                "decisions": [from_dict(Decision, d) for d in doc.get("decisions", [])],
                "rejected_rows": [from_dict(Issue, d) for d in doc.get("rejected_rows", [])],
                "evidence": [from_dict(Evidence, d) for d in doc.get("evidence", [])],
            }
            suggestion_rows = [(str(sd["id"]), str(sd["sha256"]), str(sd["decision"]), str(sd["decided_at"]),
                                json.dumps(sd.get("payload") or {}, ensure_ascii=False))
                               for sd in doc.get("suggestion_decisions", [])]
            profile = doc.get("profile")
            if profile is not None and not isinstance(profile, dict):
                raise TypeError("the profile is not an object")
            profile = from_dict(BuyerProfile, profile) if profile else None
            blobs = {e.sha256: zf.read(f"evidence/{e.sha256}") for e in parsed["evidence"]}
        except LimitExceeded:
            raise
        except (ComplaintError, KeyError, TypeError, ValueError) as exc:
            raise ComplaintError(_("the case file is damaged: {error}", error=exc)) from exc
        case = self.create_case(final, as_of=as_of, owner=owner)
        cid = case.id
        with self._tx() as c:
            for o in parsed["orders"]:
                c.execute(insert("orders", ("case_id", "order_id", "payload")), (cid, o.order_id, dumps(o)))
            for t in parsed["transactions"]:
                c.execute(insert("transactions", ("case_id", "txn_id", "booking_date", "payload")),
                          (cid, t.id, t.booking_date.isoformat(), dumps(t)))
            for e in parsed["events"]:
                c.execute(insert("events", ("case_id", "event_id", "payload")), (cid, e.id, dumps(e)))
            for p in parsed["promises"]:
                c.execute(insert("promises", ("case_id", "promise_id", "payload")), (cid, p.id, dumps(p)))
            for a in parsed["annotations"]:
                c.execute(insert("annotations", ("case_id", "order_id", "payload")), (cid, a.order_id, dumps(a)))
            for d in parsed["decisions"]:
                c.execute(insert("decisions", ("case_id", "match_key", "payload")), (cid, d.match_key, dumps(d)))
            for seq, r in enumerate(parsed["rejected_rows"]):
                c.execute(insert("rejected_rows", ("case_id", "file_sha256", "seq", "payload")),
                          (cid, "imported", seq, dumps(r)))
            for e in parsed["evidence"]:
                c.execute(insert("evidence", ("case_id", "sha256", "payload", "content")),
                          (cid, e.sha256, dumps(e), blobs[e.sha256]))
            if profile is not None:
                c.execute(insert("profiles", ("case_id", "payload")), (cid, dumps(profile)))
            for row in suggestion_rows:
                c.execute(insert("suggestion_decisions", ("case_id", "suggestion_id", "sha256", "decision",
                                                          "decided_at", "payload")), (cid, *row))
            for sf in doc.get("source_files", []):
                c.execute(insert("source_files", ("case_id", "sha256", "name", "kind", "importer", "imported_at",
                                                  "summary")),
                          (cid, sf["sha256"], sf["name"], sf["kind"], sf["importer"], sf["imported_at"],
                           json.dumps(sf["summary"], ensure_ascii=False)))
        return case

    def raw_table(self, case_id: int, table: str) -> list[dict]:
        """Every stored record of one table as dicts (tests and the analyst view)."""
        if table not in {"orders", "transactions", "events", "promises", "annotations", "decisions",
                         "rejected_rows", "evidence"}:
            raise ValueError(table)
        rows = [json.loads(p) for (p,) in self._rows(
            f"SELECT payload FROM {table} WHERE case_id = ? ORDER BY rowid", (case_id,))]  # noqa: S608
        if table in ("orders", "transactions"):  # and the records kept in columnar blocks
            key = "order_id" if table == "orders" else "id"
            known = {r[key] for r in rows}
            with self._lock:
                for part in blocks.parts(self._db, case_id, "orders" if table == "orders" else "bank"):
                    part = blocks.without(part, known)
                    if part is not None:
                        rows.extend(json.loads(dumps(r)) for r in part.records())
        return rows

