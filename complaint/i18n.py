"""The single translation function for every user-facing string.

Message catalogues are gettext ``.po`` files under ``complaint/locale/<lang>/LC_MESSAGES/``,
read with Babel at first use (no compile step).  The active language is a context variable, so
two Streamlit sessions (two threads) never see each other's choice.

Usage::

    from complaint.i18n import _, N_
    _("Total paid")                       # translated now, in the active language
    REASON = N_("status {status}")        # marked for extraction, translated later with _()
"""

from __future__ import annotations

import contextvars
import functools
from pathlib import Path

LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "nl": "Nederlands", "de": "Deutsch"}
DEFAULT_LANGUAGE = "en"
LOCALES = {"en": "en_BE", "fr": "fr_BE", "nl": "nl_BE", "de": "de_BE"}
_LOCALE_DIR = Path(__file__).parent / "locale"
_current: contextvars.ContextVar[str] = contextvars.ContextVar("complaint_language", default=DEFAULT_LANGUAGE)


def set_language(lang: str) -> str:
    """Select the language for this thread/context; unknown codes fall back to English."""
    lang = normalise_language(lang)
    _current.set(lang)
    return lang


def get_language() -> str:
    return _current.get()


def normalise_language(lang: str | None) -> str:
    """'fr-BE', 'nl_BE', 'FR' -> 'fr'; anything unsupported -> the default."""
    code = (lang or "").replace("_", "-").split("-")[0].strip().lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> msgstr for one language (empty translations are left out)."""
    path = _LOCALE_DIR / lang / "LC_MESSAGES" / "complaint.po"
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang)
    out: dict[str, str] = {}
    for message in cat:
        if message.id and message.string and not message.fuzzy and isinstance(message.id, str):
            out[message.id] = message.string
    return out


def gettext(message: str, lang: str | None = None) -> str:
    lang = lang or _current.get()
    if lang == DEFAULT_LANGUAGE:
        return message
    return catalogue(lang).get(message, message)


def _(message: str, /, **params: object) -> str:
    """Translate ``message`` into the active language, then fill ``{named}`` fields."""
    text = gettext(message)
    return text.format(**params) if params else text


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message
