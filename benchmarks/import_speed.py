"""Photo import throughput, against reading the same files' bytes and decoding them once.

    python benchmarks/import_speed.py [--count 30] [--measure] [--kinds generated,page,nopage]

For each kind of photo, `--count` 12-megapixel JPEGs (each with different bytes) are
imported into a new library, measured too with `--measure`. In the same run, before the
import, the same files are read once (so every step sees a warm cache; "read") and decoded
once each at full resolution, in a new process (Pillow, as `benchmarks/speed.py` does;
"decode"). Printed per
kind: the import's wall time, photos per second, the ratios import / read and import /
decode (issue target with measuring: <= 1.0), how many photos a page was found in, the CPU
time all the import's processes used against the decoding's (which says what an idle machine
would reach where other work shares the cores), and their peak memory.

Kinds:
- `generated`: 4000 x 3000 phone-like JPEGs (smooth shading and fine texture, quality 90,
  a few MB each) showing no foot and no page;
- `page`: the reference photos of tests/data in which footlog finds a page, re-encoded at
  ~12 MP in their own aspect (as `speed.py --keep-aspect`), repeated with distinct bytes;
- `nopage`: likewise the reference photos in which no page is found (no paper, or both feet
  of a seated person), the slowest to measure.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import psutil
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import _twelve_mp  # noqa: E402

from footlog.app import import_photos  # noqa: E402
from footlog.storage.library import Library  # noqa: E402

PHOTOS = ROOT / "tests" / "data" / "photos"
CORES = psutil.cpu_count() or 1
# Chosen by what `measure_file` found in their 12 MP copies (view not given); the run
# prints how many photos a page was found in, so a detector that changes its mind shows.
WITH_PAGE = ("16i-nathan__11cc7b7caadb_0.jpg", "16i-nathan__3c49c53b8776_0.jpg",
             "ala-jaidi__2.jpg", "ala-jaidi__3.jpg", "ala-jaidi__aaa.jpg", "ala-jaidi__dd.jpg",
             "ala-jaidi__gg.jpg", "ala-jaidi__t.jpg", "ala-jaidi__tt.jpg", "ala-jaidi__l.jpg",
             "wildoctopus__barefeet1.jpeg")
WITHOUT_PAGE = ("ala-jaidi__1.jpg", "ala-jaidi__bbb.jpg", "ala-jaidi__r.jpg",
                "hard/OllieBoyne__1.png", "hard/OllieBoyne__2.png",
                "hard/RafiansyahDS__91_73cm_17-May-2023-12_08_18.jpg",
                "seated/RafiansyahDS__91_68cm_17-May-2023-12_08_18.jpg",
                "seated/RafiansyahDS__91_70cm_17-May-2023-12_08_18.jpg",
                "seated/RafiansyahDS__91_77cm_17-May-2023-12_08_18.jpg")


def phone_like_jpegs(folder: Path, count: int) -> list[Path]:
    """12-megapixel JPEGs (4000 x 3000, quality 90) with smooth shading and fine texture,
    so they compress like photos (a few MB), each with different bytes."""
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:3000, 0:4000]
    base = np.stack([(xx / 4000 * 180 + 40), (yy / 3000 * 150 + 60), (xx + yy) / 7000 * 120 + 80],
                    axis=-1)
    paths = []
    for i in range(count):
        texture = rng.normal(0, 6, size=(3000, 4000, 1))
        pixels = np.clip(base + texture + i, 0, 255).astype(np.uint8)
        path = folder / f"IMG_20200{1 + i % 9:02d}01_1200{i:02d}.jpg"
        Image.fromarray(pixels).save(path, quality=90)
        paths.append(path)
    return paths


def reference_copies(names: tuple[str, ...]) -> Callable[[Path, int], list[Path]]:
    """A maker of `count` 12 MP copies of these reference photos, in turn, each with its
    own bytes (a counter after the JPEG's end: the same picture, another hash)."""

    def make(folder: Path, count: int) -> list[Path]:
        masters = folder.parent / f"{folder.name}-masters"
        masters.mkdir()
        big = [_twelve_mp(PHOTOS / name, masters, keep_aspect=True) for name in names]
        paths = []
        for i in range(count):
            src = big[i % len(big)]
            path = folder / f"{i:03d}_{src.name}"
            path.write_bytes(src.read_bytes() + i.to_bytes(4, "little"))
            paths.append(path)
        return paths

    return make


KINDS: dict[str, Callable[[Path, int], list[Path]]] = {
    "generated": phone_like_jpegs,
    "page": reference_copies(WITH_PAGE),
    "nopage": reference_copies(WITHOUT_PAGE),
}


def decode_once(paths: list[Path]) -> tuple[float, float]:
    """Seconds (wall, CPU) to decode each photo once at full resolution (RGB array), one
    after another, in a new process: what this one did before (measuring in it, or not)
    leaves its memory allocator in a state that changes a decode's time by up to a quarter."""
    out = subprocess.run([sys.executable, __file__, "--decode", *map(str, paths)],
                         capture_output=True, text=True, check=True)
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


def _decode_here(paths: list[str]) -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    for path in paths:
        with Image.open(path) as im:
            np.asarray(im.convert("RGB"))
    print(time.perf_counter() - t0, time.process_time() - c0)


class ProcessWatch:
    """While it runs, every 20 ms: the peak memory of this process and every process it
    started (resident sizes summed: pages the processes share are counted in each, so
    this overstates what the machine gave), and the CPU time each of them used (a process
    that ends between two looks loses its last 20 ms)."""

    def __init__(self) -> None:
        self.peak = 0
        self._cpu: dict[int, float] = {}
        self._cpu_before = sum(psutil.Process().cpu_times()[:2])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ProcessWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._look()

    @property
    def cpu_seconds(self) -> float:
        """CPU time (user + system) used meanwhile by this process and those it started."""
        return sum(self._cpu.values()) - self._cpu_before

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._look()

    def _look(self) -> None:
        me = psutil.Process()
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # ended meanwhile
                total += proc.memory_info().rss
                self._cpu[proc.pid] = sum(proc.cpu_times()[:2])
        self.peak = max(self.peak, total)


def pages_found(lib: Library) -> int:
    """Photos (feet) of the library measured with a page's calibration."""
    rows = lib.db.execute(
        "SELECT count(*) FROM photos WHERE json_valid(calibration) "
        "AND json_extract(calibration, '$.method') IN ('a4', 'letter')").fetchone()
    return int(rows[0])


def warm_up() -> None:
    """Load the detectors, OpenCV and what storing a result needs once, outside every
    timing: a window or a long import pays that once, not per batch."""
    import footlog.carrying  # noqa: F401
    from footlog.measuring import measure_file

    with tempfile.TemporaryDirectory() as tmp:
        measure_file(_twelve_mp(PHOTOS / WITH_PAGE[0], Path(tmp), keep_aspect=True))


def run_kind(kind: str, tmp: Path, count: int, measure: bool) -> None:
    folder = tmp / kind
    folder.mkdir()
    paths = KINDS[kind](folder, count)
    size = sum(p.stat().st_size for p in paths)
    t0 = time.perf_counter()
    for p in paths:
        p.read_bytes()
    read_s = time.perf_counter() - t0
    decode_s, decode_cpu = decode_once(paths)
    lib = Library.open(tmp / f"library-{kind}")
    before = psutil.Process().memory_info().rss
    with ProcessWatch() as watch:
        t0 = time.perf_counter()
        report = import_photos(lib, [folder], lib.person(), measure=measure)
        import_s = time.perf_counter() - t0
    pages = pages_found(lib) if measure else 0
    lib.close()
    added = len(report.of("added"))
    what = "importing and measuring" if measure else "importing"
    print(f"{kind}: {added} photos, {size / 1e6 / count:.1f} MB each on average"
          + (f", a page found in {pages}" if measure else ""))
    print(f"  reading the bytes {read_s:.3f} s; decoding once {decode_s:.2f} s; "
          f"{what} {import_s:.2f} s ({added / import_s:.1f} photos/s)")
    print(f"  import / read ratio: {import_s / read_s:.1f}; "
          f"import / decode ratio: {import_s / decode_s:.2f}"
          + (" (target <= 1.0)" if measure else ""))
    cpu_ratio = watch.cpu_seconds / decode_cpu
    print(f"  CPU time of all processes: importing {watch.cpu_seconds:.2f} s, decoding "
          f"{decode_cpu:.2f} s (ratio {cpu_ratio:.2f}; at best, on {CORES} idle cores, an "
          f"import / decode ratio of {cpu_ratio / CORES:.2f})")
    print(f"  memory while importing: {watch.peak / 1e6:.0f} MB at most, all processes "
          f"(this one {before / 1e6:.0f} MB before)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30, help="photos of each kind")
    parser.add_argument("--measure", action="store_true", help="also run the detector")
    parser.add_argument("--kinds", default=",".join(KINDS),
                        help=f"comma-separated, of {', '.join(KINDS)}")
    parser.add_argument("--decode", nargs="+", help=argparse.SUPPRESS)  # see decode_once
    args = parser.parse_args()
    if args.decode:
        _decode_here(args.decode)
        return
    if args.measure:
        warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds.split(","):
            run_kind(kind, Path(tmp), args.count, args.measure)


if __name__ == "__main__":
    main()
