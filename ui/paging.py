"""Large tables a page at a time: the browser gets one page of rows, never a whole report.

``paged(rows, key)`` shows a page chooser above the table when there is more than one page and
returns that page's rows (a list or a DataFrame slice); session keys start with ``key``.
"""

from __future__ import annotations

import math

import streamlit as st

from complaint import fmt
from complaint.i18n import _

PAGE_ROWS = 200


def paged(rows, key: str, size: int = PAGE_ROWS):
    """The rows of the page chosen in the chooser drawn here (all of them when they fit on one)."""
    n = len(rows)
    if n <= size:
        return rows
    pages = math.ceil(n / size)
    left, right = st.columns([1, 3])
    page = int(left.number_input(_("Page"), min_value=1, max_value=pages, value=1, step=1, key=f"{key}_page"))
    start = (page - 1) * size
    stop = min(start + size, n)
    right.caption(_("rows {first} to {last} of {n}", first=fmt.number(start + 1), last=fmt.number(stop),
                    n=fmt.number(n)))
    return rows.iloc[start:stop] if hasattr(rows, "iloc") else rows[start:stop]
