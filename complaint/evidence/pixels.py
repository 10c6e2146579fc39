"""Pixels at the least cost: upright thumbnails and the perceptual hash (dHash) of a picture.

The perceptual hash is taken, cheapest first, from:

1. the JPEG thumbnail a camera stores in the EXIF block (IFD1, typically 160x120 or 512x384,
   located by the tags JPEGInterchangeFormat and JPEGInterchangeFormatLength: "Exif Version 2.2",
   JEITA CP-3451, 4.6.1, transcribed at http://www.digicamsoft.com/exif22/exif22/html/exif22_19.htm,
   checked 2026-12-06).  Decoding it takes a fraction of a millisecond where a 12-megapixel photo
   takes ~30 ms, nearly all of it Huffman decoding that no scaling avoids.  It is used only when it
   is a faithful copy: same aspect ratio (or the same picture with uniform bars, as many cameras
   pad a 3:2 photo into a 4:3 thumbnail), the size the EXIF block declares, and no orientation of
   its own.  Its hash is an estimate: the pixels decide the close calls (:mod:`.duplicates`);
2. a HEIC/HEIF thumbnail item that is a scaled copy of the picture (pillow-heif's ``draft``);
3. the picture decoded at reduced scale: for JPEG, libjpeg's DCT scaling (1/2, 1/4 or 1/8) through
   Pillow's ``draft``; PNG, WebP and TIFF are decoded in full.

Either way the hash is of the upright picture (EXIF Orientation applied), reduced to 9x8 grey
cells with a box filter; each bit says whether a cell is darker than its right neighbour.
"""

from __future__ import annotations

import io
import re
import struct

from PIL import ExifTags, Image, ImageOps, ImageStat

from ..i18n import _
from .metadata import ImageUnreadable, open_image, short_reason
from .notes import collected

__all__ = ["thumbnail", "perceptual_hash", "picture_hash", "exif_thumbnail", "dhash", "hamming", "upright",
           "THUMBNAIL_TIE"]

_IFD1 = int(ExifTags.IFD.IFD1)
_THUMB_OFFSET, _THUMB_LENGTH = 0x0201, 0x0202  # JPEGInterchangeFormat, JPEGInterchangeFormatLength
_ORIENTATION = int(ExifTags.Base.Orientation)
_PIXEL_X, _PIXEL_Y = int(ExifTags.Base.ExifImageWidth), int(ExifTags.Base.ExifImageHeight)
_MIN_THUMB_SIDE = 32  # a dHash needs 9x8 cells of a few pixels each
_ASPECT_TOLERANCE = 0.02
THUMBNAIL_TIE = 1.0  # grey levels: see dhash
_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270,
              7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90}


def upright(im: Image.Image, orientation: int | None) -> Image.Image:
    """The picture as it should be seen (EXIF Orientation 2-8 undone)."""
    method = _TRANSPOSE.get(orientation or 1)
    return im.transpose(method) if method is not None else im


def dhash(grey: Image.Image, tie: float = 0.0) -> str:
    """64-bit difference hash of an upright picture, as 16 hex digits: each bit says whether a
    cell of the 9x8 grid is darker than its right neighbour by more than ``tie`` grey levels.

    With ``tie=0`` the cells are whole grey levels (the hash of decoded pixels).  A camera's
    thumbnail carries JPEG noise of about one level where the photo is flat: cells that the photo
    has exactly equal come out a level apart.  So a thumbnail is hashed on exact (float) cells
    with ``tie=THUMBNAIL_TIE``, and a flat area gives the same 0 bits as the photo's pixels.
    """
    if tie <= 0:
        px: tuple | bytes = grey.convert("L").resize((9, 8), Image.Resampling.BOX).tobytes()
    else:
        px = struct.unpack("=72f", grey.convert("L").convert("F").resize((9, 8), Image.Resampling.BOX).tobytes())
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (px[row * 9 + col + 1] - px[row * 9 + col] > tie)
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def picture_hash(im: Image.Image, name: str = "image", *, thumbnails: bool = True) -> tuple[str, str]:
    """(dHash, where it was taken from) of an opened picture.

    The source is ``exif-thumbnail`` or ``heif-thumbnail`` (an estimate, a few bits from the
    pixels' hash: see :data:`.duplicates.ESTIMATE_ERROR_BITS`) or ``pixels`` (the picture decoded,
    at reduced scale when the format allows).  ``thumbnails=False`` always decodes the pixels.
    ImageUnreadable when the pixel data is damaged."""
    with collected():  # parser warnings were reported by the metadata reader already
        small = exif_thumbnail(im) if thumbnails else None
        source = "exif-thumbnail"
        if small is None:
            small, source = _decoded(im, 64, "L", name, thumbnails=thumbnails)
        small = upright(small, _orientation(im))
    return dhash(small, 0.0 if source == "pixels" else THUMBNAIL_TIE), source


def _orientation(im: Image.Image) -> int | None:
    """The EXIF Orientation still to apply: after loading, Pillow's TIFF reader and pillow-heif
    have turned the pixels already and report none."""
    try:
        value = im.getexif().get(_ORIENTATION)
    except Exception:  # a broken EXIF block must not hide the picture
        return None
    return value if value in _TRANSPOSE else None


def perceptual_hash(data: bytes, name: str = "image", *, thumbnails: bool = True) -> str:
    """64-bit difference hash (dHash) of the upright picture, as 16 hex digits (``thumbnails=False``:
    of its decoded pixels, never of a thumbnail it carries)."""
    im = open_image(data, name)
    try:
        return picture_hash(im, name, thumbnails=thumbnails)[0]
    finally:
        im.close()


