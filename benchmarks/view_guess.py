"""View and foot told from the photo, per source, and how well the confidence of the view
decision is calibrated (when it says 90 %, is it right 90 % of the time?).

Sources: the real photos of tests/data/photos (view and foot from their reference files;
a photo without a measurable view in its reference, in `hard/` and `seated/`, does not
follow the capture guide and is "unmeasurable"), any further folders given with --photos
(same layout), generated scenes of real feet (tests/scene_generator: dorsal photos on a
page, the foot of the photo it was cut from; and the same scenes with the foot in a sock
or a shoe, which are "unmeasurable"), synthetic side views (upright and mirrored) and
synthetic prints.

For each picture, the whole measurement with no view given (footlog.measuring.measure_feet,
the first foot): its view decision (`view_guess`: dorsal, medial, plantar or not
measurable, with its confidence), the foot it reported, and whether a photo that cannot be
measured got a number.

    python benchmarks/view_guess.py [--scenes 60] [--photos FOLDER ...]
    python benchmarks/view_guess.py --fit [--scenes 150]

--fit measures the calibration tables on generated pictures only: the view guess's
(view_guess.CALIBRATION: synthetic side views and prints, and bare-foot scenes from seed
1000 on) and the bare-skin test's (bare_skin.COVERED_RIGHT and BARE_RIGHT: the same scenes
bare, in a sock and in a shoe). The evaluation uses seeds from 0, and the real photos, none
of which the fit sees.
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

from footlog.analysis.view_guess import (  # noqa: E402
    CALIBRATION,
    NOT_MEASURABLE,
    NOT_MEASURABLE_VIEW,
    RAW_EDGES,
    band,
    guess_view,
    raw_guess,
)
from footlog.domain.views import Foot, Status, View  # noqa: E402
from footlog.imaging.photo_io import read_reduced  # noqa: E402
from footlog.measuring import ANALYSIS_MAX_SIDE, measure_feet, measure_pixels  # noqa: E402

PHOTOS = ROOT / "tests" / "data" / "photos"
UNMEASURABLE = "unmeasurable"
# Photos without a reference file whose view is known: a foot from above on bare concrete,
# no page (footlog may measure it, in `review`; tests/test_view_guess.py).
KNOWN_VIEWS = {"OllieBoyne__2.png": View.DORSAL}
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
        view = ref.get("view", KNOWN_VIEWS.get(p.name, UNMEASURABLE))
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


def scene_cases(count: int, first: int = 0, covers: tuple[str | None, ...] = (None,)
                ) -> Iterator[Case]:
    """Scenes of seeds first.. first + count - 1, each bare and in every cover of `covers`
    ("sock", "shoe": unmeasurable)."""
    from scene_generator import generate_scene

    sides = {p.name.removesuffix(".json"): json.loads(p.read_text()).get("side", "unknown")
             for p in PHOTOS.glob("*.json")}
    for seed in range(first, first + count):
        for cover in covers:
            sc = generate_scene(seed, cover=cover)
            if cover is not None:
                yield Case(f"scenes in a {cover}", f"seed {seed}", sc.rgb, 1.0, UNMEASURABLE,
                           "unknown")
                continue
            side = next((s for n, s in sides.items() if n.startswith(sc.truth.source)),
                        "unknown")
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


def decided(res) -> tuple[str, float | None]:
    """The measurement's view decision (a View value or UNMEASURABLE) and its confidence."""
    d = res.extras.get("view_guess") or {}
    view = d.get("view", str(res.view))
    if view == NOT_MEASURABLE_VIEW or (res.status == Status.FAILED
                                       and any("not measurable" in w for w in res.warnings)):
        view = UNMEASURABLE
    return view, d.get("confidence")


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
    cases += [synthetic_cases(), scene_cases(args.scenes, covers=(None, "sock", "shoe"))]
    rows = []
    guess_s = total_s = 0.0
    for gen in cases:
        for c in gen:
            t0 = time.perf_counter()
            g_view, g_conf = guess_view(c.pixels)
            t1 = time.perf_counter()
            res = measure_feet(c.pixels, c.scale, View.UNKNOWN, Foot.UNKNOWN)[0]
            total_s += time.perf_counter() - t1
            guess_s += t1 - t0
            said, conf = decided(res)
            number = bool(res.measures) and res.status != Status.FAILED
            rows.append((c, said, conf, str(res.foot), number))
            shown = "  -  " if conf is None else f"{conf:4.2f}"
            print(f"{c.source:28s} {c.name[:34]:34s} truth {c.view:12s} {c.foot:7s}| guess "
                  f"{g_view!s:8s} {g_conf:4.2f} | decided {said:12s} {shown} {res.foot!s:7s} "
                  f"{res.status!s:6s}{' NUMBER' if number else ''}", flush=True)
    report(rows, guess_s, total_s)


