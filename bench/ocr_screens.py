"""Synthetic AliExpress-app screenshots with their truth: the fixture set of the OCR (issue 21).

    .venv/bin/python bench/ocr_screens.py OUT_DIR [--count 50]   # PNGs + truth.json

Each screen is drawn with Pillow as a phone shows it: a phone size (720x1600, 1080x2400,
1170x2532), a light or a dark theme, one of the fonts installed by scripts/setup.sh (DejaVu Sans,
Liberation Sans, Roboto, DejaVu Serif), in English, French, Dutch or German, of four types: the
order detail, the refund detail, the tracking page and the chat with the seller.  ``truth`` lists
the facts the screen shows as ``{kind, value}`` in the form ``complaint evidence --format json``
gives them.  ``photographed`` turns a screen into a photo of it (perspective, moiré, blur, camera
EXIF); ``skewed`` does the same without the camera's EXIF (a failure case the reader may miss, but
must not misread).  Everything is deterministic for a seed; no file of a real person is used.
"""

from __future__ import annotations

import io
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = ("/usr/share/fonts/truetype",)
FONTS = {  # family -> file name (Debian packages fonts-dejavu-core, fonts-liberation2, fonts-roboto-unhinted)
    "DejaVu Sans": "DejaVuSans.ttf",
    "Liberation Sans": "LiberationSans-Regular.ttf",
    "Roboto": "Roboto-Regular.ttf",
    "DejaVu Serif": "DejaVuSerif.ttf",
}
PHONES = [(720, 1600), (1080, 2400), (1170, 2532)]
LANGS = ["en", "fr", "nl", "de"]
KINDS = ["order", "refund", "tracking", "chat"]

MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    "nl": ["jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."],
    "de": ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
}
WORDS = {
    "en": {"order": "Order details", "order_id": "Order ID:", "order_date": "Order date:", "total": "Total:",
           "status": "Completed", "refund": "Refund details", "refund_ok": "Refund successful",
           "to": "To Visa ••1234", "days": "3-20 business days", "amount": "Refund amount:",
           "tracking": "Tracking", "number": "Tracking number:", "chat": "Chat", "yesterday": "Yesterday",
           "events": ["Delivered", "Out for delivery", "Arrived at destination country", "Departed from sorting center",
                      "Accepted by carrier", "Order shipped"],
           "msgs": ["Hello, the parcel arrived damaged.", "Sorry! Please send a photo.",
                    "Here is the photo of the box.", "We will refund you 14.90."]},
    "fr": {"order": "Détails de la commande", "order_id": "N° de commande :", "order_date": "Date de commande :",
           "total": "Total :", "status": "Terminée", "refund": "Détails du remboursement",
           "refund_ok": "Remboursement effectué", "to": "Vers Visa ••1234", "days": "3 à 20 jours ouvrables",
           "amount": "Montant remboursé :", "tracking": "Suivi", "number": "Numéro de suivi :", "chat": "Chat",
           "yesterday": "Hier",
           "events": ["Livré", "En cours de livraison", "Arrivé dans le pays de destination", "Parti du centre de tri",
                      "Pris en charge par le transporteur", "Commande expédiée"],
           "msgs": ["Bonjour, le colis est arrivé abîmé.", "Désolé ! Envoyez une photo.",
                    "Voici la photo du carton.", "Nous vous remboursons 14,90."]},
    "nl": {"order": "Bestelgegevens", "order_id": "Bestelnummer:", "order_date": "Besteldatum:", "total": "Totaal:",
           "status": "Voltooid", "refund": "Terugbetaling", "refund_ok": "Terugbetaling voltooid",
           "to": "Naar Visa ••1234", "days": "3-20 werkdagen", "amount": "Terugbetaald bedrag:",
           "tracking": "Tracking", "number": "Trackingnummer:", "chat": "Chat", "yesterday": "Gisteren",
           "events": ["Bezorgd", "Onderweg naar bezorgadres", "Aangekomen in land van bestemming",
                      "Vertrokken uit sorteercentrum", "Aangenomen door vervoerder", "Bestelling verzonden"],
           "msgs": ["Hallo, het pakket kwam beschadigd aan.", "Sorry! Stuur een foto.",
                    "Hier is de foto van de doos.", "We betalen 14,90 terug."]},
    "de": {"order": "Bestelldetails", "order_id": "Bestellnummer:", "order_date": "Bestelldatum:", "total": "Gesamt:",
           "status": "Abgeschlossen", "refund": "Erstattungsdetails", "refund_ok": "Erstattung erfolgreich",
           "to": "An Visa ••1234", "days": "3-20 Werktage", "amount": "Erstattungsbetrag:",
           "tracking": "Sendungsverfolgung", "number": "Sendungsnummer:", "chat": "Chat", "yesterday": "Gestern",
           "events": ["Zugestellt", "In Zustellung", "Im Zielland angekommen", "Sortierzentrum verlassen",
                      "Vom Versender übernommen", "Bestellung versandt"],
           "msgs": ["Hallo, das Paket kam beschädigt an.", "Entschuldigung! Bitte senden Sie ein Foto.",
                    "Hier ist das Foto vom Karton.", "Wir erstatten Ihnen 14,90."]},
}
PLACES = ["Brussels", "Liège", "Antwerpen", "Liege", "Amsterdam", "Guangzhou"]
STORES = ["Shenzhen Home Store", "Best Gadget Official Store", "XYZ Lighting Store"]


