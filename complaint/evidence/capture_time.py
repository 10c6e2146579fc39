"""Capture time of a photo or screenshot: a ladder of sources, best first.

1. EXIF ``DateTimeOriginal`` + ``SubSecTimeOriginal`` + ``OffsetTimeOriginal``  -> ``exif``
2. EXIF ``DateTimeDigitized`` (ExifTool's ``CreateDate``) + sub-seconds + offset -> ``exif-digitized``
3. GPS ``GPSDateStamp`` + ``GPSTimeStamp`` (UTC)                                  -> ``gps``
4. a timestamp in the file name (Android, Pixel, iOS, macOS, Windows, WhatsApp...) -> ``filename``

The file modification time is never a capture time: an uploaded or copied file's mtime is the
upload or copy time.  It is kept apart (``file_time``, labelled as the file's date) and the
capture time stays unknown; the chronology places such a picture only on a day the user confirms.

Every rung records where the zone came from (``tz_source``): ``exif-offset``, ``gps-utc``,
``gps-delta`` (EXIF local time minus GPS UTC, the exiftool-vendored rung), ``epoch-utc`` (a Unix
timestamp in the name) or ``assumed Europe/Brussels`` (DST-correct via zoneinfo).  A value that
is not a time (``0000:00:00 00:00:00``) is ignored with a warning and the ladder falls through.
An implausible camera time (before AliExpress existed, a clock that was never set, in the future)
is kept and flagged (``flag``), never replaced; nothing here raises on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ComplaintError
from ..i18n import _

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# AliExpress opened in 2010 (https://en.wikipedia.org/wiki/AliExpress, checked December 2026):
# a photo of an AliExpress order taken before is a camera whose clock was never set
ALIEXPRESS_FOUNDED = datetime(2010, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)  # a camera clock a few hours ahead is not "the future"
# flags of an implausible camera time (kept on the evidence as ``time_flag``)
FLAG_CLOCK_NOT_SET = "clock-not-set"
FLAG_CLOCK_AHEAD = "clock-ahead"


@dataclass
class RawTimes:
    """The time-related values read from a file's metadata (all optional, as text)."""

    original: str | None = None
    original_subsec: str | None = None
    original_offset: str | None = None
    digitized: str | None = None
    digitized_subsec: str | None = None
    digitized_offset: str | None = None
    gps_date: str | None = None  # "YYYY:MM:DD"
    gps_time: tuple[float, float, float] | None = None  # h, m, s (UTC)


@dataclass
class CaptureTime:
    at: datetime | None = None
    text: str | None = None  # the raw value read ("2026:03:14 10:15:00", "2026-03-14" for a date-only name)
    source: str | None = None  # exif, exif-digitized, gps, filename
    tz_source: str | None = None
    filename_time: datetime | None = None
    date_only: bool = False
    warnings: list[str] = field(default_factory=list)
    flag: str | None = None  # FLAG_CLOCK_NOT_SET, FLAG_CLOCK_AHEAD: an implausible camera time, kept
    file_time: datetime | None = None  # the file's own date (mtime): never a capture time


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ComplaintError(_("unknown time zone '{tz}' (use a name such as Europe/Brussels)", tz=name)) from exc


def assumed(tz: str) -> str:
    return f"assumed {tz}"


# --- EXIF text values ------------------------------------------------------------------------

_EXIF_DT = re.compile(r"^\s*(\d{4})[:\-/.](\d{2})[:\-/.](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?")
_OFFSET = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")


def clean_text(value: object) -> str | None:
    """EXIF ASCII as str: bytes decoded leniently, NULs and padding stripped; empty -> None."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, (tuple, list)):
        value = " ".join(str(v) for v in value)
    text = str(value).replace("\x00", "").strip()
    return text or None


def parse_offset(text: str | None) -> timezone | None:
    """'+02:00' -> UTC+2; blank ('   :  ') or malformed -> None (unknown, not UTC)."""
    m = _OFFSET.match(text or "")
    if not m:
        return None
    sign, hh, mm = m.groups()
    minutes = int(hh) * 60 + int(mm)
    if minutes > 14 * 60 or int(mm) >= 60:
        return None
    return timezone((-1 if sign == "-" else 1) * timedelta(minutes=minutes))


def _subsec(text: str | None) -> int:
    """'123' -> 123000 microseconds ('5' -> 500000); junk -> 0."""
    digits = re.sub(r"\D", "", text or "")[:6]
    return int(digits.ljust(6, "0")) if digits else 0


def parse_exif_datetime(text: str | None, subsec: str | None = None) -> datetime | None:
    """'2026:03:14 10:15:00' (+ sub-seconds) -> naive datetime, or None if absent/impossible."""
    m = _EXIF_DT.match(text or "")
    if not m:
        return None
    y, mo, d, h, mi, s, frac = m.groups()
    try:
        naive = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s))
    except ValueError:
        return None
    micro = _subsec(subsec) if subsec else _subsec(frac)
    return naive.replace(microsecond=micro)


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach a zone to a wall-clock time. In the repeated autumn hour the first (summer) one is
    taken (fold=0); a time in the skipped spring hour is moved forward like a clock would."""
    aware = naive.replace(tzinfo=tz)
    roundtrip = aware.astimezone(UTC).astimezone(tz)
    if roundtrip.replace(tzinfo=None) != naive:  # nonexistent (spring forward gap)
        return roundtrip
    return aware


