"""Which pictures are screenshots: PNG or JPEG, without a camera's EXIF, at a screen's shape.

Text recognition runs on those only; a camera photo (even of a screen) is never read.
"""

from __future__ import annotations

from ...records import Evidence

MEDIA = ("image/png", "image/jpeg")


def screen_shape(width: int | None, height: int | None) -> str | None:
    """"phone", "scroll" (a tall scrolling capture), "tablet", "desktop", or None (not a screen's shape)."""
    if not width or not height:
        return None
    if 320 <= width <= 1800:
        ratio = height / width
        if 1.5 <= ratio <= 2.7:
            return "phone"
        if ratio > 2.7:
            return "scroll"
    if 700 <= min(width, height) and max(width, height) <= 7680:
        ratio = max(width, height) / min(width, height)
        if 1.5 < ratio <= 2.4 and width > height:
            return "desktop"
        if 1.2 <= ratio <= 1.5 and max(width, height) <= 2800:  # larger 4:3 pictures are cameras'
            return "tablet"
    return None


def is_screen(ev: Evidence) -> bool:
    """True for a screenshot text recognition may read."""
    if ev.error or ev.media_type not in MEDIA:
        return False
    if ev.camera_make or ev.camera_model or ev.gps_lat is not None or ev.time_source in ("exif", "exif-digitized",
                                                                                         "gps"):
        return False  # a camera wrote it: a photo
    return screen_shape(ev.width, ev.height) is not None
