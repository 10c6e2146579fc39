"""A colour-blind-safe palette (Okabe & Ito, 2008) and WCAG 2.x contrast checks.

The eight Okabe-Ito colours stay distinguishable for the common colour-vision deficiencies
(protanopia, deuteranopia, tritanopia).  Not all of them are dark enough to be used *as text* or
as thin graphics on a white page, so each use has its own checked set:

- :data:`TEXT_ON_WHITE`: colours for text on a white background (WCAG 1.4.3: 4.5:1);
- :data:`GRAPHICS_ON_WHITE`: colours for lines, markers and bars on white (WCAG 1.4.11: 3:1);
- the light colours (yellow, sky blue) are for fills behind dark text only.

``contrast_ratio("#0072B2", "#FFFFFF")`` -> 5.19; ``meets("#0072B2", "text")`` -> True.
"""

from __future__ import annotations

import re

OKABE_ITO: dict[str, str] = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
WHITE, BLACK = "#FFFFFF", "#000000"

TEXT_MIN, GRAPHICS_MIN = 4.5, 3.0

# text on white: the Okabe-Ito blue, and darker shades of vermillion and bluish green keeping their hue
TEXT_ON_WHITE: dict[str, str] = {
    "black": OKABE_ITO["black"], "blue": OKABE_ITO["blue"],
    "vermillion_dark": "#B34700", "bluish_green_dark": "#00765A", "reddish_purple_dark": "#A0467A",
}
# graphics on white (series colours for charts), in the order they should be used
GRAPHICS_ON_WHITE: dict[str, str] = {
    "blue": OKABE_ITO["blue"], "vermillion": OKABE_ITO["vermillion"], "bluish_green": OKABE_ITO["bluish_green"],
    "black": OKABE_ITO["black"], "reddish_purple_dark": TEXT_ON_WHITE["reddish_purple_dark"],
}
# meaning -> colour, for status text on white (overdue, pending, credited)
STATUS_TEXT: dict[str, str] = {
    "overdue": TEXT_ON_WHITE["vermillion_dark"], "pending": TEXT_ON_WHITE["blue"],
    "credited": TEXT_ON_WHITE["bluish_green_dark"], "other": TEXT_ON_WHITE["black"],
}

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_hex(colour: str) -> tuple[int, int, int]:
    """'#0b5cad' or '0B5CAD' or '#fff' -> (r, g, b) in 0..255; ValueError naming the value otherwise."""
    m = _HEX.match(colour.strip())
    if not m:
        raise ValueError(f"{colour!r} is not a hex colour such as #0072B2")
    digits = m.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance (0 for black, 1 for white)."""
    r, g, b = (_linear(c) for c in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str = WHITE) -> float:
    """(L1 + 0.05) / (L2 + 0.05), from 1.0 (same colour) to 21.0 (black on white)."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def contrast_against(colour: str) -> dict[str, float]:
    """The contrast of ``colour`` against white and against black."""
    return {"white": contrast_ratio(colour, WHITE), "black": contrast_ratio(colour, BLACK)}


def meets(colour: str, use: str = "text", background: str = WHITE) -> bool:
    """Whether ``colour`` is readable on ``background``: 4.5:1 for text, 3:1 for graphics."""
    if use not in ("text", "graphics"):
        raise ValueError(f"use must be 'text' or 'graphics', not {use!r}")
    return contrast_ratio(colour, background) >= (TEXT_MIN if use == "text" else GRAPHICS_MIN)


def best_text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (for labels on coloured fills)."""
    return BLACK if contrast_ratio(BLACK, background) >= contrast_ratio(WHITE, background) else WHITE
