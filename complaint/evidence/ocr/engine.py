"""The Tesseract call: words with their boxes and confidences, read tile by tile.

Tesseract (https://tesseract-ocr.github.io/tessdoc/, Debian packages ``tesseract-ocr`` and
``tesseract-ocr-{eng,fra,nld,deu}``) runs as a local program through pytesseract; nothing leaves the
machine.  A screenshot is read in the four languages at once.  A tall scrolling capture is cut into
overlapping tiles of at most :data:`TILE_HEIGHT` pixels (a word cut by one tile's edge is whole in
the next one; a word seen twice is kept once); more than :data:`MAX_PIXELS` pixels are refused.
"""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageChops, ImageOps

from ...errors import ComplaintError
from ...i18n import _

LANGS = "eng+fra+nld+deu"
# one thread per Tesseract run: the app reads several screenshots side by side, and OpenMP's own
# threads only compete with them (https://github.com/tesseract-ocr/tesseract/issues/898)
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
TILE_HEIGHT = 3000  # pixels per tile of a tall capture
OVERLAP = 240  # pixels shared by two tiles: more than a line of text at any phone scale
MAX_PIXELS = 40_000_000  # a 20,000 x 1,440 scrolling capture; beyond, the capture is refused
MIN_CONFIDENCE = 10  # Tesseract's word confidence (0-100) below which a word is noise (long ids score low)
KEEP_MARKS = frozenset("€$£—–-:")  # signs that are words of a fact; other lone marks are borders ("|")
ENGINE_VERSION = "tesseract-words-1"  # part of the cache key: a change of reading re-reads


class OcrUnavailable(ComplaintError):
    """Tesseract or one of its language files is not installed."""


class TooLarge(ComplaintError):
    """The picture has more pixels than the OCR reads."""


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x: int
    y: int
    w: int
    h: int
    conf: float  # 0-100


@lru_cache(maxsize=1)
def _status() -> str | None:
    """None when Tesseract and the four languages are there, else why not (one line)."""
    try:
        import pytesseract
    except ImportError:
        return _("text recognition is off: the Python package pytesseract is not installed")
    cmd = os.environ.get("COMPLAINT_TESSERACT") or shutil.which("tesseract")
    if not cmd:
        return _("text recognition is off: Tesseract is not installed (Debian: apt install tesseract-ocr)")
    pytesseract.pytesseract.tesseract_cmd = cmd
    try:
        langs = set(pytesseract.get_languages(config=""))
    except (OSError, RuntimeError, pytesseract.TesseractError) as exc:
        return _("text recognition is off: Tesseract does not run ({reason})", reason=str(exc).strip()[:120])
    missing = [x for x in LANGS.split("+") if x not in langs]
    if missing:
        return _("text recognition is off: Tesseract's language data {langs} is missing "
                 "(Debian: tesseract-ocr-{first})", langs=", ".join(missing), first=missing[0])
    return None


def unavailable_reason() -> str | None:
    """Why text recognition cannot run here, in one line; None when it can."""
    if os.environ.get("COMPLAINT_OCR", "").lower() in ("0", "off", "no"):
        return _("text recognition is off (COMPLAINT_OCR=0)")
    return _status()


def available() -> bool:
    return unavailable_reason() is None


def tiles(height: int) -> list[tuple[int, int]]:
    """(top, bottom) of each tile of a picture ``height`` pixels tall."""
    if height <= TILE_HEIGHT:
        return [(0, height)]
    out = []
    top = 0
    while True:
        bottom = min(height, top + TILE_HEIGHT)
        out.append((top, bottom))
        if bottom >= height:
            return out
        top = bottom - OVERLAP