def font_path(family: str) -> str:
    for root in FONT_DIRS:
        hits = sorted(Path(root).rglob(FONTS[family]))
        if hits:
            return str(hits[0])
    raise FileNotFoundError(f"font {family} ({FONTS[family]}) is not installed: run scripts/setup.sh --system")


def fonts_available() -> list[str]:
    out = []
    for family in FONTS:
        try:
            font_path(family)
        except FileNotFoundError:
            continue
        out.append(family)
    return out


def money(amount: str, lang: str) -> str:
    """How the app writes an amount in each language."""
    units, cents = amount.split(".")
    if lang == "en":
        return f"€{units}.{cents}"
    if lang == "nl":
        return f"€ {units},{cents}"
    return f"{units},{cents} €"


def day_text(d: date, lang: str) -> str:
    m = MONTHS[lang][d.month - 1]
    if lang == "en":
        return f"{d.day} {m} {d.year}"
    if lang == "de":
        return f"{d.day}. {m} {d.year}"
    return f"{d.day} {m} {d.year}"


@dataclass
class Screen:
    kind: str
    lang: str
    theme: str
    font: str
    size: tuple[int, int]
    captured: datetime
    truth: list[dict] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)  # (style, text); style: title, text, small, me, them


def _order_id(rnd: random.Random) -> str:
    return "81" + "".join(rnd.choice("0123456789") for _ in range(14))


def _amount(rnd: random.Random) -> str:
    return f"{rnd.randint(2, 189)}.{rnd.randint(0, 99):02d}"


def compose(kind: str, lang: str, rnd: random.Random, captured: datetime) -> Screen:
    """What a screen says (its lines) and its truth."""
    w = WORDS[lang]
    s = Screen(kind, lang, "light", "DejaVu Sans", PHONES[0], captured)
    oid = _order_id(rnd)
    amount = _amount(rnd)
    day = captured.date() - timedelta(days=rnd.randint(2, 60))
    if kind == "order":
        s.lines = [("title", w["order"]), ("text", w["status"]), ("text", f"{w['order_id']} {oid}"),
                   ("text", f"{w['order_date']} {day_text(day, lang)}"), ("small", rnd.choice(STORES)),
                   ("text", f"{w['total']} {money(amount, lang)}")]
        s.truth = [{"kind": "order_id", "value": oid}, {"kind": "date", "value": day.isoformat()},
                   {"kind": "amount", "value": {"amount": amount, "currency": "EUR"}},
                   {"kind": "order_status", "value": "completed"}]
    elif kind == "refund":
        s.lines = [("title", w["refund"]), ("title", w["refund_ok"]), ("text", f"{w['amount']} {money(amount, lang)}"),
                   ("text", w["to"]), ("text", day_text(day, lang)), ("small", w["days"]),
                   ("text", f"{w['order_id']} {oid}")]
        s.truth = [{"kind": "order_id", "value": oid}, {"kind": "date", "value": day.isoformat()},
                   {"kind": "amount", "value": {"amount": amount, "currency": "EUR"}},
                   {"kind": "refund_status", "value": "successful"}]
    elif kind == "tracking":
        number = rnd.choice(["LP", "CN", "YT"]) + "".join(rnd.choice("0123456789") for _ in range(14))
        s.lines = [("title", w["tracking"]), ("text", f"{w['number']} {number}")]
        s.truth = [{"kind": "tracking_number", "value": number}]
        n = rnd.randint(3, 6)
        t = datetime.combine(captured.date() - timedelta(days=1), datetime.min.time()).replace(
            hour=rnd.randint(8, 17), minute=rnd.randint(0, 59))
        for i in range(n):
            when = f"{w['yesterday']} {t:%H:%M}" if i == 0 else f"{day_text(t.date(), lang)} {t:%H:%M}"
            s.lines += [("text", when), ("small", f"{w['events'][i]} — {rnd.choice(PLACES)}")]
            s.truth.append({"kind": "carrier_event", "value": {"at": t.isoformat(timespec="minutes")}})
            t -= timedelta(days=rnd.randint(1, 4), hours=rnd.randint(0, 5))
    else:  # chat
        store = rnd.choice(STORES)
        s.lines = [("title", f"{w['chat']} — {store}")]
        t = datetime.combine(captured.date() - timedelta(days=1), datetime.min.time()).replace(
            hour=rnd.randint(8, 12), minute=rnd.randint(0, 59))
        for i, msg in enumerate(w["msgs"]):
            side = "me" if i % 2 == 0 else "them"
            s.lines += [("small", f"{w['yesterday']} {t:%H:%M}"), (side, msg)]
            s.truth.append({"kind": "message", "value": {"at": t.isoformat(timespec="minutes"),
                                                         "sender": "buyer" if side == "me" else "seller"}})
            t += timedelta(minutes=rnd.randint(3, 50))
    return s


