"""Speed of the dorsal detector relative to one full-resolution decode.

Usage: .venv/bin/python benchmarks/speed.py [--photos DIR] [--repeat N]

Each dorsal photo is re-encoded as a 12 MP phone JPEG (4000x3000 or 3000x4000, quality 90)
in a temporary folder. Per photo, in the same run: time of the whole
`footlog.measuring.measure_file` (open the file -> MeasureResult: reduced decode,
calibration, detector, measures) divided by the time to decode the same file
at full resolution. Prints each ratio and the median (target <= 1.0).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from footlog.domain.views import View  # noqa: E402
from footlog.measuring import measure_file  # noqa: E402

PHOTO_EXT = {".jpg", ".jpeg", ".png"}


def _is_dorsal(photo: Path) -> bool:
    ref = photo.with_name(photo.name + ".json")
    return ref.exists() and json.loads(ref.read_text()).get("view") == "dorsal"


def best_of(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Shortest wall time of `repeat` calls (s): the least disturbed by the machine."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=Path, default=ROOT / "tests/data/photos")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    photos = sorted(p for p in args.photos.iterdir() if p.suffix.lower() in PHOTO_EXT
                    and _is_dorsal(p))
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for src in photos:
            with Image.open(src) as im:
                up = ImageOps.exif_transpose(im).convert("RGB")
            size = (4000, 3000) if up.width >= up.height else (3000, 4000)
            big = Path(tmp) / f"{src.stem}.jpg"
            up.resize(size, Image.Resampling.BICUBIC).save(big, quality=90)

            def decode(path: Path = big) -> None:
                with Image.open(path) as im:
                    np.asarray(im.convert("RGB"))

            def measure(path: Path = big) -> None:
                measure_file(path, View.DORSAL)

            measure()  # warm-up (imports, OpenCV initialisation)
            t_dec = best_of(decode, args.repeat)
            t_meas = best_of(measure, args.repeat)
            ratios.append(t_meas / t_dec)
            print(f"{src.name:34s} decode {t_dec * 1000:6.0f} ms  measure "
                  f"{t_meas * 1000:6.0f} ms  ratio {t_meas / t_dec:.2f}")
    if ratios:
        print(f"median ratio measure/decode: {statistics.median(ratios):.2f} (target <= 1.0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