def fit(scenes: int) -> None:
    """Print CALIBRATION (per guessed view and raw band) and the bare-skin test's tables
    (per verdict and band of the skin share): (right + 1) / (n + 2)."""
    counts: dict[str, list[list[int]]] = defaultdict(lambda: [[0, 0] for _ in range(4)])
    # Right and all verdicts: covered; bare followed by a number; bare without one.
    skin = {"covered": [0, 0], "bare, measured": [0, 0], "bare, no number": [0, 0]}
    untold = [0, 0]  # pictures whose view cannot be told: not measurable / all
    for gen in (synthetic_cases(), scene_cases(scenes, first=1000,
                                               covers=(None, "sock", "shoe"))):
        for c in gen:
            view, raw = raw_guess(c.pixels)
            if CALIBRATION[view][band(raw)] < NOT_MEASURABLE:
                untold[0] += c.view == UNMEASURABLE
                untold[1] += 1
            if c.view != UNMEASURABLE:
                cell = counts[str(view)][band(raw)]
                cell[0] += view == c.view
                cell[1] += 1
            if c.source.startswith("scenes"):
                res = measure_pixels(c.pixels, c.scale, View.DORSAL, Foot.UNKNOWN,
                                     stability=False)
                check = res.extras.get("bare_skin")
                if check is None or check["bare_share"] is None:
                    continue
                key = ("covered" if check["covered"] else
                       "bare, measured" if res.measures else "bare, no number")
                skin[key][0] += check["covered"] == (c.view == UNMEASURABLE)
                skin[key][1] += 1
    print(f"raw bands: upper edges {RAW_EDGES}")
    for view, cells in counts.items():
        probs = ", ".join(f"{(r + 1) / (n + 2):.2f}" for r, n in cells)
        print(f"    View.{view.upper()}: ({probs}),  # right/n: "
              + " ".join(f"{r}/{n}" for r, n in cells))
    r, n = untold
    print(f"UNTOLD_RIGHT = {(r + 1) / (n + 2):.2f}  # {r}/{n}")
    print("bare-skin verdicts, right/n and (right + 1) / (n + 2):")
    for key, (r, n) in skin.items():
        print(f"    {key}: {r}/{n} {(r + 1) / (n + 2):.2f}")


def report(rows: list, guess_s: float, total_s: float) -> None:
    by: dict[str, list] = defaultdict(list)
    for r in rows:
        by[r[0].source].append(r)
    print("\n| source | n | view right | mean confidence | foot right | "
          "unmeasurable given a number |")
    print("|---|---|---|---|---|---|")
    for src, rs in by.items():
        view_ok = sum(r[1] == r[0].view for r in rs)
        confs = [r[2] for r in rs if r[2] is not None]
        mean = f"{sum(confs) / len(confs):.2f}" if confs else "-"
        if len(confs) < len(rs):
            mean += f" ({len(rs) - len(confs)} without)"
        feet = [r for r in rs if r[0].foot != "unknown"]
        foot_ok = sum(r[3] == r[0].foot for r in feet)
        bad = [r for r in rs if r[0].view == UNMEASURABLE]
        numbered = sum(r[4] for r in bad)
        print(f"| {src} | {len(rs)} | {view_ok}/{len(rs)} | {mean} | "
              f"{f'{foot_ok}/{len(feet)}' if feet else '-'} | "
              f"{f'{numbered}/{len(bad)}' if bad else '-'} |")
    for title, keep in (("every source", lambda r: True),
                        ("real photos", lambda r: not r[0].source.startswith(
                            ("scenes", "synthetic"))),
                        ("generated", lambda r: r[0].source.startswith(
                            ("scenes", "synthetic")))):
        reliability([r for r in rows if keep(r)], title)
    print(f"\nview guessing {guess_s:.1f} s; measuring with no view given {total_s:.1f} s "
          f"(the guess: {guess_s / max(total_s, 1e-9):.0%})")


def reliability(rows: list, title: str) -> None:
    """The reliability table of the view decision's confidence on `rows`."""
    print(f"\nReliability of the view decision's confidence, {title} (right = the decided "
          "view, or not measurable, is the true one):")
    print("| confidence | n | right | mean confidence |")
    print("|---|---|---|---|")
    for lo, hi in itertools.pairwise(BINS):
        rs = [r for r in rows if r[2] is not None and lo <= r[2] < hi]
        if rs:
            right = sum(r[1] == r[0].view for r in rs) / len(rs)
            mean = sum(r[2] for r in rs) / len(rs)
            print(f"| {lo:.2f}-{min(hi, 1.0):.2f} | {len(rs)} | {right:.0%} | {mean:.2f} |")
    none = [r for r in rows if r[2] is None]
    if none:
        right = sum(r[1] == r[0].view for r in none)
        print(f"| none given | {len(none)} | {right}/{len(none)} | - |")


if __name__ == "__main__":
    main()
