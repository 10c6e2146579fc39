"""Showing user text (file names, order titles, bank descriptions, pasted messages) safely.

Rule for pages: user text goes through ``st.text``, ``st.code``, a dataframe, a widget label's
``format_func``, or, when it must sit inside markdown (``st.markdown``, ``st.caption``, ``st.info``,
``st.error``, a ``help=`` tooltip, an expander label), through :func:`md_escape` first.  Never turn
on ``unsafe_allow_html`` nor call ``st.html`` with user data.  Streamlit markdown does not render raw
HTML, but it does render links, images, emphasis, ``:red[...]`` colour directives,
``:material/...:`` icons and ``$...$`` LaTeX: ``md_escape`` makes all of them plain characters.
"""

from __future__ import annotations

import re

from complaint.i18n import _

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of them
# also neutralises Streamlit's own syntax (":", "$", "~", "|").
_PUNCT = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def md_escape(text: object) -> str:
    """``text`` as literal characters inside Streamlit markdown (one line: newlines become spaces)."""
    s = "" if text is None else str(text)
    s = s.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    s = "".join(ch for ch in s if ch == "\t" or ch >= " ")  # control characters carry nothing readable
    return _PUNCT.sub(r"\\\1", _no_autolink(s))


# GitHub-flavoured markdown turns "http://...", "www...." and "name@host" into links even when
# every character is escaped; a WORD JOINER (U+2060, invisible, no line break) breaks each pattern.
_JOIN = "\u2060"
_AUTOLINK = re.compile(r"(?i)://|\bwww\.|@(?=\w)")


def _no_autolink(s: str) -> str:
    return _AUTOLINK.sub(lambda m: _JOIN.join(m.group(0)) + (_JOIN if m.group(0) == "@" else ""), s)


def md_text(msgid: str, **values: object) -> str:
    """``_(msgid, **values)`` for a markdown element (toast, caption, label, expander title, metric
    label, tab name, alert): the translation's own markup is kept, every value is escaped."""
    return _(msgid, **{k: md_escape(v) for k, v in values.items()})


def md_escape_block(text: object) -> str:
    """Like :func:`md_escape` but keeps line breaks (as markdown hard breaks)."""
    lines = ("" if text is None else str(text)).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "  \n".join(md_escape(line) for line in lines)
