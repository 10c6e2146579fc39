"""Benchmark: `complaint evidence DIR` against hashing the same bytes, and metadata against ExifTool.

    .venv/bin/python bench/evidence.py              # 200 photos of 12 megapixels (~3 MB each)
    .venv/bin/python bench/evidence.py --rounds 7   # more rounds (best of each side is kept)
    .venv/bin/python bench/evidence.py --dir /tmp/complaint-checks/photos   # another folder

The photos are generated once into bench/out/evidence_12mp/ (gitignored): distinct pictures
(smooth random colour fields, shapes, sensor-like noise), JPEG of about 3 MB, as a phone writes
them: EXIF with capture time, offset, camera, GPS, some turned (Orientation 6), and a 160x120
JPEG thumbnail in IFD1.  Mixed in, as an evidence folder has them: photos without a thumbnail
(exported by an editor), exact copies (same bytes) and near copies (the same picture re-encoded
without EXIF, which only the pixels can match).

Timed, in turns (baseline, product, baseline, ...; best of each side), on a warm page cache:

* product:  ``complaint evidence DIR --format json`` (the CLI users run: files -> JSON on stdout,
  perceptual hashes and duplicates included), as a subprocess; also net of its start-up, i.e.
  minus ``complaint evidence ONE_FILE --format json`` (Python, pandas and the CLI loading);
* baseline: hashlib SHA-256 of every file's bytes, read in 1 MiB blocks, in this process.
  Target: product net of start-up <= 1.3x the baseline.
* metadata: ``api.picture_metadata`` of every file (the headers through a memory map) against
  one ``exiftool -json`` process on the same files.  Target: >= 5x faster.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from complaint import api  # noqa: E402

OUT = ROOT / "bench" / "out" / "evidence_12mp"
CLI = [str(Path(sys.executable).with_name("complaint"))]
SIZE = (4000, 3000)  # 12 megapixels
N, NO_THUMB, EXACT, NEAR = 200, 8, 4, 8  # photos in all; of which without thumbnail, exact and near copies
QUALITY = 93  # about 3 MB with this picture content, as phones write 12-megapixel photos


# --- the photos ------------------------------------------------------------------------------

def _picture(i: int) -> Image.Image:
    rnd = random.Random(i)
    field = Image.frombytes("RGB", (6, 5), bytes(rnd.randrange(256) for _ in range(90)))
    im = field.resize(SIZE, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(im)
    for _ in range(6):
        x, y = rnd.randrange(SIZE[0]), rnd.randrange(SIZE[1])
        w, h = rnd.randrange(300, 1500), rnd.randrange(300, 1200)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)((x, y, x + w, y + h), fill=colour)
    noise = Image.effect_noise(SIZE, 18).convert("RGB")
    return Image.blend(im, noise, 0.22)


def _exif(i: int) -> Image.Exif:
    B, G = ExifTags.Base, ExifTags.GPS
    exif = Image.Exif()
    exif[B.Make], exif[B.Model], exif[B.Orientation] = "samsung", "SM-S911B", 6 if i % 5 == 0 else 1
    exif[0x8769] = {B.DateTimeOriginal: f"2026:03:{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:00",
                    B.SubsecTimeOriginal: f"{i % 1000:03d}", B.OffsetTimeOriginal: "+01:00",
                    B.ExifImageWidth: SIZE[0], B.ExifImageHeight: SIZE[1]}
    exif[0x8825] = {G.GPSLatitudeRef: "N", G.GPSLatitude: (50.0, 50.0, float(i % 60)),
                    G.GPSLongitudeRef: "E", G.GPSLongitude: (4.0, 21.0, 7.5)}
    return exif


def _with_thumbnail(exif: Image.Exif, thumb: bytes) -> bytes:
    """The EXIF block with IFD1 holding a JPEG thumbnail (Compression 6, offset, length)."""
    tiff = bytearray(exif.tobytes()[6:])
    e = "<" if tiff[:2] == b"II" else ">"
    next_at = 10 + 12 * struct.unpack_from(e + "H", tiff, 8)[0]
    tiff += b"\x00" * (len(tiff) % 2)
    ifd1 = len(tiff)
    struct.pack_into(e + "I", tiff, next_at, ifd1)
    tiff += struct.pack(e + "H", 3) + struct.pack(e + "HHIHH", 0x0103, 3, 1, 6, 0)
    tiff += struct.pack(e + "HHII", 0x0201, 4, 1, ifd1 + 2 + 36 + 4) + struct.pack(e + "HHII", 0x0202, 4, 1, len(thumb))
    return b"Exif\x00\x00" + bytes(tiff + struct.pack(e + "I", 0) + thumb)


def _jpeg(im: Image.Image, quality: int, exif: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, **({"exif": exif} if exif else {}))
    return buf.getvalue()


def without_thumbnail() -> set[str]:
    """Names of the generated photos that carry no EXIF thumbnail (editor exports, near copies)."""
    originals = N - EXACT - NEAR
    names = {f"IMG_{1 + k * (originals // NO_THUMB):04d}.jpg" for k in range(NO_THUMB)}
    return names | {f"IMG_{i:04d}.jpg" for i in range(originals + EXACT, N)}


def generate(out: Path = OUT) -> list[Path]:
    """The photos (made once): N - EXACT - NEAR pictures, then the exact and the near copies."""
    out.mkdir(parents=True, exist_ok=True)
    originals = N - EXACT - NEAR
    no_thumb = without_thumbnail()
    paths = []
    for i in range(N):
        p = out / f"IMG_{i:04d}.jpg"
        paths.append(p)
        if p.exists():
            continue
        if i == 0:
            print(f"generating {N} photos of {SIZE[0]}x{SIZE[1]} into {out} (once) ...", file=sys.stderr)
        if i < originals:
            im = _picture(i)
            exif = _exif(i)
            if p.name in no_thumb:  # an editor's export: EXIF kept, no thumbnail
                data = _jpeg(im, QUALITY, exif.tobytes())
            else:
                small = im.copy()
                small.thumbnail((160, 160))
                data = _jpeg(im, QUALITY, _with_thumbnail(exif, _jpeg(small, 85)))
        elif i < originals + EXACT:  # the same bytes again
            data = paths[(i - originals) * 7 + 2].read_bytes()
        else:  # the same picture re-encoded by an app: turned upright, no EXIF, lower quality
            k = (i - originals - EXACT) * 11 + 3
            im = _picture(k)
            data = _jpeg(im.transpose(Image.Transpose.ROTATE_270) if _exif(k)[0x0112] == 6 else im, 75)
        tmp = p.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(p)
    return paths


# --- timing ------------------------------------------------------------------------------------

def hash_all(paths: list[Path], cpu: list[float] | None = None) -> float:
    t, c = time.perf_counter(), time.process_time()
    for p in paths:
        h = hashlib.sha256()
        with open(p, "rb") as fh:
            while block := fh.read(1 << 20):
                h.update(block)
        h.hexdigest()
    if cpu is not None:
        cpu.append(time.process_time() - c)
    return time.perf_counter() - t


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(args: list[str], cpu: list[float] | None = None) -> tuple[float, subprocess.CompletedProcess]:
    t, c = time.perf_counter(), _children_cpu()
    proc = subprocess.run(CLI + args, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if cpu is not None:
        cpu.append(_children_cpu() - c)
    if proc.returncode not in (0, 1):
        sys.exit(f"complaint {' '.join(args)} failed: {proc.stderr.strip()[-300:]}")
    return elapsed, proc


def metadata_all(paths: list[Path]) -> float:
    t = time.perf_counter()
    for p in paths:
        api.picture_metadata(p)
    return time.perf_counter() - t


def exiftool_all(paths: list[Path], argfile: Path) -> tuple[float, list[dict]]:
    argfile.write_text("\n".join(str(p) for p in paths) + "\n", encoding="utf-8")
    t = time.perf_counter()
    proc = subprocess.run(["exiftool", "-json", "-@", str(argfile)], capture_output=True, text=True, check=True)
    return time.perf_counter() - t, json.loads(proc.stdout)


def compare(label: str, target: list[str], paths: list[Path], rounds: int) -> tuple[float, float, float]:
    """Best hashing time, best CLI time and best start-up time, measured in turns."""
    one = [str(paths[0]), "--format", "json"]
    base, prod, start = [], [], []
    base_cpu, prod_cpu, start_cpu = [], [], []  # CPU seconds (all threads): what load from others hides
    for _ in range(rounds):  # in turns, so that load from other processes hits both sides
        base.append(hash_all(paths, base_cpu))
        start.append(run_cli(["evidence", *one], start_cpu)[0])
        t, proc = run_cli(["evidence", *target, "--format", "json"], prod_cpu)
        prod.append(t)
        if len(json.loads(proc.stdout)) != len(paths):
            sys.exit("complaint evidence did not list every photo")
    b, p, s = min(base), min(prod), min(start)
    ratio = (p - s) / b
    cpu = (min(prod_cpu) - min(start_cpu)) / min(base_cpu)
    print(f"{label}: {len(paths)} photos; hashing best {b:.3f} s (median {statistics.median(base):.3f}); "
          f"complaint evidence best {p:.3f} s (median {statistics.median(prod):.3f}), start-up {s:.3f} s; "
          f"ratio {ratio:.2f}x net of start-up ({p / b:.2f}x with it); CPU time {cpu:.2f}x")
    return b, p, s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="rounds of each timing, taken in turns (default 5)")
    ap.add_argument("--dir", type=Path, default=None, help="time this folder of JPEGs instead of the generated one")
    args = ap.parse_args()
    folder = args.dir or OUT
    paths = sorted(folder.glob("*.jpg")) if args.dir else generate()
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} photos in {folder}, {total / len(paths) / 1e6:.2f} MB average, {total / 1e9:.2f} GB")

    # what the product finds (in this process, through the API the CLI calls)
    files = api.read_evidence(folder)
    sources: dict[str, int] = {}
    for f in files:
        sources[f.hash_source or "none"] = sources.get(f.hash_source or "none", 0) + 1
    copies = sum(1 for f in files if f.evidence.duplicate_of)
    exact = sum(1 for f in files if f.evidence.duplicate_of and f.evidence.duplicate_of == f.evidence.sha256)
    print(f"perceptual hash from: {', '.join(f'{k} {v}' for k, v in sorted(sources.items()))} "
          f"(pixels: no thumbnail, or a close call); {copies} copies marked ({exact} same bytes, "
          f"{copies - exact} near); {sum(1 for f in files if f.evidence.error)} errors")

    hash_all(paths)  # warm the page cache: both sides read from memory
    b, p, s = compare("all", [str(folder)], paths, args.rounds)
    if args.dir is None:  # the two kinds of photo apart: what each costs
        bare = without_thumbnail()
        with_thumb = [x for x in paths if x.name not in bare]
        compare("with an EXIF thumbnail", [str(x) for x in with_thumb], with_thumb, args.rounds)
        without = [x for x in paths if x.name in bare]
        compare("without (pixels decoded)", [str(x) for x in without], without, args.rounds)
    ratio = (p - s) / b
    print(f"evidence / hashing = {ratio:.2f}x net of start-up (target <= 1.3x): {'OK' if ratio <= 1.3 else 'MISSED'}")

    t_meta = min(metadata_all(paths) for _ in range(args.rounds))
    print(f"metadata (api.picture_metadata, headers through a memory map): {t_meta:.3f} s "
          f"({t_meta / len(paths) * 1000:.2f} ms a photo)")
    if shutil.which("exiftool") is None:
        print("exiftool not installed (libimage-exiftool-perl): metadata comparison skipped")
        return
    runs = [exiftool_all(paths, OUT.parent / "evidence_exiftool_args.txt") for _ in range(min(3, args.rounds))]
    t_et, rows = min(runs, key=lambda r: r[0])
    by_name = {Path(r["SourceFile"]).name: r for r in rows}
    agree = sum(1 for f in files if by_name.get(f.evidence.file_name, {}).get("DateTimeOriginal", None)
                == (f.evidence.captured_text if f.evidence.time_source == "exif" else None))
    print(f"exiftool -json (one process, all files): {t_et:.3f} s; DateTimeOriginal agrees on {agree}/{len(rows)}")
    speed = t_et / t_meta
    print(f"metadata speed-up vs exiftool = {speed:.1f}x (target >= 5x): {'OK' if speed >= 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
