"""Exporting the timeline: a self-contained private HTML file, and a PNG for the PDF dossier.

HTML: plotly.js is inlined (no CDN), the "Share chart" button that uploads to Plotly Cloud
(``showSendToCloud``, on by default in plotly.js 4) and the logo link are off, the cloud,
topojson and mapbox endpoints are blanked, and a Content-Security-Policy forbids any network
request from the page (``default-src 'none'``), so opening the dossier's chart contacts no one.

PNG: kaleido driving the system Chromium found on PATH (Debian's ``chromium``; never a download),
on a page that loads only plotly.js from the installed plotly package (a ``file://`` URL) and no
MathJax: kaleido's default page fetches MathJax from a public CDN, which plotly's ``to_image``
cannot turn off (``plotly.io.defaults.mathjax = False`` is read as "not set"), so kaleido is
called directly with ``mathjax=False``.
When no browser is there, or it fails, the same figure is redrawn with matplotlib (offline,
Agg), lanes, markers, spans and lines included; :class:`PngResult` says which engine was used.
"""

from __future__ import annotations

import html
import io
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import plotly.graph_objects as go

from ..i18n import _

PRIVATE_CONFIG = {
    "showSendToCloud": False, "displaylogo": False, "plotlyServerURL": "", "topojsonURL": "", "responsive": True,
    "toImageButtonOptions": {"format": "png", "filename": "timeline", "scale": 2},
}
CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
       "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")
# Every request of kaleido's Chromium goes to this closed local port: none can leave the machine,
# and Chromium resolves no host name for them (the proxy would).
NO_PROXY = "http://127.0.0.1:9"
BROWSER_NAMES = ("chromium", "chromium-browser", "chrome", "google-chrome", "google-chrome-stable")


LOCALE_DIR = Path(__file__).parent / "plotly_locales"


def plotly_locale(lang: str | None) -> str | None:
    """plotly.js's own locale bundle for ``lang`` (fr, nl, de) as a script that registers it; None for English."""
    path = LOCALE_DIR / f"{lang}.js"
    if not lang or lang == "en" or not path.exists():
        return None
    return ("(function(){var module={exports:{}};\n" + path.read_text(encoding="utf-8")
            + "\nPlotly.register(module.exports);})();")


def timeline_html(fig: go.Figure, title: str | None = None, lang: str | None = None) -> str:
    """A complete HTML document showing ``fig``, which makes no network request; its plotly.js
    speaks ``lang`` (by default the chart's own language) through plotly's locale bundle."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    lang = lang or meta.get("lang")
    bundle = plotly_locale(lang)
    config = {**PRIVATE_CONFIG, "locale": lang} if bundle else PRIVATE_CONFIG
    doc = fig.to_html(full_html=True, include_plotlyjs=True, include_mathjax=False, config=config,
                      div_id="timeline")
    if bundle:  # after plotly.js, before the chart is drawn
        marker = '<div id="timeline"'
        doc = doc.replace(marker, f"<script>{bundle}</script>\n{marker}", 1)
    head = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n<meta name="referrer" content="no-referrer">'
    if title:
        head += f"\n<title>{html.escape(title)}</title>"
    return doc.replace("<head>", "<head>\n" + head, 1)


@dataclass(frozen=True, slots=True)
class PngResult:
    data: bytes
    engine: str  # "kaleido" or "matplotlib"
    note: str | None = None  # why the fallback was used


def find_browser() -> str | None:
    """The Chromium kaleido would use: $BROWSER_PATH, else a known name on PATH (no download)."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if os.path.exists(env) else None
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def render_png(fig: go.Figure, width: int = 1400, height: int | None = None, scale: float = 2,
               engine: str = "auto") -> PngResult:
    """PNG bytes of the figure, by kaleido when a system browser is there, else by matplotlib."""
    height = height or int(fig.layout.height or 600)
    note = None
    if engine in ("auto", "kaleido"):
        browser = find_browser()
        if browser is None:
            note = _("no Chromium found on PATH (install Debian's 'chromium'); drawn with matplotlib instead")
        else:
            try:
                return PngResult(kaleido_png(fig, width, height, scale, browser), "kaleido")
            except Exception as exc:  # noqa: BLE001 - any failure of the external browser means "use the fallback"
                note = _("kaleido could not render the chart ({error}); drawn with matplotlib instead",
                         error=f"{type(exc).__name__}: {exc}"[:300])
    return PngResult(matplotlib_png(fig, width, height, scale), "matplotlib", note)


def kaleido_png(fig: go.Figure, width: int, height: int, scale: float, browser: str | None = None) -> bytes:
    """The PNG drawn by kaleido with MathJax off and plotly.js from the installed package: the
    browser page makes no request outside this machine."""
    from pathlib import Path

    import kaleido
    import plotly

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not plotly_js.is_file():  # never let kaleido fall back to its CDN copy
        raise FileNotFoundError(str(plotly_js))
    return kaleido.calc_fig_sync(fig.to_dict(), opts={"format": "png", "width": width, "height": height,
                                                      "scale": scale},
                                 topojson=None, kopts={"mathjax": False, "plotlyjs": plotly_js.as_uri(),
                                                       "enable_extensions": False, "proxy_server": NO_PROXY,
                                                       "path": browser or find_browser()})