def plausible(at: datetime, now: datetime | None = None) -> str | None:
    """None when the instant is plausible, else the reason it is rejected."""
    now = now or datetime.now(UTC)
    if at < EARLIEST:
        return _("before the year 2000")
    if at > now + FUTURE_SLACK:
        return _("in the future")
    return None


def camera_flag(at: datetime, now: datetime | None = None) -> tuple[str, str] | None:
    """(flag, warning) for a camera time a buyer's photo cannot have; None when it can."""
    now = now or datetime.now(UTC)
    if at < ALIEXPRESS_FOUNDED:
        return FLAG_CLOCK_NOT_SET, _("camera clock probably not set: {value} is before AliExpress existed (2010)",
                                    value=at.isoformat())
    if at > now + FUTURE_SLACK:
        return FLAG_CLOCK_AHEAD, _("camera clock probably wrong: {value} is in the future", value=at.isoformat())
    return None


# --- GPS -------------------------------------------------------------------------------------

def gps_datetime(raw: RawTimes) -> datetime | None:
    if not raw.gps_date or not raw.gps_time:
        return None
    m = re.match(r"^\s*(\d{4})[:\-](\d{2})[:\-](\d{2})", raw.gps_date)
    if not m:
        return None
    try:
        h, mi, s = (float(x) for x in raw.gps_time)
        base = datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not (0 <= h < 24 and 0 <= mi < 60 and 0 <= s < 61):
        return None
    return base + timedelta(hours=h, minutes=mi, seconds=s)


def _gps_delta_zone(naive_local: datetime, gps_utc: datetime | None) -> timezone | None:
    """Zone from local EXIF time minus GPS UTC, rounded to 15 minutes; None when over 14 h."""
    if gps_utc is None:
        return None
    delta = naive_local - gps_utc.replace(tzinfo=None)
    quarters = round(delta.total_seconds() / 900)
    if abs(quarters) > 14 * 4 or abs(delta.total_seconds() - quarters * 900) > 600:
        return None
    return timezone(timedelta(minutes=15 * quarters))


def _clock(value: float) -> str:
    """One part of a GPS time stamp as a clock shows it: ``9.0`` -> ``09``, ``30.5`` -> ``30.5``."""
    return f"{int(value):02d}" if float(value).is_integer() else f"{value:04.1f}"


# --- file names ------------------------------------------------------------------------------

_AMPM = r"(?:[\s\u202f\u00a0]*([AaPp])\.?[Mm]\.?)?"
# (pattern, kind): kind "dt" groups = y m d H M S [ms] [ampm]; "date" = y m d; "epoch-ms" = ms
_NAME_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # WhatsApp: IMG-20260314-WA0003.jpg (date only)
    (re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})-WA\d+", re.I), "date"),
    # Facebook / Messenger downloads: FB_IMG_1710411300123.jpg, received_... with epoch ms
    (re.compile(r"(?:FB_IMG|IMG|received|image)[_-](1\d{12})(?!\d)", re.I), "epoch-ms"),
    # Android / Pixel / Samsung: IMG_20260314_101500.jpg, PXL_20260314_101500123.jpg,
    # Screenshot_20260314-101500.png, 20260314_101500.jpg
    (re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})[_\-T ](\d{2})(\d{2})(\d{2})(\d{3})?(?!\d)"), "dt"),
    # Android (new) / Signal / Telegram: Screenshot_2026-03-14-10-15-00-123_com.app.jpg,
    # signal-2026-03-14-10-15-00-123.jpg, photo_2026-03-14_10-15-00.jpg,
    # iOS / macOS: Screenshot 2026-03-14 at 10.15.00.png, Screen Shot 2026-03-14 at 10.15.00 AM.png
    (re.compile(r"(?<!\d)(20\d{2})-(\d{2})-(\d{2})(?:[ _\-T]+|\s+(?:at|à|om|um)\s+)(\d{1,2})[.:\-_](\d{2})[.:\-_](\d{2})"
                r"(?:[.\-_](\d{3})(?!\d))?" + _AMPM), "dt"),
    # Windows Snipping Tool: Screenshot 2026-03-14 101500.png
    (re.compile(r"(?<!\d)(20\d{2})-(\d{2})-(\d{2})[ _](\d{2})(\d{2})(\d{2})(?!\d)"), "dt"),
    # a bare ISO date: 2026-03-14 something.jpg (date only)
    (re.compile(r"(?<!\d)(20\d{2})-(\d{2})-(\d{2})(?!\d)"), "date"),
)


@dataclass
class NameTime:
    at: datetime
    text: str
    date_only: bool
    tz_source: str


