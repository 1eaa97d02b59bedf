"""Photo import throughput: 50 phone-size JPEGs into a new library.

Prints photos per second and the ratio of import time to merely reading the same files'
bytes, both measured in this run (the files are read once first, so both see a warm cache).

    python benchmarks/import_speed.py [--count 50] [--measure]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from footlog.app import import_photos
from footlog.storage.library import Library


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--measure", action="store_true", help="also run the detector")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "camera"
        folder.mkdir()
        paths = phone_like_jpegs(folder, args.count)
        size = sum(p.stat().st_size for p in paths)
        t0 = time.perf_counter()
        for p in paths:
            p.read_bytes()
        read_s = time.perf_counter() - t0
        lib = Library.open(Path(tmp) / "library")
        t0 = time.perf_counter()
        report = import_photos(lib, [folder], lib.person(), measure=args.measure)
        import_s = time.perf_counter() - t0
        lib.close()
        added = len(report.of("added"))
    print(f"{added} photos, {size / 1e6 / args.count:.1f} MB each on average")
    print(f"reading the bytes: {read_s:.3f} s; importing: {import_s:.2f} s "
          f"({added / import_s:.1f} photos/s)")
    print(f"import / read ratio: {import_s / read_s:.1f}")


if __name__ == "__main__":
    main()
