"""Hostile single files on the command line: each ends in success or in one clear line and a
non-zero exit, without a traceback, and the command's peak memory stays under 1 GB.

The peak is the command's maximum resident set size, from `os.wait4`; each file is made
here, small on disk and huge once unpacked.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from test_photo_memory import png_chunk

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 (Unix)")

PEAK_LIMIT = 1_000_000_000  # bytes


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str
    peak: int  # bytes, maximum resident set size of the command
    seconds: float


# A child's peak memory counts the pages it shares with its parent when it starts, so the
# command is started by a small launcher, not by pytest, whose own memory would hide it.
LAUNCHER = """
import os, sys
pid = os.posix_spawn(sys.executable, [sys.executable, *sys.argv[2:]], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run(tmp_path: Path, *argv: str) -> Outcome:
    """Run `python <argv>` and measure it."""
    out, err, report = (tmp_path / name for name in ("stdout.txt", "stderr.txt", "usage.txt"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(report), *argv],
            stdout=stdout,
            stderr=stderr,
            env=env,
            check=True,
        )
    seconds = time.perf_counter() - start
    status, maxrss = map(int, report.read_text().split())
    per_unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, else KiB
    return Outcome(status, out.read_text(), err.read_text(), maxrss * per_unit, seconds)


def footlog(tmp_path: Path, *args: str) -> Outcome:
    return run(tmp_path, "-m", "footlog", "--library", str(tmp_path / "library"), *args)


def assert_one_clear_line(outcome: Outcome, *words: str) -> None:
    assert outcome.status != 0
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, outcome.stderr
    assert "Traceback" not in outcome.stderr
    for word in words:
        assert word in lines[0]


def assert_bounded(outcome: Outcome) -> None:
    assert outcome.peak < PEAK_LIMIT, f"peak {outcome.peak / 1e6:.0f} MB"
    assert "Traceback" not in outcome.stderr


# --- hostile photos -------------------------------------------------------------------------------


def grey16_png(path: Path, width: int, height: int, value: int) -> Path:
    """A constant 16-bit grey PNG, compressed a row at a time: 13000 x 13000 px is ~360 KB."""
    packer = zlib.compressobj(6)
    row = b"\x00" + struct.pack(">H", value) * width
    idat = b"".join([*(packer.compress(row) for _ in range(height)), packer.flush()])
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 0, 0, 0, 0))
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )
    return path