def filename_time(name: str, tz: ZoneInfo, tz_name: str) -> NameTime | None:
    """A timestamp in a file name (only the base name is read), or None."""
    base = re.split(r"[\\/]", name)[-1]
    for pattern, kind in _NAME_PATTERNS:
        for m in pattern.finditer(base):
            found = _name_match(m, kind, tz, tz_name)
            if found is not None:
                return found
    return None


def _name_match(m: re.Match[str], kind: str, tz: ZoneInfo, tz_name: str) -> NameTime | None:
    g = m.groups()
    try:
        if kind == "epoch-ms":
            at = datetime.fromtimestamp(int(g[0]) / 1000, UTC)
            return NameTime(at, at.isoformat(timespec="milliseconds"), False, "epoch-utc")
        if kind == "date":
            day = date(int(g[0]), int(g[1]), int(g[2]))
            at = localize(datetime(day.year, day.month, day.day), tz)
            return NameTime(at, day.isoformat(), True, assumed(tz_name))
        hour = int(g[3])
        ampm = g[7] if len(g) > 7 else None
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
        ms = int(g[6]) if len(g) > 6 and g[6] else 0
        naive = datetime(int(g[0]), int(g[1]), int(g[2]), hour, int(g[4]), int(g[5]), ms * 1000)
    except (ValueError, OverflowError, OSError):
        return None
    text = naive.isoformat(timespec="milliseconds" if ms else "seconds")
    return NameTime(localize(naive, tz), text, False, assumed(tz_name))


# --- the ladder ------------------------------------------------------------------------------

def capture_time(raw: RawTimes, name: str, mtime: datetime | None, tz_name: str = "Europe/Brussels",
                 now: datetime | None = None) -> CaptureTime:
    """Walk the ladder; the first plausible source wins, every rejection becomes a warning."""
    tz = zone(tz_name)
    out = CaptureTime()
    gps_utc = gps_datetime(raw)
    rungs = (
        ("exif", "DateTimeOriginal", raw.original, raw.original_subsec, raw.original_offset),
        ("exif-digitized", "DateTimeDigitized", raw.digitized, raw.digitized_subsec, raw.digitized_offset),
    )
    for source, tag, text, subsec, offset_text in rungs:
        if not text:
            continue
        naive = parse_exif_datetime(text, subsec)
        if naive is None:
            out.warnings.append(_("EXIF {tag} '{value}' is not a valid date and time; ignored",
                                  tag=tag, value=text))
            continue
        offset = parse_offset(offset_text)
        if offset is not None:
            at, tz_source = naive.replace(tzinfo=offset), "exif-offset"
        elif (delta_zone := _gps_delta_zone(naive, gps_utc)) is not None:
            at, tz_source = naive.replace(tzinfo=delta_zone), "gps-delta"
        else:
            at, tz_source = localize(naive, tz), assumed(tz_name)
        out.at, out.text, out.source, out.tz_source = at, text, source, tz_source
        flagged = camera_flag(at, now)
        if flagged:  # kept as the camera wrote it, and flagged
            out.flag = flagged[0]
            out.warnings.append(flagged[1])
        break

    if out.at is None and gps_utc is not None:
        reason = plausible(gps_utc, now)
        if reason:
            out.warnings.append(_("GPS time {value} is {reason}; ignored", value=gps_utc.isoformat(), reason=reason))
        else:
            out.at, out.source, out.tz_source = gps_utc, "gps", "gps-utc"
            out.text = f"{raw.gps_date} {':'.join(_clock(x) for x in raw.gps_time or ())}"

    from_name = filename_time(name, tz, tz_name)
    if from_name is not None:
        reason = plausible(from_name.at, now)
        if reason:
            out.warnings.append(_("the time in the file name ({value}) is {reason}; ignored",
                                  value=from_name.text, reason=reason))
            from_name = None
    if from_name is not None:
        out.filename_time = from_name.at
        if out.at is None:
            out.at, out.text, out.source = from_name.at, from_name.text, "filename"
            out.tz_source, out.date_only = from_name.tz_source, from_name.date_only
            if from_name.date_only:
                out.warnings.append(_("only the date is known (from the file name); the time of day is not"))
        elif out.source in ("exif", "exif-digitized"):
            gap = abs(out.at - from_name.at)
            limit = timedelta(days=2) if from_name.date_only else timedelta(days=1)
            if gap > limit:
                out.warnings.append(_("the EXIF time ({exif}) and the time in the file name ({name}) differ by "
                                      "{days} days", exif=out.at.isoformat(), name=from_name.text,
                                      days=gap.days))

    if mtime is not None:
        out.file_time = mtime.astimezone(tz) if mtime.tzinfo else localize(mtime, tz)
    if out.at is None:
        if out.file_time is not None:
            out.warnings.append(_("capture time unknown: the file's own date ({value}) is when it was saved, "
                                  "copied or uploaded, not when the picture was taken",
                                  value=out.file_time.isoformat(timespec="minutes")))
        else:
            out.warnings.append(_("capture time unknown (no EXIF date, no date in the file name)"))
    return out
