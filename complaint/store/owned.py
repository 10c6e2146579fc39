"""An owner's view of a shared case store: only that owner's cases exist.

``OwnedStore(store, owner)`` has the public API of :class:`complaint.store.db.Store`.  It lists and
creates only the owner's cases, and every method taking a case id first checks the owner, under the
store's lock so the check and the action are one step.  Another owner's case is refused with
exactly the error a missing case gives (``CaseNotFound``, same message), so a user cannot even learn
that a case number exists.  Methods of Store not listed here are not reachable through it: a new
Store method is unscoped until it is added on purpose.
"""

from __future__ import annotations

from datetime import date

from ..errors import CaseNotFound
from ..i18n import _
from ..records import Case, MappingProfile
from .db import Store

# Store methods whose first argument is a case id: each is checked, then passed through.
CASE_METHODS = frozenset({
    "rename_case", "set_case_as_of", "delete_case", "case_owner", "add_import", "load_case", "add_order",
    "add_transaction", "add_event", "delete_event", "add_promise", "delete_promise", "set_annotation",
    "set_decision", "clear_decision", "add_evidence", "update_evidence", "evidence_bytes", "delete_evidence",
    "export_case", "raw_table", "has_records", "case_revision", "case_snapshot", "save_case_snapshot",
    "write", "set_buyer_profile", "buyer_profile", "block_rows", "ocr_reading", "save_ocr_reading",
    "suggestion_decisions", "decide_suggestion",
})


class OwnedStore:
    def __init__(self, store: Store, owner: str):
        owner = (owner or "").strip()
        if not owner:
            raise ValueError("an OwnedStore needs a non-empty owner")
        if not store.dialect.names_unique_per_owner:
            # on a store where names are global, "name already taken" would reveal other owners' cases
            raise ValueError("an OwnedStore needs a store whose case names are unique per owner (PostgreSQL)")
        self._store = store
        self.owner = owner

    @property
    def path(self) -> str:
        return self._store.path

    @property
    def keeps_snapshots(self) -> bool:
        """Whether the shared store keeps per-case snapshots (their methods are owner-checked)."""
        return self._store.keeps_snapshots

    def _missing(self, name_or_id: object) -> CaseNotFound:
        # the very message Store.get_case gives for a case that does not exist
        return CaseNotFound(_("no case named '{name}' in {path}", name=name_or_id, path=self._store.path))

    def _owned(self, case_id: object) -> int:
        if isinstance(case_id, bool) or not isinstance(case_id, int):
            raise self._missing(case_id)
        try:
            owner = self._store.case_owner(case_id)
        except CaseNotFound:
            raise self._missing(case_id) from None
        if owner != self.owner:
            raise self._missing(case_id)
        return case_id

    def __getattr__(self, name: str):
        if name not in CASE_METHODS:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")
        method = getattr(self._store, name)

        def checked(case_id, *args, **kwargs):
            with self._store._lock:
                return method(self._owned(case_id), *args, **kwargs)

        checked.__name__ = name
        return checked

    # -- owner-wide methods -----------------------------------------------------------------
    def list_cases(self) -> list[Case]:
        return self._store.list_cases(owner=self.owner)

    def get_case(self, name_or_id: str | int) -> Case:
        with self._store._lock:
            mine = self.list_cases()
            if isinstance(name_or_id, int) and not isinstance(name_or_id, bool):
                found = [c for c in mine if c.id == name_or_id]
            else:
                text = str(name_or_id)
                found = [c for c in mine if text.isdigit() and c.id == int(text)] or \
                        [c for c in mine if c.name == text]
            if not found:
                raise self._missing(name_or_id)
            return found[0]

    def create_case(self, name: str, as_of: date | None = None) -> Case:
        return self._store.create_case(name, as_of=as_of, owner=self.owner)

    def import_case(self, data: bytes, name: str | None = None, label: str | None = None) -> Case:
        return self._store.import_case(data, name=name, owner=self.owner, label=label)

    def save_profile(self, profile: MappingProfile) -> None:
        self._store.save_profile(profile, owner=self.owner)

    def profiles(self, kind: str | None = None) -> list[MappingProfile]:
        return self._store.profiles(kind, owner=self.owner)

    def close(self) -> None:
        """The underlying store is shared by every owner: closing a view leaves it open."""
