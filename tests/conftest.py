"""Shared fixtures: an in-memory case store, the test data folder, a private store path."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaint.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _private_store_path(tmp_path, monkeypatch):
    """No test ever touches the user's real case store."""
    monkeypatch.setenv("COMPLAINT_DB", str(tmp_path / "cases.sqlite"))
    monkeypatch.delenv("COMPLAINT_HOSTED", raising=False)
    monkeypatch.delenv("COMPLAINT_DEMO", raising=False)


@pytest.fixture
def case_store():
    store = Store.open(":memory:")
    yield store
    store.close()


@pytest.fixture
def data_path() -> Path:
    return DATA


@pytest.fixture
def repo_root() -> Path:
    return ROOT