def draw(s: Screen) -> Image.Image:
    """The screen as the phone draws it."""
    width, height = s.size
    dark = s.theme == "dark"
    bg, fg, sub = ((18, 18, 18), (235, 235, 235), (170, 170, 170)) if dark else ((245, 245, 245), (25, 25, 25),
                                                                              (110, 110, 110))
    accent = (255, 75, 50)
    im = Image.new("RGB", (width, height), bg)
    d = ImageDraw.Draw(im)
    unit = width / 1080
    path = font_path(s.font)
    fonts = {"title": ImageFont.truetype(path, int(56 * unit)), "text": ImageFont.truetype(path, int(44 * unit)),
             "small": ImageFont.truetype(path, int(38 * unit))}
    fonts["me"] = fonts["them"] = fonts["text"]
    # status bar and app bar
    d.text((int(40 * unit), int(20 * unit)), f"{s.captured:%H:%M}", font=fonts["small"], fill=fg)
    d.rectangle((0, int(90 * unit), width, int(230 * unit)), fill=(30, 30, 30) if dark else (255, 255, 255))
    d.text((int(40 * unit), int(110 * unit)), "<", font=fonts["title"], fill=fg)
    y = int(280 * unit)
    margin = int(60 * unit)
    for style, text in s.lines:
        f = fonts[style]
        box = d.textbbox((0, 0), text, font=f)
        tw, th = box[2] - box[0], box[3] - box[1]
        if style in ("me", "them"):
            pad = int(28 * unit)
            x = width - margin - tw - 2 * pad if style == "me" else margin
            fill = accent if style == "me" else ((50, 50, 50) if dark else (255, 255, 255))
            d.rounded_rectangle((x, y, x + tw + 2 * pad, y + th + 2 * pad), radius=int(30 * unit), fill=fill)
            d.text((x + pad, y + pad - box[1]), text, font=f, fill=(255, 255, 255) if style == "me" else fg)
            y += th + 2 * pad + int(36 * unit)
        else:
            d.text((margin, y - box[1]), text, font=f, fill=accent if style == "title" and "✓" in text
                   else (sub if style == "small" else fg))
            y += th + int(48 * unit if style != "small" else 40 * unit)
    return im


def png(im: Image.Image) -> bytes:
    out = io.BytesIO()
    im.save(out, "PNG", optimize=False, compress_level=1)
    return out.getvalue()