_MPL_MARKERS = {"circle": "o", "circle-open": "o", "triangle-down": "v", "triangle-up": "^", "triangle-up-open": "^",
                "x": "X", "star": "*", "square": "s", "square-open": "s", "diamond": "D", "hexagram": "h"}


def _mpl_colour(colour: str):
    """'rgba(r, g, b, a)' or '#rrggbb' -> a matplotlib colour."""
    if colour.startswith("rgba("):
        r, g, b, a = (float(p) for p in colour[5:-1].split(","))
        return (r / 255, g / 255, b / 255, a)
    return colour


def _dt(value) -> datetime:
    return datetime.fromisoformat(str(value))


def matplotlib_png(fig: go.Figure, width: int = 1400, height: int = 600, scale: float = 2) -> bytes:
    """Redraw a timeline figure (lanes, spans, markers, lines) with matplotlib's Agg backend."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    lanes = list(fig.layout.yaxis.categoryarray or [])
    index = {lane: i for i, lane in enumerate(lanes)}
    dpi = 100
    mfig, ax = plt.subplots(figsize=(width / dpi, height / dpi), dpi=dpi * scale)
    try:
        for trace in fig.data:
            if trace.type == "bar":
                texts = trace.text or [""] * len(trace.base)
                for base, ms, lane, text in zip(trace.base, trace.x, trace.y, texts, strict=True):
                    ax.barh(index[lane], timedelta(milliseconds=float(ms)), left=_dt(base), height=0.5,
                            color=_mpl_colour(trace.marker.color), label=trace.name,
                            hatch="//" if trace.marker.pattern.shape else None)
                    if text:
                        middle = _dt(base) + timedelta(milliseconds=float(ms)) / 2
                        ax.text(middle, index[lane], html.unescape(text), va="center", ha="center", fontsize=8,
                                clip_on=True)
            elif trace.type in ("scatter", "scattergl") and trace.marker.opacity != 0:  # not the hover helpers
                colours = trace.marker.color
                symbols = trace.marker.symbol
                xs = [_dt(x) for x in trace.x]
                ys = [index[y] for y in trace.y]
                for k, (x, y) in enumerate(zip(xs, ys, strict=True)):
                    colour = colours[k] if isinstance(colours, tuple | list) else colours
                    symbol = symbols[k] if isinstance(symbols, tuple | list) else (symbols or "circle")
                    open_ = str(symbol).endswith("-open")
                    ax.scatter([x], [y], marker=_MPL_MARKERS.get(symbol, "o"), s=70, zorder=3,
                               facecolors="none" if open_ else colour, edgecolors=colour if open_ else "#333333",
                               label=trace.name if k == 0 else None)
        notes = {note.name: note for note in fig.layout.annotations}
        for shape in fig.layout.shapes:  # a line, and its label in its row (a line may have no label)
            x = _dt(shape.x0)
            ax.axvline(x, color=shape.line.color, linestyle="--" if shape.line.dash == "dash" else "-", linewidth=1.5)
            note = notes.get(shape.name)
            if note is not None:
                ax.annotate(html.unescape(str(note.text)).replace("<br>", " "), (x, 1.0),
                            xycoords=("data", "axes fraction"), xytext=(0, 3 + 0.75 * float(note.yshift or 0)),
                            textcoords="offset points", ha=note.xanchor if note.xanchor in ("left", "right")
                            else "center", fontsize=8, color=shape.line.color, clip_on=False)
        for note in fig.layout.annotations:  # the labels placed on spans, in their lane
            if note.yref == "y" and note.y in index:
                ax.text(_dt(note.x), index[note.y], html.unescape(str(note.text)), va="center", ha="center",
                        fontsize=8, clip_on=True, zorder=4)
        later = notes.get("later-deadlines")
        if later is not None:
            mfig.text(0.99, 0.99, html.unescape(str(later.text)), ha="right", va="top", fontsize=8,
                      color=later.font.color)
        ax.set_yticks(range(len(lanes)), lanes)
        ax.set_ylim(len(lanes) - 0.5, -0.5)
        if fig.layout.xaxis.range:
            ax.set_xlim(_dt(fig.layout.xaxis.range[0]), _dt(fig.layout.xaxis.range[1]))
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        ax.set_xlabel(fig.layout.xaxis.title.text or "")
        ax.set_ylabel(fig.layout.yaxis.title.text or "")
        ax.grid(True, axis="both", color="#e5e5e5")
        ax.set_axisbelow(True)
        title = fig.layout.title.text
        if title:
            rows = max((float(n.yshift or 0) for n in notes.values() if n.yshift is not None), default=0)
            ax.set_title(html.unescape(str(title)), loc="left", pad=16 + 0.75 * rows)
        handles, names = ax.get_legend_handles_labels()
        unique = dict(zip(names, handles, strict=True))
        if unique:
            ax.legend(unique.values(), unique.keys(), loc="upper center", bbox_to_anchor=(0.5, -0.15),
                      ncol=min(4, len(unique)), fontsize=8, frameon=False)
        mfig.tight_layout()
        buf = io.BytesIO()
        mfig.savefig(buf, format="png")
        return buf.getvalue()
    finally:
        plt.close(mfig)
