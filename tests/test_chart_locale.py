"""The timeline chart in the reader's language: month names on the date axis, the number format, and
plotly.js's own locale bundle inside the self-contained HTML file; capture-time zones in plain words."""

from __future__ import annotations

from datetime import date

import pytest

import complaint
from complaint.i18n import set_language
from complaint.timeline.chart import date_ticks
from complaint.timeline.render import plotly_locale, timeline_html


@pytest.fixture(autouse=True)
def _english_after():
    yield
    set_language("en")


@pytest.mark.parametrize(("lang", "months"), [("fr", ["janv. 2026", "mars 2026", "mai 2026"]),
                                              ("nl", ["jan 2026", "mrt 2026", "mei 2026"]),
                                              ("de", ["Jan. 2026", "März 2026", "Mai 2026"]),
                                              ("en", ["Jan 2026", "Mar 2026", "May 2026"])])
def test_month_ticks_are_written_in_the_language(lang, months):
    vals, text = date_ticks(date(2025, 12, 20), date(2027, 1, 20), lang)
    assert text[:3] == months and len(vals) == len(text) <= 8
    assert vals[0] == "2026-01-01 00:00:00"


def test_a_short_range_gets_weekly_day_ticks():
    vals, text = date_ticks(date(2026, 5, 20), date(2026, 6, 20), "fr")
    assert text == ["25 mai", "1 juin", "8 juin", "15 juin", "22 juin"]  # Mondays
    assert date.fromisoformat(vals[0][:10]).weekday() == 0


def test_the_figure_and_its_html_speak_french():
    set_language("fr")
    fig = complaint.timeline_figure(complaint.open_sample())
    assert fig.layout.xaxis.tickmode == "array" and "juil. 2026" in fig.layout.xaxis.ticktext
    assert fig.layout.separators.startswith(",") and fig.layout.meta["lang"] == "fr"
    html = timeline_html(fig)
    assert "Plotly.register(module.exports)" in html and "'Janvier'" in html  # plotly's own fr bundle
    assert html.index("Plotly.register") < html.index("Plotly.newPlot")
    assert '"locale": "fr"' in html or '"locale":"fr"' in html
    assert 'src="https://cdn.plot.ly' not in html and "<script src=" not in html  # plotly.js itself is inlined too


def test_english_needs_no_bundle():
    assert plotly_locale("en") is None and plotly_locale(None) is None
    assert "moduleType" in plotly_locale("nl") and "moduleType" in plotly_locale("de")


@pytest.mark.parametrize(("tz_source", "lang", "words"), [
    ("exif-offset", "en", "from the camera"), ("assumed Europe/Brussels", "en", "guessed: Brussels time"),
    ("assumed Europe/Brussels", "fr", "supposé : heure de Bruxelles"), ("gps-utc", "nl", "UTC, van de gps"),
    ("assumed America/New_York", "de", "angenommen: America/New_York"), (None, "en", "unknown")])
def test_time_zones_in_plain_words(tz_source, lang, words):
    set_language(lang)
    assert complaint.zone_label(tz_source) == words