def float32_tiff(path: Path, width: int, height: int, value: float, rows_per_strip: int = 64):
    """A constant 32-bit float grey TIFF, deflate-compressed; every strip points at the same
    compressed bytes, so 12000 x 12000 px take a few KB."""
    strips = -(-height // rows_per_strip)
    blob = zlib.compress(struct.pack("<f", value) * (width * rows_per_strip), 9)
    offsets_at = 8 + len(blob)
    counts_at = offsets_at + 4 * strips
    ifd_at = counts_at + 4 * strips
    # (tag, type, count, value): 3 = SHORT, 4 = LONG. Compression 8 = deflate,
    # photometric 1 = black is zero, sample format 3 = IEEE float.
    tags = [
        (256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 32), (259, 3, 1, 8),
        (262, 3, 1, 1), (273, 4, strips, offsets_at), (277, 3, 1, 1),
        (278, 4, 1, rows_per_strip), (279, 4, strips, counts_at), (284, 3, 1, 1),
        (339, 3, 1, 3),
    ]  # fmt: skip
    ifd = struct.pack("<H", len(tags))
    for tag, kind, count, value_ in tags:
        packed = "<HHIHH" if kind == 3 and count == 1 else "<HHII"
        ifd += struct.pack(packed, tag, kind, count, value_, *([0] if packed == "<HHIHH" else []))
    path.write_bytes(
        b"II*\x00"
        + struct.pack("<I", ifd_at)
        + blob
        + struct.pack(f"<{strips}I", *[8] * strips)
        + struct.pack(f"<{strips}I", *[len(blob)] * strips)
        + ifd
        + struct.pack("<I", 0)
    )
    return path


@pytest.fixture(scope="module")
def hostile_photos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile_photos")
    return {
        "png": grey16_png(folder / "deep_13000.png", 13000, 13000, 30000),
        "tiff": float32_tiff(folder / "float_12000.tif", 12000, 12000, 0.5),
    }


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_the_photos_are_as_hostile_as_meant(hostile_photos: dict[str, Path]):
    png, tiff = hostile_photos["png"], hostile_photos["tiff"]
    assert png.stat().st_size < 400_000 and tiff.stat().st_size < 20_000
    with Image.open(png) as im:
        assert (im.mode, im.size) == ("I;16", (13000, 13000))  # 338 MB decoded, 169 MP
        assert im.size[0] * im.size[1] < 2 * Image.MAX_IMAGE_PIXELS  # under the pixel limit
    with Image.open(tiff) as im:
        assert (im.mode, im.size) == ("F", (12000, 12000))  # 576 MB decoded


def test_measure_a_16_bit_png_of_13000_px(tmp_path: Path, hostile_photos: dict[str, Path]):
    outcome = footlog(tmp_path, "measure", str(hostile_photos["png"]), "--view", "dorsal")
    assert_bounded(outcome)
    assert outcome.status == 0, outcome.stderr
    assert outcome.stdout.startswith("dorsal view, unknown foot: failed")  # a grey square
    assert outcome.stderr == ""  # nor Pillow's decompression-bomb warning
    print(f"16-bit PNG 13000 px: {outcome.peak / 1e6:.0f} MB, {outcome.seconds:.1f} s")


def test_measure_a_float_tiff_beyond_the_budget(tmp_path: Path, hostile_photos: dict[str, Path]):
    outcome = footlog(tmp_path, "measure", str(hostile_photos["tiff"]))
    assert_bounded(outcome)
    assert_one_clear_line(outcome, "float_12000.tif", "too large to decode", "32-bit float")


def test_import_and_thumbnail_the_hostile_photos(tmp_path: Path, hostile_photos: dict[str, Path]):
    png, tiff = hostile_photos["png"], hostile_photos["tiff"]
    imported = footlog(tmp_path, "import", "--no-measure", str(png), str(tiff))
    assert_bounded(imported)
    assert imported.stdout.strip().endswith("1 photo(s) added, 0 already there, 1 not imported")
    assert_one_clear_line(imported, "float_12000.tif: not imported: too large to decode")

    thumb = tmp_path / "thumbs"
    script = (
        "import sys; from pathlib import Path; "
        "from footlog.imaging.thumbnails import ensure_thumbnail; "
        "print(ensure_thumbnail(Path(sys.argv[1]), Path(sys.argv[2]), 'a' * 64))"
    )
    made = run(tmp_path, "-c", script, str(png), str(thumb))
    assert_bounded(made)
    assert made.status == 0, made.stderr
    with Image.open(made.stdout.strip()) as im:
        assert im.size == (256, 256)


# --- hostile run logs -----------------------------------------------------------------------------

SAME_ROW = b"2024-01-01T07:00:00,5.0,run\n"


def zipped_csv(path: Path, content: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("log.csv", content)
    return path


def test_a_60_mb_csv_in_a_120_kb_zip(tmp_path: Path):
    content = b"date,distance_km,type\n" + SAME_ROW * (60_000_000 // len(SAME_ROW))
    archive = zipped_csv(tmp_path / "runs.zip", content)
    plain = tmp_path / "runs.csv"
    plain.write_bytes(content)
    assert archive.stat().st_size < 200_000
    del content
    for given in (archive, plain):
        outcome = footlog(tmp_path, "runs", "import", str(given))
        assert_bounded(outcome)
        assert_one_clear_line(outcome, "holds more than 100,000 rows", "none of them was imported")
        assert outcome.seconds < 10
        print(f"{given.name}: {outcome.peak / 1e6:.0f} MB, {outcome.seconds:.1f} s")


def test_a_long_log_in_a_zip_imports_within_bounds(tmp_path: Path):
    # Just under the row bound, every row the same: they stay apart, and all are added.
    archive = zipped_csv(tmp_path / "same.zip", b"date,distance_km,type\n" + SAME_ROW * 99_999)
    outcome = footlog(tmp_path, "runs", "import", str(archive))
    assert_bounded(outcome)
    assert outcome.status == 0, outcome.stderr
    assert outcome.stdout.strip() == "99999 run(s) added, 0 already there, 0 problem(s)"
    print(f"99,999 identical rows in a zip: {outcome.peak / 1e6:.0f} MB, {outcome.seconds:.1f} s")


def test_a_deeply_nested_zip(tmp_path: Path):
    data, name = b"date,distance_km\n2024-01-01,5\n", "log.csv"
    for level in range(100, 0, -1):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(name, data)
        data, name = buffer.getvalue(), f"level{level}.zip"
    archive = tmp_path / "deep.zip"
    archive.write_bytes(data)
    outcome = footlog(tmp_path, "runs", "import", str(archive))
    assert_bounded(outcome)
    assert_one_clear_line(outcome, "an archive inside 3 archives: not opened")


def write_track(path: Path, head: str, point: str, tail: str, size: int) -> Path:
    """An XML run log of about `size` bytes, `point` repeated with increasing seconds."""
    with path.open("w") as out:
        out.write(head)
        written, second = len(head) + len(tail), 0
        while written < size:
            block = "".join(point.format(s=second + i) for i in range(1000))
            out.write(block)
            written += len(block)
            second += 1000
        out.write(tail)
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "head", "point", "tail", "size"),
    [
        (
            "track.gpx",  # short points, the most objects per byte
            '<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><trkseg>\n',
            '<trkpt lat="47.{s:06d}" lon="8"><time>2024-01-01T00:00:00Z</time></trkpt>\n',
            "</trkseg></trk></gpx>\n",
            31_900_000,  # just under the GPX bound
        ),
        (
            "activity.tcx",  # and short points, with a distance
            '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/'
            'xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
            '<Id>2024-01-01T00:00:00Z</Id><Lap StartTime="2024-01-01T00:00:00Z">'
            "<TotalTimeSeconds>36000</TotalTimeSeconds><DistanceMeters>90000</DistanceMeters>"
            "<Track>\n",
            "<Trackpoint><Time>2024-01-01T00:00:00Z</Time><DistanceMeters>{s}</DistanceMeters>"
            "</Trackpoint>\n",
            "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n",
            63_000_000,  # just under the TCX bound
        ),
    ],
)
def test_the_largest_gpx_and_tcx_files_footlog_reads(tmp_path, name, head, point, tail, size):
    # GPX and TCX are parsed into whole trees, several times the file: their size bounds
    # keep the largest accepted file under 1 GB.
    track = write_track(tmp_path / name, head, point, tail, size)
    outcome = footlog(tmp_path, "runs", "import", str(track))
    assert_bounded(outcome)
    assert outcome.status == 0, outcome.stderr
    assert outcome.stdout.startswith("1 run(s) added")
    print(f"{name} of {size / 1e6:.0f} MB: {outcome.peak / 1e6:.0f} MB, {outcome.seconds:.1f} s")
