"""Writes the capture-time fixtures: small pictures whose time sits where cameras put it, written
with Pillow and ExifTool (python make_photos.py; needs exiftool).  Each name says its layout:

- exif_ifd_subsec_offset.jpg: DateTimeOriginal in the Exif IFD, sub-seconds "050", offset +02:00
- ifd0_datetimeoriginal.jpg: DateTimeOriginal in IFD0 (trail and old compact cameras)
- xmp_only.jpg: XMP-exif:DateTimeOriginal with a zone, no EXIF block
- iptc_only.jpg: IPTC DateCreated + TimeCreated only
- exif_and_xmp_differ.jpg: EXIF and XMP disagree (ExifTool prefers EXIF)
- clock_not_set.jpg: a camera whose clock was never set (2000:01:01 00:00:00)
- gps_only.jpg: only the GPS date and time stamps (UTC)
- create_date_only.jpg: only DateTimeDigitized (ExifTool's CreateDate)
- no_time.jpg: no time at all
- png_exif.png / png_xmp.png / webp_exif.webp: the same tag in PNG eXIf, PNG XMP and WebP EXIF
- tiff_ifd0.tif: a TIFF with DateTimeOriginal in the Exif IFD
- camera_raw.dng: a TIFF-based RAW (DNG) with make, model and DateTimeOriginal
- truncated.jpg: a JPEG cut in the middle of its pixels, its EXIF intact
"""
import subprocess
from pathlib import Path

from PIL import Image

HERE = Path(__file__).parent


def picture(name: str, fmt: str, color=(180, 40, 40), size=(96, 64)) -> Path:
    path = HERE / name
    img = Image.new("RGB", size, color)
    for x in range(0, size[0], 8):  # some detail, so the JPEG has a real scan
        for y in range(size[1]):
            img.putpixel((x, y), (x * 2 % 255, y * 3 % 255, 90))
    img.save(path, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return path


def tag(path: Path, *args: str) -> None:
    subprocess.run(["exiftool", "-q", "-overwrite_original", *args, str(path)], check=True)


tag(picture("exif_ifd_subsec_offset.jpg", "JPEG"), "-ExifIFD:DateTimeOriginal=2025:08:03 14:05:09",
    "-ExifIFD:SubSecTimeOriginal=050", "-ExifIFD:OffsetTimeOriginal=+02:00", "-Make=Compact", "-Model=C-100")
tag(picture("ifd0_datetimeoriginal.jpg", "JPEG", (40, 120, 40)), "-IFD0:DateTimeOriginal=2025:07:01 06:12:40",
    "-Make=TrailCam", "-Model=TC-2")
tag(picture("xmp_only.jpg", "JPEG", (40, 40, 160)), "-XMP-exif:DateTimeOriginal=2025:07:02 07:00:01+02:00")
tag(picture("iptc_only.jpg", "JPEG", (90, 90, 90)), "-IPTC:DateCreated=2025:07:03", "-IPTC:TimeCreated=08:30:00+02:00")
tag(picture("exif_and_xmp_differ.jpg", "JPEG", (10, 200, 200)), "-ExifIFD:DateTimeOriginal=2025:07:04 09:00:00",
    "-XMP-exif:DateTimeOriginal=2025:07:05 10:00:00")
tag(picture("clock_not_set.jpg", "JPEG", (200, 200, 10)), "-ExifIFD:DateTimeOriginal=2000:01:01 00:00:00",
    "-Make=OldCam")
tag(picture("gps_only.jpg", "JPEG", (120, 10, 200)), "-GPSDateStamp=2025:07:06", "-GPSTimeStamp=11:22:33")
tag(picture("create_date_only.jpg", "JPEG", (60, 160, 60)), "-ExifIFD:CreateDate=2025:07:07 12:00:00")
picture("no_time.jpg", "JPEG", (0, 0, 0))
tag(picture("png_exif.png", "PNG"), "-EXIF:DateTimeOriginal=2025:07:08 13:00:00")
tag(picture("png_xmp.png", "PNG", (30, 30, 30)), "-XMP-exif:DateTimeOriginal=2025:07:09 14:00:00")
tag(picture("webp_exif.webp", "WEBP"), "-EXIF:DateTimeOriginal=2025:07:10 15:00:00")
tag(picture("tiff_ifd0.tif", "TIFF"), "-ExifIFD:DateTimeOriginal=2025:07:11 16:00:00")
raw = picture("camera_raw.tif", "TIFF", (70, 70, 70))
raw = raw.rename(HERE / "camera_raw.dng")
tag(raw, "-ExifIFD:DateTimeOriginal=2025:07:12 17:00:00", "-Make=RawMaker", "-Model=R-1")
cut = picture("truncated_src.jpg", "JPEG", (150, 75, 0), size=(320, 240))
tag(cut, "-ExifIFD:DateTimeOriginal=2025:07:13 18:00:00")
data = cut.read_bytes()
(HERE / "truncated.jpg").write_bytes(data[: len(data) - 600])
cut.unlink()