def exif_thumbnail(im: Image.Image) -> Image.Image | None:
    """The camera's thumbnail of a JPEG (EXIF IFD1) in grey, in the photo's stored orientation and
    cropped to the photo's aspect ratio; None when absent, damaged or not a faithful copy."""
    raw = im.info.get("exif")
    if im.format not in ("JPEG", "MPO") or not isinstance(raw, bytes) or len(raw) < 16:
        return None
    try:
        exif = im.getexif()
        ifd1 = exif.get_ifd(_IFD1)
        sub = exif.get_ifd(int(ExifTags.IFD.Exif))
    except Exception:  # damaged EXIF: decode the pixels instead
        return None
    start, length = ifd1.get(_THUMB_OFFSET), ifd1.get(_THUMB_LENGTH)
    if not isinstance(start, int) or not isinstance(length, int) or start <= 0 or length < 64:
        return None
    if ifd1.get(_ORIENTATION, exif.get(_ORIENTATION)) != exif.get(_ORIENTATION):
        return None  # a thumbnail turned another way than the photo
    declared = (sub.get(_PIXEL_X), sub.get(_PIXEL_Y))
    if all(isinstance(v, int) and v > 0 for v in declared) and declared not in (im.size, im.size[::-1]):
        return None  # the EXIF block (and its thumbnail) describes another version of the picture
    base = re.match(rb"(?:Exif\x00\x00){0,2}", raw).end()  # offsets count from the TIFF header
    blob = raw[base + start:base + start + length]
    if len(blob) != length or not blob.startswith(b"\xff\xd8"):
        return None
    try:
        thumb = Image.open(io.BytesIO(blob), formats=["JPEG"])
        size = thumb.size
        if min(size) < _MIN_THUMB_SIDE or size[0] * size[1] >= im.size[0] * im.size[1]:
            return None
        thumb.draft("L", size)
        thumb.load()
    except Exception:  # a damaged thumbnail: decode the pixels instead
        return None
    return _fitted(thumb.convert("L"), im.size)


def _fitted(thumb: Image.Image, size: tuple[int, int]) -> Image.Image | None:
    """The thumbnail cropped to the photo's aspect ratio when its padding bars are uniform."""
    tw, th = thumb.size
    w, h = size
    want, have = w / h, tw / th
    if abs(have - want) / want <= _ASPECT_TOLERANCE:
        return thumb
    if want > have:  # a wider photo in a taller thumbnail: bars above and below
        pad = (th - tw / want) / 2
        box, bars = (0, round(pad), tw, round(th - pad)), [(0, 0, tw, int(pad)), (0, th - int(pad), tw, th)]
    else:  # bars left and right
        pad = (tw - th * want) / 2
        box, bars = (round(pad), 0, round(tw - pad), th), [(0, 0, int(pad), th), (tw - int(pad), 0, tw, th)]
    if pad < 1 or box[2] - box[0] < _MIN_THUMB_SIDE or box[3] - box[1] < _MIN_THUMB_SIDE:
        return None
    stats = [ImageStat.Stat(thumb.crop(b)) for b in bars]
    if any(s.stddev[0] > 6 for s in stats) or abs(stats[0].mean[0] - stats[1].mean[0]) > 8:
        return None  # not padding: another crop of the picture
    return thumb.crop(box)


def _decoded(im: Image.Image, box: int, mode: str, name: str, *, thumbnails: bool = True) -> tuple[Image.Image, str]:
    """The pixels at the smallest scale the decoder offers that still covers ``box``, and their
    source: ``pixels``, or ``heif-thumbnail`` when pillow-heif picked a thumbnail item."""
    source = "pixels"
    try:
        if im.format in ("JPEG", "MPO"):
            im.draft(mode, (box, box))  # DCT scaling: decode at 1/2, 1/4 or 1/8 size
        elif im.format == "HEIF" and thumbnails and im.draft(mode, (box, box)) is not None:
            source = "heif-thumbnail"  # a thumbnail item that is a scaled copy, at least box x box
        im.load()
    except Exception as exc:  # decoder errors on corrupt or truncated pixel data
        raise ImageUnreadable(_("{file}: image data is damaged ({reason})", file=name,
                                reason=short_reason(exc))) from exc
    return im, source


def thumbnail(data: bytes, size: int = 512, fmt: str = "JPEG", name: str = "image") -> bytes:
    """An upright thumbnail (longest side ``size``) as JPEG or PNG bytes."""
    im = _decoded(open_image(data, name), size, "RGB", name)[0]
    try:
        with collected():  # already reported by the metadata reader
            im = ImageOps.exif_transpose(im)
    except Exception:  # a broken EXIF block must not hide the picture
        pass
    im.thumbnail((size, size), Image.Resampling.LANCZOS)
    fmt = fmt.upper()
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        if fmt == "PNG":
            im = rgba
        else:
            bg = Image.new("RGB", rgba.size, "white")
            bg.paste(rgba, mask=rgba.getchannel("A"))
            im = bg
    elif im.mode != "RGB":
        im = im.convert("RGB")
    out = io.BytesIO()
    if fmt == "PNG":
        im.save(out, "PNG", optimize=False)
    else:
        im.save(out, "JPEG", quality=85)
    return out.getvalue()

