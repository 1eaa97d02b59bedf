"""Speed of measuring a photo relative to one full-resolution decode.

Usage: .venv/bin/python benchmarks/speed.py [--photos DIR] [--repeat N]
                                            [--view dorsal|medial|all] [--keep-aspect]

Each reference photo of the chosen view(s) (its `.json` says the view) is re-encoded as a
12 MP phone JPEG (4000x3000 or 3000x4000, quality 90) in a temporary folder. A photo that
is not 4:3 (the 9:16 `dd`, `gg`, `tt`, `16i-nathan__11cc...`) is stretched to it, which
changes the page's shape: `dd` and `gg` then find no page and `tt` reads as Letter, unlike
the originals. `--keep-aspect` re-encodes at ~12 MP in the photo's own aspect instead. Per photo, in
the same run: time of the whole `footlog.measuring.measure_file` (open the file ->
MeasureResult: reduced decode, detector, calibration, measures; the view is given) divided
by the time to decode the same file at full resolution. Prints each ratio with the time
of each stage (from the fastest run: the reduced decode, the search for a second foot,
the detector, the wait for the calibration) and the median ratio per view (target
<= 1.0).
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
# "feet": the search for a second foot; "calibrate": the time measuring waited for the
# page's calibration (started beside that search on a photo from above).
STAGES = ("decode", "feet", "detect", "calibrate")


def _view_of(photo: Path) -> str | None:
    ref = photo.with_name(photo.name + ".json")
    return json.loads(ref.read_text()).get("view") if ref.exists() else None


def best_of(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """Shortest wall time of `repeat` calls (s), the least disturbed by the machine, and
    what that call returned."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        dt = time.perf_counter() - t
        if dt < best:
            best, out = dt, value
    return best, out


def _twelve_mp(src: Path, folder: Path, keep_aspect: bool = False) -> Path:
    with Image.open(src) as im:
        up = ImageOps.exif_transpose(im).convert("RGB")
    if keep_aspect:
        k = (12e6 / (up.width * up.height)) ** 0.5  # ~12 MP, the photo's own shape
        size = (round(up.width * k), round(up.height * k))
    else:
        size = (4000, 3000) if up.width >= up.height else (3000, 4000)
    big = folder / f"{src.stem}.jpg"
    up.resize(size, Image.Resampling.BICUBIC).save(big, quality=90)
    return big


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=Path, default=ROOT / "tests/data/photos")
    # Best of 7: with 3, a 2-core machine moved the dorsal median ratio by +-0.1 from run
    # to run (0.94-1.07); with 7, four runs read 0.92-0.95.
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--view", choices=("dorsal", "medial", "all"), default="all")
    ap.add_argument("--keep-aspect", action="store_true",
                    help="re-encode at ~12 MP in each photo's own aspect (not stretched to 4:3)")
    args = ap.parse_args(argv)
    views = ("dorsal", "medial") if args.view == "all" else (args.view,)
    photos = sorted(p for p in args.photos.iterdir() if p.suffix.lower() in PHOTO_EXT
                    and _view_of(p) in views)
    ratios: dict[str, list[float]] = {v: [] for v in views}
    stage_ms: dict[str, dict[str, list[float]]] = {v: {s: [] for s in STAGES} for v in views}
    with tempfile.TemporaryDirectory() as tmp:
        for src in photos:
            view = _view_of(src) or "dorsal"
            big = _twelve_mp(src, Path(tmp), args.keep_aspect)

            def decode(path: Path = big) -> None:
                with Image.open(path) as im:
                    np.asarray(im.convert("RGB"))

            def measure(path: Path = big, view: str = view):  # type: ignore[no-untyped-def]
                return measure_file(path, View(view))

            measure()  # warm-up (imports, OpenCV initialisation)
            t_dec, _ = best_of(decode, args.repeat)
            t_meas, result = best_of(measure, args.repeat)
            ratio = t_meas / t_dec
            ratios[view].append(ratio)
            timings = result.timings  # type: ignore[attr-defined]
            parts = []
            for stage in STAGES:
                ms = timings.get(stage, float("nan")) * 1000
                stage_ms[view][stage].append(ms)
                parts.append(f"{stage} {ms:4.0f}")
            cal = result.calibration.method if result.calibration else "-"  # type: ignore[attr-defined]
            print(f"{src.name:32s} {view:6s} full decode {t_dec * 1000:4.0f} ms | measure "
                  f"{t_meas * 1000:4.0f} ms ({', '.join(parts)}; cal {cal}) "
                  f"ratio {ratio:.2f}", flush=True)
    for view in views:
        if not ratios[view]:
            continue
        medians = ", ".join(f"{s} {statistics.median(stage_ms[view][s]):.0f}" for s in STAGES)
        print(f"{view}: median ratio measure/decode {statistics.median(ratios[view]):.2f} "
              f"over {len(ratios[view])} photos (target <= 1.0); median ms: {medians}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
