"""The optional server-side case store for a self-hosted team: PostgreSQL (15 or later) through
psycopg 3, behind the same :class:`complaint.store.db.Store` API and logic as the SQLite store.

``COMPLAINT_DATABASE_URL=postgresql://user:password@host:5432/dbname`` turns it on in the app, where
every case is owned by the logged-in user and reached only through
:class:`complaint.store.owned.OwnedStore`.  The schema is created and migrated on first open (several app
replicas may open it at once: the migration takes an advisory lock).
"""

from __future__ import annotations

from ..errors import StoreError
from ..i18n import _
from .db import Store
from .dialect import postgres_dialect, redact_url

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://", "postgresql+psycopg2://")


def connection_url(url: str) -> str:
    """A libpq URL from what people write (SQLAlchemy style ``postgresql+psycopg://`` included)."""
    url = (url or "").strip()
    if not url.startswith(SCHEMES):
        raise StoreError(_("the database URL must start with postgresql:// (got {url})", url=redact_url(url)))
    return "postgresql://" + url.split("://", 1)[1]


def open_server_store(url: str, *, connect_timeout: int = 10) -> Store:
    """Connect, create or migrate the schema, and return a Store on PostgreSQL.

    The URL's password never appears in ``store.path`` or in an error message."""
    import psycopg

    libpq = connection_url(url)
    shown = redact_url(libpq)
    try:
        conn = psycopg.connect(libpq, autocommit=True, connect_timeout=connect_timeout,
                               application_name="complaint-notebook")
    except psycopg.Error as exc:
        raise StoreError(_("cannot connect to the case database {url}: {error}", url=shown,
                           error=redact_url(str(exc)).strip())) from exc
    dialect = postgres_dialect()
    try:
        dialect.migrate(conn)
    except psycopg.Error as exc:
        conn.close()
        raise StoreError(_("{url}: not a usable case store ({error})", url=shown, error=str(exc).strip())) from exc
    return Store(conn, shown, dialect)
