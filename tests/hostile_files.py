"""Files made to be awkward: odd images, broken run logs, archives that lie or explode.

Every maker writes into a folder it is given and returns the path(s) written; the same
arguments always give the same bytes (seeded randomness), so a failing case repeats.
"""

from __future__ import annotations

import functools
import gzip
import io
import struct
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from PIL import Image

# HEIC writing needs the plugin registered (footlog registers it for reading only).
try:
    import pillow_heif
except ImportError:  # pragma: no cover - a dependency of footlog
    pillow_heif = None
else:
    pillow_heif.register_heif_opener()

# -- images ------------------------------------------------------------------------------------


def pattern(width: int, height: int, seed: int = 0) -> np.ndarray:
    """H x W x 3 uint8: a colour gradient with a bright blob and some noise (compresses like
    a photo, not like a flat colour)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    r = 255 * x / max(width - 1, 1)
    g = 255 * y / max(height - 1, 1)
    blob = 255 * np.exp(
        -(((x - width / 2) ** 2 + (y - height / 2) ** 2) / (0.1 * width * height + 1))
    )
    rgb = np.stack([r, g, blob], axis=-1) + rng.normal(0, 6, (height, width, 3))
    return np.clip(rgb, 0, 255).astype(np.uint8)


def image_in_mode(mode: str, width: int, height: int, seed: int = 0) -> Image.Image:
    """A patterned picture in any Pillow mode (deep modes use their whole range)."""
    rgb = Image.fromarray(pattern(width, height, seed))
    if mode in ("I;16", "I", "F"):
        grey = np.asarray(rgb.convert("L"), dtype=np.float64) / 255.0
        if mode == "F":
            return Image.fromarray(grey.astype(np.float32), "F")
        values = (grey * (65535 if mode == "I;16" else 1_000_000)).astype(np.int32)
        image = Image.fromarray(values, "I")
        return image.convert("I;16") if mode == "I;16" else image
    if mode in ("LAB", "HSV", "YCbCr"):
        return Image.merge(mode, rgb.split())  # the bands reinterpreted: geometry is all
    if mode == "LA":
        return Image.merge("LA", (rgb.convert("L"), rgb.getchannel("B")))
    if mode == "RGBA":
        return Image.merge("RGBA", (*rgb.split(), rgb.getchannel("G")))
    if mode == "P":
        return rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    return rgb.convert(mode)


def save_image(folder: Path, name: str, image: Image.Image, fmt: str, **params: object) -> Path:
    path = folder / name
    image.save(path, format=fmt, **params)
    return path


@functools.lru_cache(maxsize=4)
def foot_jpeg(seed: int = 7, size: tuple[int, int] = (360, 480)) -> bytes:
    """A synthetic dorsal foot photo as JPEG bytes: something the detector really works on."""
    from synthetic_feet import make_foot

    buffer = io.BytesIO()
    Image.fromarray(make_foot(seed, size=size).image).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def image_bytes(fmt: str, mode: str = "RGB", size: tuple[int, int] = (96, 64), **params) -> bytes:
    buffer = io.BytesIO()
    image_in_mode(mode, *size).save(buffer, format=fmt, **params)
    return buffer.getvalue()


def exif_with(**tags: object) -> Image.Exif:
    """An EXIF block: `orientation`, `date` (DateTimeOriginal), `offset` (OffsetTimeOriginal),
    `digitized` (DateTimeDigitized), `make`, any of them."""
    exif = Image.Exif()
    if "orientation" in tags:
        exif[0x0112] = tags["orientation"]
    if "make" in tags:
        exif[0x010F] = tags["make"]
    ifd = exif.get_ifd(0x8769)
    for key, tag in (("date", 0x9003), ("digitized", 0x9004), ("offset", 0x9011)):
        if key in tags:
            ifd[tag] = tags[key]
    return exif


def jpeg_with_raw_exif(payload: bytes, seed: int = 3) -> bytes:
    """A valid JPEG whose APP1 "Exif" segment holds `payload` as it is (garbage allowed)."""
    plain = image_bytes("JPEG", size=(80 + seed, 60))
    segment = b"Exif\x00\x00" + payload
    app1 = b"\xff\xe1" + struct.pack(">H", len(segment) + 2) + segment
    return plain[:2] + app1 + plain[2:]


def noisy_jpeg(width: int, height: int, seed: int = 0) -> bytes:
    """A JPEG of pure noise: about 1 byte per pixel, so its size is known in advance."""
    noise = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def random_bytes(count: int, seed: int = 0) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, count, dtype=np.uint8).tobytes()


def cut(data: bytes, fraction: float) -> bytes:
    """The first `fraction` of `data` (at least one byte, at most all but one)."""
    return data[: min(max(1, int(len(data) * fraction)), len(data) - 1)]


def huge_flat_png(width: int, height: int, mode: str = "1") -> bytes:
    """A PNG of large pixel dimensions that compresses to a few kilobytes (all white).

    Written row by row with zlib, so making it needs no large array in this process.
    """
    import zlib

    bit_depth, colour = {"1": (1, 0), "L": (8, 0), "RGB": (8, 2)}[mode]
    row_bytes = {"1": (width + 7) // 8, "L": width, "RGB": 3 * width}[mode]
    row = b"\x00" + b"\xff" * row_bytes
    packer = zlib.compressobj(9)
    chunks = [packer.compress(row) for _ in range(height)]
    data = b"".join(chunks) + packer.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


# -- run logs ----------------------------------------------------------------------------------

PLAIN_CSV = "date,distance_km,duration,name\n2023-04-01,5.2,31:10,Park loop\n"

GPX_TRACK = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><name>{name}</name><trkseg>
  <trkpt lat="{lat0}" lon="13.4000"><time>{t0}</time></trkpt>
  <trkpt lat="52.5010" lon="13.4010"><time>{t1}</time></trkpt>
  <trkpt lat="52.5020" lon="13.4025"><time>2023-04-02T07:10:00Z</time></trkpt>
 </trkseg></trk>
</gpx>
"""