def photographed(im: Image.Image, rnd: random.Random, *, camera: bool = True) -> bytes:
    """A photo of the screen: tilted (perspective), with moiré stripes and a little blur; JPEG,
    with a camera's EXIF when ``camera``."""
    w, h = im.size
    k = rnd.uniform(0.04, 0.09)
    coeffs = _perspective([(0, 0), (w, 0), (w, h), (0, h)],
                          [(k * w, k * h * 0.5), (w * (1 - k * 0.4), 0), (w, h), (0, h * (1 - k * 0.3))])
    im = im.transform((w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR, fillcolor=(60, 60, 60))
    stripes = Image.new("L", (w, h))
    sd = ImageDraw.Draw(stripes)
    period = rnd.uniform(5.0, 9.0)
    for x in range(0, w + h, int(period)):
        sd.line((x, 0, x - h // 3, h), fill=40, width=2)
    im = Image.composite(Image.new("RGB", (w, h), (0, 0, 0)), im, stripes)
    im = im.filter(ImageFilter.GaussianBlur(rnd.uniform(0.8, 1.6))).rotate(rnd.uniform(-4, 4), fillcolor=(50, 50, 50))
    out = io.BytesIO()
    exif = Image.Exif()
    if camera:
        exif[ExifTags.Base.Make] = "samsung"
        exif[ExifTags.Base.Model] = "SM-A546B"
    im.save(out, "JPEG", quality=88, exif=exif)
    return out.getvalue()


def _perspective(src, dst):
    """Coefficients mapping output (dst) to input (src) points for Image.transform."""
    import numpy as np

    rows = []
    rhs = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(rows, float), np.array(rhs, float))]


def fixture_set(count: int = 48, seed: int = 21, *, photos: int = 4) -> list[dict]:
    """``count`` screenshots spread over kinds x languages x themes x fonts x sizes, plus
    ``photos`` photographed screens: [{name, data, kind, lang, theme, font, size, captured, truth}]."""
    rnd = random.Random(seed)
    families = fonts_available()
    items = []
    for i in range(count):
        kind, lang = KINDS[i % 4], LANGS[(i // 4) % 4]
        captured = datetime(2026, 6, 20, 9, 0) + timedelta(days=rnd.randint(0, 40), minutes=rnd.randint(0, 600))
        s = compose(kind, lang, rnd, captured)
        s.theme = "dark" if (i // 16) % 2 else "light"
        s.font = families[(i + i // 16) % len(families)]
        s.size = PHONES[(i // 2) % len(PHONES)]
        name = f"Screenshot_{captured:%Y%m%d-%H%M%S}_{kind}_{lang}_{i:02d}.png"
        items.append({"name": name, "data": png(draw(s)), "kind": kind, "lang": lang, "theme": s.theme,
                      "font": s.font, "size": list(s.size), "captured": captured.isoformat(), "truth": s.truth,
                      "variant": "screenshot"})
    for j in range(photos):
        kind, lang = KINDS[j % 4], LANGS[j % 4]
        captured = datetime(2026, 7, 1, 12, 0) + timedelta(days=j)
        s = compose(kind, lang, rnd, captured)
        s.size = PHONES[1]
        camera = j % 2 == 0
        name = (f"IMG_{captured:%Y%m%d_%H%M%S}.jpg" if camera else f"Screenshot_{captured:%Y%m%d-%H%M%S}_skewed.jpg")
        items.append({"name": name, "data": photographed(draw(s), rnd, camera=camera), "kind": kind, "lang": lang,
                      "theme": "light", "font": s.font, "size": list(s.size), "captured": captured.isoformat(),
                      "truth": [] if camera else s.truth, "variant": "photo" if camera else "skewed"})
    return items


def tall_capture(height: int = 20_000, width: int = 1080) -> bytes:
    """A scrolling capture: the chat repeated down a very tall image."""
    rnd = random.Random(5)
    tile = draw(_sized(compose("chat", "en", rnd, datetime(2026, 6, 20, 9, 0)), (width, 2400)))
    im = Image.new("RGB", (width, height), (245, 245, 245))
    for y in range(0, height, tile.height):
        im.paste(tile, (0, y))
    return png(im)


def _sized(s: Screen, size: tuple[int, int]) -> Screen:
    s.size = size
    return s


def screen_png(kind: str = "refund", lang: str = "en", seed: int = 1, *, theme: str = "light",
               font: str = "DejaVu Sans", size: tuple[int, int] = (1080, 2400),
               captured: datetime = datetime(2026, 6, 20, 9, 0)) -> tuple[bytes, list[dict]]:
    """One screenshot and its truth (for tests)."""
    s = compose(kind, lang, random.Random(seed), captured)
    s.theme, s.font, s.size = theme, font, size
    return png(draw(s)), s.truth


def refund_png(order_id: str, amount: str, day: date, lang: str = "en", *, theme: str = "light",
               font: str = "DejaVu Sans", captured: datetime = datetime(2026, 11, 12, 10, 15)) -> bytes:
    """A refund-detail screenshot of a given order, amount and day (for the browser test)."""
    w = WORDS[lang]
    s = Screen("refund", lang, theme, font, (1080, 2400), captured)
    s.lines = [("title", w["refund"]), ("title", w["refund_ok"]), ("text", f"{w['amount']} {money(amount, lang)}"),
               ("text", w["to"]), ("text", day_text(day, lang)), ("small", w["days"]),
               ("text", f"{w['order_id']} {order_id}")]
    return png(draw(s))


def main(argv: list[str]) -> None:
    out = Path(argv[0] if argv else "bench/out/ocr_screens")
    count = int(argv[argv.index("--count") + 1]) if "--count" in argv else 48
    out.mkdir(parents=True, exist_ok=True)
    truth = []
    for item in fixture_set(count):
        (out / item["name"]).write_bytes(item.pop("data"))
        truth.append(item)
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"{len(truth)} screens written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])


__all__ = ["fixture_set", "screen_png", "refund_png", "tall_capture", "photographed", "fonts_available"]
