"""How far the dorsal landmarks move when the photo is perturbed, and whether that tells
right from wrong: the measurement behind doubt from stability (not yet used by footlog).

Usage: .venv/bin/python benchmarks/stability.py [--scenes N]

Each reference photo of tests/data (and N generated scenes of real feet, with their exact
truth) is measured as it is and again rotated by +-2 degrees, scaled by 0.9 and 1.1, and
with its content shifted by 3 % of its width (a shifted crop). Each landmark's spread is
the largest distance (fraction of the forefoot width W) between where it lands on a
perturbed picture (mapped back) and where it lands on the picture itself; the row is
"renumbered" when a toe tip moves by more than 0.1 W or is lost. Printed per photo:
status, the largest spread, and the largest error against the truth (landmark, % W;
hallux angle and toe splay, deg); then each landmark's median spread, and, for spread
limits, how many photos would pass and how many of those are more than 6 degrees off.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scene_landmarks import ANGLES, OFF_DEG, foot_of  # noqa: E402

from footlog.domain.views import DORSAL_LANDMARKS, Foot, View  # noqa: E402
from footlog.imaging.photo_io import read_reduced  # noqa: E402
from footlog.measuring import ANALYSIS_MAX_SIDE, compute_measures, measure_pixels  # noqa: E402

TIPS = ("hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip")
LIMITS = (0.02, 0.04, 0.06, 0.1, 0.2)  # spread limits tried (fraction of W)


def perturbations(h: int, w: int) -> list[np.ndarray]:
    """2 x 3 affine maps (picture px -> perturbed px): rotations, scales, a crop."""
    centre = (w / 2, h / 2)
    maps = [cv2.getRotationMatrix2D(centre, a, 1.0) for a in (-2.0, 2.0)]
    maps += [cv2.getRotationMatrix2D(centre, 0.0, s) for s in (0.9, 1.1)]
    maps.append(np.array([[1.0, 0.0, -0.03 * w], [0.0, 1.0, 0.0]]))
    return maps


def landmarks_of(pixels: np.ndarray, scale: float) -> tuple[dict, str]:
    """The dorsal landmarks (px of `pixels`) and the status footlog gives the picture."""
    res = measure_pixels(pixels, scale, View.DORSAL, Foot.UNKNOWN)
    return {k: np.asarray(v, float) / scale for k, v in res.landmarks.items()}, str(res.status)


def spread_of(pixels: np.ndarray, scale: float, base: dict) -> tuple[dict, bool]:
    """Each landmark's spread (fraction of W) and whether a tip moved by 0.1 W or was lost."""
    h, w = pixels.shape[:2]
    spread: dict[str, float] = {}
    renumbered = False
    width = float(np.linalg.norm(base["mt1_medial"] - base["mt5_lateral"]))
    for m in perturbations(h, w):
        out = cv2.warpAffine(pixels, m, (w, h), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REPLICATE)
        moved, _ = landmarks_of(out, scale)
        inv = cv2.invertAffineTransform(m)
        for k, p in moved.items():
            if k not in base:
                continue
            back = inv[:, :2] @ p + inv[:, 2]
            d = float(np.linalg.norm(back - base[k])) / width
            spread[k] = max(spread.get(k, 0.0), d)
            renumbered |= k in TIPS and d > 0.1
        missing = [k for k in base if k not in moved]
        renumbered |= any(k in TIPS for k in missing)
    return spread, renumbered


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenes", type=int, default=0)
    args = ap.parse_args(argv)
    rows = []
    for ref_path in sorted((ROOT / "tests/data/photos").glob("*.json")):
        ref = json.loads(ref_path.read_text())
        if ref.get("view") != "dorsal":
            continue
        photo = ref_path.with_name(ref_path.name[: -len(".json")])
        reduced = read_reduced(photo, ANALYSIS_MAX_SIDE)
        truth = {k: np.asarray(v, float) / reduced.scale for k, v in ref["landmarks"].items()}
        rows.append(score(photo.stem, reduced.pixels, reduced.scale, truth, Foot(ref["side"])))
    if args.scenes:
        from scene_generator import generate_scene, scene_seeds

        for seed in scene_seeds(args.scenes, 0):
            sc = generate_scene(seed)
            truth = {k: np.asarray(v, float) - 0.5 for k, v in sc.truth.landmarks.items()}
            rows.append(score(f"scene {seed % 10000:04d} {sc.truth.source}", sc.rgb, 1.0,
                              truth, foot_of(sc.truth.source)))
    rows = [r for r in rows if r is not None]
    print(f"{'photo':40s} {'status':7s} {'spread':>7s} {'renum':>5s} {'lm err':>7s} "
          f"{'hallux':>7s} {'splay':>7s}")
    for r in rows:
        print(f"{r['name'][:40]:40s} {r['status']:7s} {100 * r['spread']:6.1f}% "
              f"{'yes' if r['renumbered'] else '':>5s} {100 * r['err']:6.1f}% "
              f"{r['hallux']:7.1f} {r['splay']:7.1f}")
    print("\nper landmark, median spread % W: " + ", ".join(
        f"{k} {100 * np.median([r['spreads'][k] for r in rows if k in r['spreads']]):.1f}"
        for k in DORSAL_LANDMARKS if any(k in r["spreads"] for r in rows)))
    print(f"toe row renumbered (a tip moved > 0.1 W or lost): "
          f"{sum(r['renumbered'] for r in rows)}/{len(rows)}")
    print("\nspread limit (% W): photos that stay within it and keep their row / of those,"
          " off by > 6 deg in an angle / photos off by > 6 deg outside it")
    for lim in LIMITS:
        inside = [r for r in rows if r["spread"] <= lim and not r["renumbered"]]
        off_in = sum(r["off"] for r in inside)
        off_out = sum(r["off"] for r in rows if r not in inside)
        print(f"  {100 * lim:4.0f}: {len(inside):3d}/{len(rows)}  {off_in:3d}  {off_out:3d}")
    return 0


def score(name: str, pixels: np.ndarray, scale: float, truth: dict, foot: Foot) -> dict | None:
    base, status = landmarks_of(pixels, scale)
    if not all(k in base for k in ("mt1_medial", "mt5_lateral")):
        return None
    width = float(np.linalg.norm(truth["mt1_medial"] - truth["mt5_lateral"]))
    err = max((float(np.linalg.norm(base[k] - truth[k])) / width
               for k in DORSAL_LANDMARKS if k in base and k in truth), default=float("nan"))
    ref = compute_measures(View.DORSAL, {k: tuple(v) for k, v in truth.items()}, foot, None)
    found = compute_measures(View.DORSAL, {k: tuple(v) for k, v in base.items()}, foot, None)
    diff = {a: found[a] - ref[a] for a in ANGLES if a in found and a in ref}
    spreads, renumbered = spread_of(pixels, scale, base)
    return {"name": name, "status": status, "spread": max(spreads.values(), default=0.0),
            "spreads": spreads, "renumbered": renumbered,
            "err": err, "hallux": diff.get("hallux_angle", float("nan")),
            "splay": diff.get("toe_splay", float("nan")),
            "off": any(abs(v) > OFF_DEG for v in diff.values())}


if __name__ == "__main__":
    raise SystemExit(main())
