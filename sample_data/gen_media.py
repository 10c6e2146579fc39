"""Evidence pictures of the sample case: small drawn scenes with real EXIF, and two screenshots.

Pillow writes the EXIF (Make/Model/Software, DateTimeOriginal, OffsetTimeOriginal for some,
GPS for one, Orientation 6 for one stored sideways).  Screenshots are PNGs without EXIF whose time
is in the Android-style file name.  Output is byte-identical from run to run.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from PIL import Image, ImageDraw, ImageFont

EXIF_IFD = 0x8769
GPS_IFD = 0x8825


@dataclass
class Photo:
    name: str
    order_key: str
    problem: str
    scene: str
    taken: datetime  # local Brussels time shown by the camera
    make: str
    model: str
    offset: str | None  # OffsetTimeOriginal, or None (older phones / some apps drop it)
    gps: tuple[float, float] | None = None
    rotate6: bool = False
    caption: str = ""


PHOTOS = [
    Photo("IMG_20260127_183412.jpg", "damaged", "damaged", "box", datetime(2026, 1, 27, 18, 34, 12), "samsung",
          "SM-A546B", "+01:00", gps=(50.88713, 4.72651), caption="Parcel as delivered: crushed corner"),
    Photo("IMG_20260127_183530.jpg", "damaged", "damaged", "shelf", datetime(2026, 1, 27, 18, 35, 30), "samsung",
          "SM-A546B", "+01:00", caption="Bookshelf side panel split at the corner"),
    Photo("IMG_3071.JPG", "wrongsize", "wrong_item", "ruler", datetime(2026, 3, 12, 19, 2, 44), "Apple",
          "iPhone 13", None, caption="Jacket chest width 51 cm with a tape measure (size L should be 58 cm)"),
    Photo("IMG_3072.JPG", "wrongsize", "wrong_item", "label", datetime(2026, 3, 12, 19, 3, 21), "Apple",
          "iPhone 13", None, rotate6=True, caption="Size label reads S, order says L"),
    Photo("IMG_20260422_173005.jpg", "missing", "missing_item", "parcel", datetime(2026, 4, 22, 17, 30, 5),
          "samsung", "SM-A546B", "+02:00", caption="Parcel contents: lamp shade and hooks, no cord sets"),
    Photo("IMG_20260608_201133.jpg", "shortqty", "short_quantity", "clamps", datetime(2026, 6, 8, 20, 11, 33),
          "Xiaomi", "Redmi Note 13", "+02:00", caption="Two clamps received, four ordered"),
]


@dataclass
class Shot:
    name: str
    order_key: str
    kind: str  # "chat" or "tracking"
    caption: str


SCREENSHOTS = [
    Shot("Screenshot_20260314-101500.png", "wrongsize", "chat", "Chat with the seller about the size S label"),
    Shot("Screenshot_20261029-214210.png", "notdelivered", "tracking",
         "Tracking page: no movement since 14 Oct 2026"),
]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # very old Pillow
        return ImageFont.load_default()


def _draw_scene(kind: str) -> Image.Image:
    img = Image.new("RGB", (800, 600), (196, 182, 160))  # a floor
    d = ImageDraw.Draw(img)
    for x in range(0, 800, 80):
        d.line([(x, 0), (x - 120, 600)], fill=(184, 170, 148), width=3)  # floor boards
    if kind == "box":
        d.polygon([(190, 170), (560, 150), (640, 220), (260, 250)], fill=(205, 160, 105), outline=(90, 60, 30))
        d.polygon([(260, 250), (640, 220), (640, 470), (260, 510)], fill=(185, 140, 90), outline=(90, 60, 30))
        d.polygon([(190, 170), (260, 250), (260, 510), (190, 420)], fill=(160, 118, 72), outline=(90, 60, 30))
        d.polygon([(560, 220), (640, 220), (640, 330), (600, 300), (575, 260)], fill=(110, 80, 50))  # crushed
        d.line([(575, 260), (640, 330)], fill=(60, 40, 20), width=4)
        d.rectangle([(320, 300), (470, 360)], fill=(250, 250, 245), outline=(40, 40, 40))
        d.text((330, 310), "LP00648213957304", fill=(0, 0, 0), font=_font(16))
        d.text((330, 334), "KESSEL-LO BE", fill=(0, 0, 0), font=_font(16))
    elif kind == "shelf":
        d.rectangle([(150, 120), (650, 180)], fill=(120, 80, 45), outline=(60, 35, 15), width=3)
        d.polygon([(560, 120), (650, 120), (650, 180), (600, 150)], fill=(196, 182, 160))
        for dx in range(0, 40, 8):
            d.line([(560 + dx, 120), (600, 150 + dx // 2)], fill=(70, 45, 20), width=2)  # splinters
        d.rectangle([(150, 260), (650, 300)], fill=(120, 80, 45), outline=(60, 35, 15), width=3)
        d.text((160, 330), "crack 14 cm", fill=(30, 30, 30), font=_font(22))
    elif kind == "ruler":
        d.polygon([(220, 90), (580, 90), (640, 200), (600, 520), (200, 520), (160, 200)], fill=(34, 46, 84))
        d.rectangle([(200, 300), (600, 330)], fill=(240, 210, 40), outline=(80, 70, 0))
        for i in range(0, 52):
            x = 210 + i * 7.5
            d.line([(x, 300), (x, 310 if i % 5 else 318)], fill=(0, 0, 0), width=1)
        d.text((210, 335), "0", fill=(255, 255, 255), font=_font(18))
        d.text((570, 335), "51", fill=(255, 255, 255), font=_font(18))
    elif kind == "label":
        d.rectangle([(0, 0), (800, 600)], fill=(34, 46, 84))
        d.rectangle([(250, 150), (550, 450)], fill=(245, 245, 240), outline=(160, 160, 160), width=3)
        d.text((300, 180), "SIMWOOD", fill=(20, 20, 20), font=_font(34))
        d.text((370, 250), "S", fill=(20, 20, 20), font=_font(90))
        d.text((290, 380), "170/88A  100% POLYESTER", fill=(20, 20, 20), font=_font(16))
    elif kind == "parcel":
        d.rectangle([(160, 140), (640, 480)], fill=(205, 160, 105), outline=(90, 60, 30), width=4)
        d.ellipse([(220, 200), (400, 380)], fill=(212, 180, 120), outline=(140, 100, 50), width=6)
        d.rectangle([(450, 220), (600, 300)], fill=(235, 235, 235), outline=(120, 120, 120))
        d.text((458, 230), "hooks x10", fill=(0, 0, 0), font=_font(18))
        d.rectangle([(430, 350), (620, 460)], fill=(255, 255, 255), outline=(0, 0, 0))
        d.text((438, 358), "packing list:", fill=(0, 0, 0), font=_font(14))
        d.text((438, 378), "shade x1  cord x2", fill=(0, 0, 0), font=_font(14))
        d.text((438, 398), "hooks x1", fill=(0, 0, 0), font=_font(14))
    elif kind == "clamps":
        for y in (180, 360):
            d.rectangle([(180, y), (620, y + 24)], fill=(150, 150, 155), outline=(60, 60, 60))
            d.rectangle([(180, y - 50), (230, y + 80)], fill=(40, 90, 170))
            d.rectangle([(520, y - 50), (570, y + 80)], fill=(40, 90, 170))
        d.text((200, 520), "2 pcs received / 4 ordered", fill=(30, 30, 30), font=_font(24))
    return img


def _rational(x: float) -> tuple[float, float, float]:
    deg = int(x)
    minutes_f = (x - deg) * 60
    minutes = int(minutes_f)
    seconds = round((minutes_f - minutes) * 60, 2)
    return (float(deg), float(minutes), seconds)


def photo_bytes(p: Photo, utc_offset_hours: int) -> bytes:
    img = _draw_scene(p.scene)
    if p.rotate6:
        # the sensor stored the picture sideways; Orientation 6 tells viewers to turn it 90° clockwise
        img = img.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x010F] = p.make
    exif[0x0110] = p.model
    exif[0x0131] = "A546BXXS5BXJ1" if p.make == "samsung" else ("17.3.1" if p.make == "Apple" else "V816.0.4.0")
    exif[0x0132] = p.taken.strftime("%Y:%m:%d %H:%M:%S")
    exif[0x0112] = 6 if p.rotate6 else 1
    ifd = exif.get_ifd(EXIF_IFD)
    ifd[0x9003] = p.taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    ifd[0x9004] = p.taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeDigitized
    ifd[0x9291] = "412"  # SubSecTimeOriginal
    if p.offset:
        ifd[0x9010] = p.offset  # OffsetTime
        ifd[0x9011] = p.offset  # OffsetTimeOriginal
        ifd[0x9012] = p.offset  # OffsetTimeDigitized
    if p.gps:
        lat, lon = p.gps
        utc = p.taken - timedelta(hours=utc_offset_hours)
        gps = exif.get_ifd(GPS_IFD)
        gps[0] = b"\x02\x02\x00\x00"
        gps[1] = "N"
        gps[2] = _rational(lat)
        gps[3] = "E"
        gps[4] = _rational(lon)
        gps[7] = (float(utc.hour), float(utc.minute), float(utc.second))
        gps[29] = utc.strftime("%Y:%m:%d")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=72, exif=exif.tobytes(), optimize=True)
    return buf.getvalue()


def _screen(lines: list[tuple[str, str]], title: str) -> Image.Image:
    img = Image.new("RGB", (540, 960), (245, 245, 245))
    d = ImageDraw.Draw(img)
    d.rectangle([(0, 0), (540, 40)], fill=(20, 20, 20))
    d.rectangle([(0, 40), (540, 110)], fill=(255, 255, 255))
    d.text((20, 62), title, fill=(20, 20, 20), font=_font(24))
    y = 130
    for who, text in lines:
        if who == "me":
            d.rounded_rectangle([(150, y), (520, y + 70)], radius=14, fill=(255, 80, 50))
            d.text((165, y + 12), text, fill=(255, 255, 255), font=_font(16))
        elif who == "them":
            d.rounded_rectangle([(20, y), (390, y + 70)], radius=14, fill=(255, 255, 255))
            d.text((35, y + 12), text, fill=(20, 20, 20), font=_font(16))
        else:  # tracking step
            d.ellipse([(26, y + 6), (40, y + 20)], fill=(255, 80, 50) if y == 130 else (170, 170, 170))
            d.text((60, y), text, fill=(20, 20, 20), font=_font(16))
            y -= 10
        y += 90
    return img


def screenshot_bytes(s: Shot) -> bytes:
    if s.kind == "chat":
        img = _screen([
            ("me", "Hello, I ordered size L but the\nlabel says S. Photos attached."),
            ("them", "Dear friend, sorry for the\nmistake. Please open a dispute,"),
            ("them", "choose return, we accept."),
            ("me", "OK, dispute opened today."),
        ], "Simwood Men's Clothing Store")
    else:
        img = _screen([
            ("step", "2026-10-14 06:12  Departed from transit\ncountry/region"),
            ("step", "2026-10-13 22:47  Arrived at transit\ncountry/region hub"),
            ("step", "2026-10-09 03:15  Departed from sorting center"),
            ("step", "2026-10-07 19:02  Received by sorting center"),
            ("step", "2026-10-06 11:30  Package ready for dispatch"),
        ], "Tracking  LP00651872094436")
    img = img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()
