"""View and foot told from the photo, per source, and how well the guess's confidence is
calibrated (when it says 90 %, is it right 90 % of the time?).

Sources: the real photos of tests/data/photos (view and foot from their reference files;
a photo without one, in `hard/`, does not follow the capture guide and is "unmeasurable"),
any further folders given with --photos (same layout), generated scenes of real feet
(tests/scene_generator: dorsal photos on a page, the foot of the photo it was cut from),
synthetic side views (upright and mirrored) and synthetic prints.

For each picture: the view guess (footlog.analysis.view_guess.guess_view) and the whole
measurement with no view given (footlog.measuring.measure_pixels): the view it measured
as, the foot it reported, and whether a photo that cannot be measured got a number.

    python benchmarks/view_guess.py [--scenes 60] [--photos FOLDER ...]
    python benchmarks/view_guess.py --fit [--scenes 150]

--fit measures the calibration table of view_guess (CALIBRATION) on generated pictures
only: synthetic side views and prints, and scenes from seed 1000 on (the evaluation uses
seeds from 0, and the real photos, none of which the fit sees).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from synthetic_prints import PrintSpec, make_print  # noqa: E402
from synthetic_side import SideSpec, make_side  # noqa: E402

from footlog.analysis.view_guess import RAW_EDGES, band, guess_view, raw_guess  # noqa: E402
from footlog.domain.views import Foot, Status, View  # noqa: E402
from footlog.imaging.photo_io import read_reduced  # noqa: E402
from footlog.measuring import ANALYSIS_MAX_SIDE, measure_pixels  # noqa: E402

PHOTOS = ROOT / "tests" / "data" / "photos"
UNMEASURABLE = "unmeasurable"
BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)


@dataclass
class Case:
    source: str
    name: str
    pixels: np.ndarray
    scale: float
    view: str  # a View value or UNMEASURABLE
    foot: str  # a Foot value ("unknown" when not known)


def photo_cases(folder: Path, source: str) -> Iterator[Case]:
    for p in sorted(folder.rglob("*")):
        if p.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            continue
        ref_path = Path(f"{p}.json")
        ref = json.loads(ref_path.read_text()) if ref_path.exists() else {}
        view = ref.get("view", UNMEASURABLE)
        if view not in (View.DORSAL, View.MEDIAL, View.PLANTAR):
            view = UNMEASURABLE  # oblique, seated, both feet...
        red = read_reduced(p, ANALYSIS_MAX_SIDE)
        sub = p.parent.name if p.parent != folder else ""
        side = ref.get("side", "unknown") if view != UNMEASURABLE else "unknown"
        yield Case(f"{source}/{sub}" if sub else source, p.name, red.pixels, red.scale, view,
                   side)
        if view == View.MEDIAL:
            # A side view mirrored is the other foot's side view: the toes point the other
            # way, the foot must flip with them.
            other = {"left": "right", "right": "left"}.get(side, side)
            yield Case(f"{source} side views mirrored", p.name,
                       np.ascontiguousarray(red.pixels[:, ::-1]), red.scale, view, other)


def scene_cases(count: int, first: int = 0) -> Iterator[Case]:
    from scene_generator import generate_scene

    sides = {p.name.removesuffix(".json"): json.loads(p.read_text()).get("side", "unknown")
             for p in PHOTOS.glob("*.json")}
    for seed in range(first, first + count):
        sc = generate_scene(seed)
        side = next((s for n, s in sides.items() if n.startswith(sc.truth.source)), "unknown")
        tilt = "tilt<20" if sc.truth.tilt_deg < 20 else "tilt>=20"
        yield Case(f"scenes/{tilt}", f"seed {seed}", sc.rgb, 1.0, View.DORSAL, side)


def synthetic_cases() -> Iterator[Case]:
    specs = [SideSpec(), SideSpec(tilt_deg=6.5), SideSpec(floor="paper", tilt_deg=3),
             SideSpec(tilt_deg=10, apex=0.045, dorsum=0.28, seed=5),
             SideSpec(floor="paper", clutter=True), SideSpec(clutter=True, tilt_deg=5)]
    for i, s in enumerate(specs):
        rgb = make_side(s).rgb
        for flip in (False, True):
            right = s.toes_right != flip  # seen from the inner side: toes right = left foot
            yield Case("synthetic side" + (" mirrored" if flip else ""), f"side {i}",
                       np.ascontiguousarray(rgb[:, ::-1]) if flip else rgb, 1.0, View.MEDIAL,
                       Foot.LEFT if right else Foot.RIGHT)
    for i, (mw, ang) in enumerate([(0, 0), (20, 10), (40, -30), (70, 45), (85, 90)]):
        yield Case("synthetic prints", f"print {i}",
                   make_print(PrintSpec(mid_width=mw, angle_deg=ang, seed=i)).rgb, 1.0,
                   View.PLANTAR, "unknown")


def guessed(res_view: str, res_status: str, warnings: list[str]) -> str:
    """What the measurement said the photo is: its view, or unmeasurable when it refused
    the photo for not being a measurable view."""
    if res_status == Status.FAILED and any("not measurable" in w for w in warnings):
        return UNMEASURABLE
    return res_view


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenes", type=int, default=60)
    ap.add_argument("--photos", type=Path, nargs="*", default=[])
    ap.add_argument("--fit", action="store_true", help="measure the calibration table")
    args = ap.parse_args()
    if args.fit:
        fit(args.scenes)
        return
    cases: list[Iterator[Case]] = [photo_cases(PHOTOS, "tests/data")]
    cases += [photo_cases(f, f"extra {i}") for i, f in enumerate(args.photos)]
    cases += [synthetic_cases(), scene_cases(args.scenes)]
    rows = []
    guess_s = total_s = 0.0
    for gen in cases:
        for c in gen:
            t0 = time.perf_counter()
            g_view, conf = guess_view(c.pixels)
            t1 = time.perf_counter()
            res = measure_pixels(c.pixels, c.scale, View.UNKNOWN, Foot.UNKNOWN)
            total_s += time.perf_counter() - t0
            guess_s += t1 - t0
            said = guessed(res.view, res.status, res.warnings)
            number = bool(res.measures) and res.status != Status.FAILED
            rows.append((c, str(g_view), conf, said, str(res.foot), number))
            print(f"{c.source:28s} {c.name[:34]:34s} truth {c.view:12s} {c.foot:7s}| guess "
                  f"{g_view!s:8s} {conf:4.2f} | measured as {said:12s} {res.foot!s:7s} "
                  f"{res.status!s:6s}{' NUMBER' if number else ''}", flush=True)
    report(rows, guess_s, total_s)


def fit(scenes: int) -> None:
    """Print CALIBRATION: per guessed view and raw band, (right + 1) / (n + 2)."""
    counts: dict[str, list[list[int]]] = defaultdict(lambda: [[0, 0] for _ in range(4)])
    for gen in (synthetic_cases(), scene_cases(scenes, first=1000)):
        for c in gen:
            view, raw = raw_guess(c.pixels)
            cell = counts[str(view)][band(raw)]
            cell[0] += view == c.view
            cell[1] += 1
    print(f"raw bands: upper edges {RAW_EDGES}")
    for view, cells in counts.items():
        probs = ", ".join(f"{(r + 1) / (n + 2):.2f}" for r, n in cells)
        print(f"    View.{view.upper()}: ({probs}),  # right/n: "
              + " ".join(f"{r}/{n}" for r, n in cells))


def report(rows: list, guess_s: float, total_s: float) -> None:
    by: dict[str, list] = defaultdict(list)
    for r in rows:
        by[r[0].source].append(r)
    print("\n| source | n | view right | foot right | unmeasurable given a number |")
    print("|---|---|---|---|---|")
    for src, rs in by.items():
        view_ok = sum(r[3] == r[0].view for r in rs)
        feet = [r for r in rs if r[0].foot != "unknown"]
        foot_ok = sum(r[4] == r[0].foot for r in feet)
        bad = [r for r in rs if r[0].view == UNMEASURABLE]
        numbered = sum(r[5] for r in bad)
        print(f"| {src} | {len(rs)} | {view_ok}/{len(rs)} | "
              f"{f'{foot_ok}/{len(feet)}' if feet else '-'} | "
              f"{f'{numbered}/{len(bad)}' if bad else '-'} |")
    print("\nReliability of the view guess's confidence (right = guessed view is the true one):")
    print("| confidence | n | right | mean confidence |")
    print("|---|---|---|---|")
    for lo, hi in itertools.pairwise(BINS):
        rs = [r for r in rows if lo <= r[2] < hi]
        if rs:
            right = sum(r[1] == r[0].view for r in rs) / len(rs)
            mean = sum(r[2] for r in rs) / len(rs)
            print(f"| {lo:.2f}-{min(hi, 1.0):.2f} | {len(rs)} | {right:.0%} | {mean:.2f} |")
    print(f"\nview guessing {guess_s:.1f} s of {total_s:.1f} s measuring "
          f"({guess_s / max(total_s, 1e-9):.0%})")


if __name__ == "__main__":
    main()
