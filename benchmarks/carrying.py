"""Landmarks carried from one confirmed photo onto the rest of a same-foot series.

For each series of one foot in tests/data (the carpet series 1, 2, 3, aaa, bbb, r, t and
the concrete series dd, gg, tt) and each choice of template: the template is confirmed with
its hand reference landmarks, every other photo is measured by the detector and then its
landmarks are carried from the template (footlog.analysis.carry). Printed per template:
the SD over the series (the template's own confirmed value included) of the hallux angle
and the toe splay, for the detector alone, for carrying, and for the hand references; and
the median distance of the carried landmarks to the references (% of forefoot width W)
over landmarks whose stated reference uncertainty is below 2 % W. Timing: carrying one
photo against a full decode of the same photo.

    python benchmarks/carrying.py [--window]

--window: `ala-jaidi__gg`'s reference midfoot_medial as the window point (its other
references hide the heel, so the series then uses one proximal line throughout).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from footlog.analysis.carry import Shot, carry  # noqa: E402
from footlog.domain.calibration import Calibration  # noqa: E402
from footlog.domain.views import Foot, View  # noqa: E402
from footlog.imaging.photo_io import read_reduced  # noqa: E402
from footlog.measuring import ANALYSIS_MAX_SIDE, compute_measures, measure_pixels  # noqa: E402

PHOTOS = ROOT / "tests" / "data" / "photos"
SERIES = {
    "carpet": ["1", "2", "3", "aaa", "bbb", "r", "t"],
    "concrete": ["dd", "gg", "tt"],
}
ANGLES = ("hallux_angle", "toe_splay")


@dataclass
class Photo:
    name: str
    path: Path
    reference: dict[str, np.ndarray]
    uncertainty: dict[str, float]
    detector: dict[str, np.ndarray]
    outline: np.ndarray
    gray: np.ndarray
    scale: float
    calibration: Calibration | None
    foot: Foot

    def shot(self, landmarks: dict[str, np.ndarray], photo_id: int | None = None) -> Shot:
        h = None if self.calibration is None else self.calibration.homography
        return Shot(landmarks, self.outline, self.gray, self.scale, photo_id,
                    None if h is None else np.asarray(h, float))

    def measures(self, landmarks: dict) -> dict[str, float]:
        pts = {n: (float(p[0]), float(p[1])) for n, p in landmarks.items()}
        return compute_measures(View.DORSAL, pts, self.foot, self.calibration)

    @property
    def width(self) -> float:
        return float(np.linalg.norm(self.reference["mt1_medial"] - self.reference["mt5_lateral"]))


def load(name: str, window: bool) -> Photo:
    path = PHOTOS / f"ala-jaidi__{name}.jpg"
    ref = json.loads(Path(f"{path}.json").read_text())
    landmarks = dict(ref["landmarks"])
    if window:
        landmarks.update(ref.get("landmarks_window_old_definition", {}))
    reduced = read_reduced(path, ANALYSIS_MAX_SIDE)
    foot = Foot(ref["side"])
    res = measure_pixels(reduced.pixels, reduced.scale, View.DORSAL, foot)
    gray = cv2.cvtColor(reduced.pixels, cv2.COLOR_RGB2GRAY).astype(np.float32)
    return Photo(name, path, {k: np.asarray(v, float) for k, v in landmarks.items()},
                 dict(ref["uncertainty_px"]),
                 {k: np.asarray(v, float) for k, v in res.landmarks.items()},
                 np.asarray(res.outline or [], float), gray, reduced.scale,
                 res.calibration, foot)


def sd(values: list[float]) -> float:
    values = [v for v in values if v is not None and np.isfinite(v)]
    return statistics.stdev(values) if len(values) >= 2 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", action="store_true")
    args = parser.parse_args()
    summary = []
    for series, names in SERIES.items():
        photos = [load(n, args.window) for n in names]
        ref_m = {p.name: p.measures(p.reference) for p in photos}
        det_m = {p.name: p.measures(p.detector) for p in photos}
        print(f"\n## {series} ({', '.join(names)})")
        print("| template | hallux SD det / carried / ref | splay SD det / carried / ref "
              "| median error % W (carried / detector) | carried ms |")
        print("|---|---|---|---|---|")
        for tpl in photos:
            template = tpl.shot(tpl.reference, 0)
            carried_m = {tpl.name: ref_m[tpl.name]}
            errs_c, errs_d, times = [], [], []
            for p in photos:
                if p is tpl:
                    continue
                t0 = time.perf_counter()
                c = carry([template], p.shot(p.detector))
                times.append(time.perf_counter() - t0)
                lm = {} if c is None else {n: np.asarray(v) for n, v in c.landmarks.items()}
                carried_m[p.name] = p.measures(lm) if lm else {}
                W = p.width
                for n, r in p.reference.items():
                    if p.uncertainty.get(n, 1e9) >= 0.02 * W:
                        continue
                    if n in lm:
                        errs_c.append(np.linalg.norm(lm[n] - r) / W * 100)
                    if n in p.detector:
                        errs_d.append(np.linalg.norm(p.detector[n] - r) / W * 100)
            cells = []
            for m in ANGLES:
                cells.append(" / ".join(
                    f"{sd([src[p.name].get(m, np.nan) for p in photos]):.2f}"
                    for src in ({**det_m, tpl.name: ref_m[tpl.name]}, carried_m, ref_m)))
            row = (tpl.name, *cells, f"{np.median(errs_c):.2f} / {np.median(errs_d):.2f}",
                   f"{1000 * np.median(times):.0f}")
            summary.append((series, tpl.name, [carried_m[p.name] for p in photos]))
            print("| " + " | ".join(row) + " |")
        # How much of the series' spread is in the photos themselves: the detector and the
        # hand references are independent placements; their per-photo difference spreads
        # by the placement noise of both, their common part is the photos' own variation.
        for m in ANGLES:
            diff = [det_m[p.name].get(m, np.nan) - ref_m[p.name].get(m, np.nan) for p in photos]
            print(f"    {m}: SD of detector - reference over the photos {sd(diff):.2f} "
                  f"(series SD: detector {sd([det_m[p.name].get(m) for p in photos]):.2f}, "
                  f"reference {sd([ref_m[p.name].get(m) for p in photos]):.2f})")
        for p in photos:
            print(f"    {p.name}: reference hallux {ref_m[p.name].get('hallux_angle', np.nan):.2f}"
                  f" splay {ref_m[p.name].get('toe_splay', np.nan):.2f}; detector "
                  f"{det_m[p.name].get('hallux_angle', np.nan):.2f} / "
                  f"{det_m[p.name].get('toe_splay', np.nan):.2f}")
    # Speed: carrying one photo against a full decode of a 12 MP JPEG of it.
    path = PHOTOS / "ala-jaidi__2.jpg"
    t0 = time.perf_counter()
    with Image.open(path) as im:
        im.load()
    print(f"\nfull decode of {path.name}: {1000 * (time.perf_counter() - t0):.0f} ms "
          "(its own size; see benchmarks/speed.py for the 12 MP ratio)")


if __name__ == "__main__":
    main()
