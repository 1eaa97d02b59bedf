"""Doubt from stability against doubt from the hand-set checks: which tells right from wrong.

Usage: .venv/bin/python benchmarks/stability.py [--scenes N] [--seed S]

Each dorsal reference photo of tests/data (and N generated scenes of real feet, with their
exact truth) is measured with the detector's stability check forced on
(`footlog.analysis.stability`): the landmarks are found again on the photo turned by -2
and +2 degrees, at working resolutions 10 % lower and higher, and cropped by 3 % on the
side away from the foot. A landmark's spread is the farthest it lands from where it was
found (fraction of the forefoot width W); the row is "renumbered" when a toe tip lands
nearer another toe's tip than its own, or a toe appears or vanishes.

A photo is "right" when its hallux angle is measured and every angle measured (hallux
angle, toe splay) is within 6 degrees of the truth. Printed per source: photos, right, and
for each rule how many photos it lets through as `ok` and how many of those are wrong:
- hand checks: every check, as before stability (the notes of `quality` as doubts);
- footlog: the status footlog gives (checks that stability does not replace, and
  stability with its limit on the angles);
- angles A deg: the same with another limit A on how far each angle may move;
- points T% W: the checks that stability does not replace, no renumbering, no side change,
  no landmark lost, and every landmark within T W.
Then each landmark's median spread on right and wrong photos, and the time the check takes
against the rest of measuring.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scene_landmarks import OFF_DEG, score_landmarks  # noqa: E402

from footlog.analysis.stability import STABLE_DEG  # noqa: E402
from footlog.domain.views import DORSAL_LANDMARKS, Foot, View  # noqa: E402
from footlog.imaging.photo_io import read_reduced  # noqa: E402
from footlog.measuring import ANALYSIS_MAX_SIDE, measure_pixels  # noqa: E402

LIMITS = (0.05, 0.12, 0.25)  # landmark spread limits tried (fraction of W)
ANGLE_LIMITS = (2.0, 3.0, 4.0)  # angle spread limits tried (deg)


def measured(source: str, pixels: np.ndarray, scale: float, truth: dict,
             truth_scale: tuple[float, float]) -> dict | None:
    """One photo's figures: status without stability, stability, right or wrong."""
    t0 = time.perf_counter()
    res = measure_pixels(pixels, scale, View.DORSAL, Foot.UNKNOWN, stability=True)
    seconds = time.perf_counter() - t0
    st = res.extras.get("stability")
    if st is None:
        return None  # no outline or no toe row: nothing to perturb
    sc = score_landmarks(res, truth, source, truth_scale)
    # Right: the hallux angle measured, and every angle measured within OFF_DEG (the toe
    # splay is left out where the little toe is hidden).
    right = ("hallux_angle" in sc.angle_err
             and all(abs(e) <= OFF_DEG for e in sc.angle_err.values()))
    return {"source": source, "hand": st["status_by_notes"], "before": st["status_before"],
            "status": str(res.status), "spread": st["spread"],
            "renumbered": st["renumbered"], "renumbered_by": st["renumbered_by"],
            "side_changed": st["side_changed"],
            "lost": st["lost"], "right": right, "mspread": st["measure_spread"],
            "check_s": st["seconds"],
            "all_s": seconds, "angle_err": sc.angle_err, "warnings": res.warnings}


def stable(r: dict, tol: float) -> bool:
    return (not r["renumbered"] and not r["side_changed"] and not r["lost"]
            and all(v <= tol for v in r["spread"].values()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenes", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dump", type=Path, help="write every photo's figures to this JSON file")
    args = ap.parse_args(argv)
    rows = []
    for ref_path in sorted((ROOT / "tests/data/photos").glob("*.json")):
        ref = json.loads(ref_path.read_text())
        if ref.get("view") != "dorsal":
            continue
        photo = ref_path.with_name(ref_path.name[: -len(".json")])
        red = read_reduced(photo, ANALYSIS_MAX_SIDE)
        truth = {k: tuple(np.asarray(v, float) / red.scale) for k, v in ref["landmarks"].items()}
        r = measured(photo.name.split(".")[0], red.pixels, red.scale, truth,
                     (red.scale, red.scale))
        if r is not None:
            r["group"] = "photo " + r["source"].split("__")[0]
            rows.append(r)
    if args.scenes:
        import cv2
        from scene_generator import generate_scene, scene_seeds

        for seed in scene_seeds(args.scenes, args.seed):
            sc = generate_scene(seed)
            h, w = sc.rgb.shape[:2]
            k = min(1.0, ANALYSIS_MAX_SIDE / max(h, w))
            small = cv2.resize(sc.rgb, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
            scale = w / small.shape[1]
            r = measured(sc.truth.source, small, scale, sc.truth.landmarks, (1.0, 1.0))
            if r is not None:
                r["group"] = "scenes " + sc.truth.source.split("__")[0]
                r["seed"] = seed
                rows.append(r)
    print_table(rows)
    if args.dump:
        args.dump.write_text(json.dumps(rows, indent=1))
    return 0


def print_table(rows: list[dict]) -> None:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r["group"]].append(r)
        groups["photos all" if r["group"].startswith("photo") else "scenes all"].append(r)
    def steady(r: dict) -> bool:
        return (r["before"] == "ok" and not r["renumbered"] and not r["side_changed"]
                and not r["lost"])

    rules = [("hand checks", lambda r: r["hand"] == "ok"),
             ("footlog", lambda r: r["status"] == "ok")]
    rules += [(f"angles {a:g} deg", lambda r, a=a: steady(r) and all(
        v <= a for v in r["mspread"].values())) for a in ANGLE_LIMITS]
    rules += [(f"points {100 * t:.0f}% W", lambda r, t=t: steady(r) and all(
        v <= t for v in r["spread"].values())) for t in LIMITS]
    print("ok / wrong among ok (wrong: an angle more than 6 deg off), per rule")
    print(f"{'group':24s} {'n':>4s} {'right':>5s} " + " ".join(f"{n:>16s}" for n, _ in rules))
    for name in sorted(groups):
        g = groups[name]
        cells = []
        for _, rule in rules:
            ok = [r for r in g if rule(r)]
            cells.append(f"{len(ok):>4d} / {sum(not r['right'] for r in ok):<3d}")
        print(f"{name:24s} {len(g):4d} {sum(r['right'] for r in g):5d} "
              + " ".join(f"{c:>16s}" for c in cells))
    print("\nper landmark, median spread % W (right photos / wrong photos):")
    for k in DORSAL_LANDMARKS:
        a = [r["spread"][k] for r in rows if k in r["spread"] and r["right"]]
        b = [r["spread"][k] for r in rows if k in r["spread"] and not r["right"]]
        if a or b:
            print(f"  {k:16s} {_med(a):6s} {_med(b):6s}")
    print(f"renumbered: right {sum(r['renumbered'] for r in rows if r['right'])}"
          f"/{sum(r['right'] for r in rows)}, wrong "
          f"{sum(r['renumbered'] for r in rows if not r['right'])}"
          f"/{sum(not r['right'] for r in rows)}")
    share = [r["check_s"] / max(r["all_s"] - r["check_s"], 1e-6) for r in rows]
    if share:
        print(f"the stability check takes {statistics.median(share):.2f}x the rest of "
              f"measuring (median; footlog's limit on an angle's move: {STABLE_DEG} deg)")


def _med(v: list[float]) -> str:
    return "-" if not v else f"{100 * statistics.median(v):.1f}"


if __name__ == "__main__":
    raise SystemExit(main())