def prepare(im: Image.Image) -> Image.Image:
    """Grey, upright, dark text on a light ground: a dark theme is inverted, and so is light text
    on a coloured fill (the buyer's chat bubbles, buttons); small screens are enlarged so that
    their text is tall enough for Tesseract."""
    import numpy as np
    from scipy import ndimage

    im = ImageOps.exif_transpose(im).convert("RGB")
    r, g, b = im.split()
    spread = ImageChops.subtract(ImageChops.lighter(ImageChops.lighter(r, g), b),
                                 ImageChops.darker(ImageChops.darker(r, g), b))
    grey = np.asarray(im.convert("L"), dtype=np.uint8).copy()
    if np.count_nonzero(grey < 128) > grey.size / 2:  # mostly dark: a dark theme
        grey = 255 - grey
    sat_full = np.asarray(spread) > 80  # saturated: coloured fills and coloured text
    k = 4  # the fills are found on a quarter-size mask, then inverted at full size
    fill = sat_full[: grey.shape[0] // k * k, : grey.shape[1] // k * k]
    fill = fill.reshape(fill.shape[0] // k, k, fill.shape[1] // k, k).mean(axis=(1, 3)) > 0.5
    if fill.any():
        closed = ndimage.binary_closing(fill, structure=np.ones((3, 3), bool), iterations=2)
        labels, _n = ndimage.label(closed)
        for i, sl in enumerate(ndimage.find_objects(labels), 1):
            if sl is None or (sl[0].stop - sl[0].start) * (sl[1].stop - sl[1].start) < 60:
                continue
            if fill[sl][labels[sl] == i].mean() < 0.6:
                continue  # coloured text on a plain ground, not a fill
            box = (slice(sl[0].start * k, sl[0].stop * k), slice(sl[1].start * k, sl[1].stop * k))
            inside = grey[box].astype(np.float32)
            sat = sat_full[box]
            filled = ndimage.binary_fill_holes(sat)  # the fill and the letters cut out of it
            text = filled & ~sat
            if not text.any():
                continue
            fill_level = float(inside[sat].mean())
            if inside[text].mean() > fill_level:  # light text on the fill
                inside, fill_level = 255 - inside, 255 - fill_level
            stretched = np.clip(inside * (255 / max(fill_level, 1.0)), 0, 255)
            grey[box] = np.where(filled, stretched, 255).astype(np.uint8)  # dark text on white
    out = Image.fromarray(grey)
    if out.width < 900:
        scale = 1080 / out.width
        out = out.resize((round(out.width * scale), round(out.height * scale)), Image.Resampling.LANCZOS)
    return out


def read_words(data: bytes, name: str = "") -> tuple[list[Word], tuple[int, int]]:
    """Every word Tesseract reads in the picture, in the picture's own pixel coordinates, and the
    picture's size.  OcrUnavailable without Tesseract; TooLarge above MAX_PIXELS."""
    reason = unavailable_reason()
    if reason:
        raise OcrUnavailable(reason)
    import pytesseract

    with Image.open(io.BytesIO(data)) as opened:
        if opened.width * opened.height > MAX_PIXELS:
            raise TooLarge(_("{file}: {w} x {h} pixels is more than text recognition reads ({limit} million "
                             "pixels); crop the capture into parts", file=name, w=opened.width, h=opened.height,
                             limit=MAX_PIXELS // 1_000_000))
        opened.load()
        original = opened.size
        im = prepare(opened)
    scale = original[0] / im.width
    words: list[Word] = []
    spans = tiles(im.height)
    for i, (top, bottom) in enumerate(spans):
        part = im.crop((0, top, im.width, bottom)) if len(spans) > 1 else im
        d = pytesseract.image_to_data(part, lang=LANGS, config="--psm 3",
                                      output_type=pytesseract.Output.DICT)
        keep_until = bottom - OVERLAP // 2 if i < len(spans) - 1 else bottom
        keep_from = top + OVERLAP // 2 if i > 0 else 0
        for text, x, y, w, h, conf in zip(d["text"], d["left"], d["top"], d["width"], d["height"], d["conf"],
                                          strict=True):
            text = (text or "").strip()
            conf = float(conf)
            if not text or conf < MIN_CONFIDENCE or not (any(c.isalnum() for c in text) or text in KEEP_MARKS):
                continue
            y_abs = y + top
            if not keep_from <= y_abs + h / 2 < keep_until:
                continue  # read whole in the neighbouring tile
            words.append(Word(text, round(x * scale), round(y_abs * scale), max(1, round(w * scale)),
                              max(1, round(h * scale)), conf))
    return words, original