TCX_ACTIVITY = """<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
 <Activities><Activity Sport="Running"><Id>{start}</Id>
  <Lap StartTime="{start}"><TotalTimeSeconds>{seconds}</TotalTimeSeconds>
   <DistanceMeters>{metres}</DistanceMeters></Lap>
 </Activity></Activities>
</TrainingCenterDatabase>
"""


def gpx(name: str = "Morning run", lat0: str = "52.5000", t0: str = "2023-04-02T07:00:00Z",
        t1: str = "2023-04-02T07:05:00Z") -> str:  # fmt: skip
    return GPX_TRACK.format(name=name, lat0=lat0, t0=t0, t1=t1)


def tcx(start: str = "2023-04-03T06:00:00Z", seconds: str = "1800", metres: str = "5000") -> str:
    return TCX_ACTIVITY.format(start=start, seconds=seconds, metres=metres)


def billion_laughs(root: str, levels: int = 10) -> str:
    """The classic entity-expansion bomb: 10 levels of 10 copies each, 10**levels 'lol's."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, levels + 1)
    ]
    body = f"<{root}>&lol{levels};</{root}>"
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n' + "\n".join(entities) + "\n]>\n" + body


def external_entity(root: str, target: Path) -> str:
    """XML that asks the parser to read a local file into the document (XXE)."""
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY secret SYSTEM "file://{target}">]>\n'
        f"<{root}><trk><name>&secret;</name></trk></{root}>"
    )


@functools.lru_cache(maxsize=1)
def fit_run() -> bytes:
    """A small, valid FIT activity file (a run of 5 km)."""
    from make_fit import activity_fit

    return activity_fit(
        start=datetime(2023, 4, 5, 7, 0, tzinfo=UTC), distance_m=5000.0, elapsed_s=1800.0,
        timer_s=1750.0,
    )  # fmt: skip


def fit_with_bad_crc() -> bytes:
    data = bytearray(fit_run())
    data[-1] ^= 0xFF
    data[-2] ^= 0xFF
    return bytes(data)


def fit_claiming_more_data() -> bytes:
    """A FIT header whose data size promises far more records than follow (and whose own
    header CRC is recomputed, so only the size lies)."""
    from make_fit import fit_crc

    data = bytearray(fit_run())
    struct.pack_into("<I", data, 4, 0x7FFFFFF0)
    struct.pack_into("<H", data, 12, fit_crc(bytes(data[:12])))
    return bytes(data)


# -- archives ----------------------------------------------------------------------------------


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2023, 1, 1, 0, 0, 0))
            info.compress_type = method
            zf.writestr(info, data)
    return buffer.getvalue()


def zip_of_zeros(name: str, size: int) -> bytes:
    """A zip whose one member is `size` zero bytes, written in pieces (a bomb: deflate packs
    zeros about 1000 to 1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(name, date_time=(2023, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as member:
            piece = bytes(1 << 20)
            for _ in range(size >> 20):
                member.write(piece)
    return buffer.getvalue()


def zip_with_flag(members: dict[str, bytes], *, encrypted: bool = False, method: int | None = None):
    """A zip whose members claim to be encrypted, or packed with compression `method`."""
    data = bytearray(zip_of(members, zipfile.ZIP_STORED))
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if encrypted:
                data[start + flag_at] |= 0x01
            if method is not None:
                struct.pack_into("<H", data, start + method_at, method)
            start += 4
    return bytes(data)


def gzip_of(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def gzip_of_zeros(size: int) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as stream:
        piece = bytes(1 << 20)
        for _ in range(size >> 20):
            stream.write(piece)
    return buffer.getvalue()
