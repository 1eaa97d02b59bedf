"""Which proximal line makes the hallux angle repeatable: the candidates compared.

Usage: .venv/bin/python benchmarks/proximal_line.py [--photos DIR] [--scenes N] [--seed S]
                                                    [--synthetic N] [--poses N]
                                                    [--no-perturb] [--json FILE]

Every candidate of footlog.analysis.proximal_line (heel tangent, a line fitted to the first
metatarsal's medial border, the foot's long axis, the refined 0.4-1.2 W window) gives a
hallux angle with the SAME `mt1_medial` and `hallux_medial` of the detector, through the
same floor homography as the measures (`footlog.measuring.compute_measures`). Per source:

- photos (tests/data/photos, the detector through `measure_file`): how often each candidate
  is defined; its angle per photo of the same-foot series (benchmarks/accuracy.py SAME_FOOT)
  and their SD; the mean and SD of its difference from the reference hallux angle (the
  hand-placed landmarks, by footlog's definition: the heel tangent on the one photo that
  shows the heel, the refined window on the others; for the other candidates this is the
  offset of their meaning as much as an error);
- generated scenes (tests/scene_generator: one real foot cut out of a photo, set on many
  floors, pages and camera angles), those footlog gives a number for (not `failed`): the
  pooled SD of each candidate's angle over the scenes of the same foot (the foot does not
  change, so all of it is the method's spread, with the perspective left on scenes
  without a page), the same as a robust SD (median absolute deviation) with the scenes
  more than FAR_DEG from their foot's median counted apart, and its difference from the
  scene's true hallux angle (by the chosen definition);
- the same photos perturbed (turned by 2 deg, scaled by 0.9 and 1.1, a shifted crop): each
  candidate's SD over the six pictures of a photo;
- synthetic feet (tests/synthetic_feet.py: exact geometry with a round heel, a leg on 3 of
  4, under many camera poses): the pooled SD over the poses of one foot, and the error
  against the exact truth of the heel line and of the window. Their midfoot turns
  sharply, so the window's contact is an exact corner there, unlike on real feet.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from accuracy import SAME_FOOT, photos_in  # noqa: E402
from scene_landmarks import foot_of  # noqa: E402

from footlog.domain.calibration import apply_homography  # noqa: E402
from footlog.domain.dorsal_measures import hallux_angle_to_line  # noqa: E402
from footlog.domain.results import MeasureResult  # noqa: E402
from footlog.domain.views import Foot, View  # noqa: E402
from footlog.imaging.photo_io import read_reduced  # noqa: E402
from footlog.measuring import (  # noqa: E402
    ANALYSIS_MAX_SIDE,
    compute_measures,
    measure_file,
    measure_pixels,
)

CANDIDATES = ("heel_tangent", "metatarsal_fit", "long_axis", "refined_window")


def candidate_angles(res: MeasureResult) -> dict[str, float]:
    """Each defined candidate's hallux angle (deg) on a detector result, on the floor
    plane when the calibration gives a homography."""
    lm = res.landmarks
    if "mt1_medial" not in lm or "hallux_medial" not in lm or res.foot == Foot.UNKNOWN:
        return {}
    lines = dict(res.extras.get("proximal_lines") or {})
    if "midfoot_medial" in lm and res.extras.get("proximal_line") == "refined_window":
        # The detector's own point, after its sub-pixel refinement.
        lines["refined_window"] = [lm["midfoot_medial"], lm["mt1_medial"]]
    h = None if res.calibration is None else res.calibration.homography
    out = {}
    for name, (a, b) in lines.items():
        pts = np.asarray([a, b, lm["mt1_medial"], lm["hallux_medial"]], float)
        if h is not None:
            pts = apply_homography(np.asarray(h, float), pts)
        out[name] = hallux_angle_to_line(pts[0], pts[1], pts[2], pts[3], res.foot)
    return out


def sd(values: list[float]) -> float | None:
    return statistics.stdev(values) if len(values) >= 2 else None


def pooled_sd(groups: list[list[float]]) -> tuple[float | None, int]:
    """Pooled SD over groups (each the same foot), and the degrees of freedom."""
    ss = sum(sum((v - np.mean(g)) ** 2 for v in g) for g in groups if len(g) >= 2)
    dof = sum(len(g) - 1 for g in groups if len(g) >= 2)
    return (None if dof == 0 else float(np.sqrt(ss / dof))), dof


def fmt(v: float | None, nd: int = 2) -> str:
    return "-" if v is None else f"{v:.{nd}f}"


def photo_rows(folder: Path) -> list[dict]:
    """Every dorsal reference photo: its candidates' angles and the reference angle."""
    rows = []
    for path in photos_in(folder):
        jf = path.with_name(path.name + ".json")
        if not jf.exists():
            continue
        ref = json.loads(jf.read_text())
        if ref.get("view") != "dorsal":
            continue
        res = measure_file(path, View.DORSAL)
        rl = {k: tuple(v) for k, v in ref["landmarks"].items()}
        rm = compute_measures(View.DORSAL, rl, Foot(ref["side"]),
                              res.calibration)
        rows.append({"name": path.stem, "source": path.stem.split("__")[0],
                     "status": str(res.status), "angles": candidate_angles(res),
                     "reference": rm.get("hallux_angle")})
    return rows


def photo_table(rows: list[dict]) -> str:
    lines = [f"{'candidate':16s} {'source':12s} {'defined':>8s} {'ref diff mean':>13s} "
             f"{'ref diff SD':>11s} " + " ".join(f"{g + ' SD':>12s}" for g in SAME_FOOT)]
    for cand in CANDIDATES:
        for src in [*sorted({r["source"] for r in rows}), "all"]:
            rs = [r for r in rows if src in ("all", r["source"])]
            d = [r["angles"][cand] - r["reference"] for r in rs
                 if cand in r["angles"] and r["reference"] is not None]
            defined = sum(cand in r["angles"] for r in rs)
            series = []
            for names in SAME_FOOT.values():
                vals = [r["angles"][cand] for r in rs if cand in r["angles"]
                        and r["name"].split("__")[-1] in names and r["source"] == "ala-jaidi"]
                series.append(f"{fmt(sd(vals))} ({len(vals)})")
            lines.append(
                f"{cand:16s} {src:12s} {defined:>3d}/{len(rs):<4d} "
                f"{fmt(float(np.mean(d)) if d else None):>13s} {fmt(sd(d)):>11s} "
                + " ".join(f"{s:>12s}" for s in series))
        lines.append("")
    lines.append("reference hallux angles (hand, chosen definition) of the series: " + "; ".join(
        f"{g}: " + ", ".join(f"{r['reference']:.1f}" for r in rows
                             if r["source"] == "ala-jaidi" and r["name"].split("__")[-1] in n)
        for g, n in SAME_FOOT.items()))
    for cand in CANDIDATES:
        lines.append(f"  {cand}: " + "; ".join(
            f"{g}: " + ", ".join(fmt(r["angles"].get(cand), 1) for r in rows
                                 if r["source"] == "ala-jaidi"
                                 and r["name"].split("__")[-1] in n)
            for g, n in SAME_FOOT.items()))
    return "\n".join(lines)


def perturbations(h: int, w: int) -> list[np.ndarray]:
    """2 x 3 affine maps (picture px -> perturbed px): turned by -2 and +2 deg, scaled by
    0.9 and 1.1, and shifted by 3 % of the width (a shifted crop)."""
    import cv2

    centre = (w / 2, h / 2)
    maps = [cv2.getRotationMatrix2D(centre, a, 1.0) for a in (-2.0, 2.0)]
    maps += [cv2.getRotationMatrix2D(centre, 0.0, s) for s in (0.9, 1.1)]
    maps.append(np.array([[1.0, 0.0, -0.03 * w], [0.0, 1.0, 0.0]]))
    return maps


def perturbed_rows(folder: Path) -> list[dict]:
    """Every dorsal reference photo measured as it is and perturbed (`perturbations`):
    each candidate's angles, the whole pipeline without its own stability runs."""
    import cv2

    rows = []
    for path in photos_in(folder):
        jf = path.with_name(path.name + ".json")
        if not jf.exists() or json.loads(jf.read_text()).get("view") != "dorsal":
            continue
        reduced = read_reduced(path, ANALYSIS_MAX_SIDE)
        pixels, scale = reduced.pixels, reduced.scale
        h, w = pixels.shape[:2]
        pictures = [pixels] + [cv2.warpAffine(pixels, m, (w, h), flags=cv2.INTER_LINEAR,
                                              borderMode=cv2.BORDER_REPLICATE)
                               for m in perturbations(h, w)]
        angles: dict[str, list[float]] = {}
        for pic in pictures:
            res = measure_pixels(pic, scale, View.DORSAL, Foot.UNKNOWN, stability=False)
            for k, v in candidate_angles(res).items():
                angles.setdefault(k, []).append(v)
        rows.append({"name": path.stem, "source": path.stem.split("__")[0], "angles": angles})
    return rows


def perturbed_table(rows: list[dict]) -> str:
    lines = [f"{'candidate':16s} {'source':12s} {'photos':>6s} {'median SD':>9s} "
             f"{'max SD':>7s}  per photo: SD over the pictures where defined (of 6)"]
    for cand in CANDIDATES:
        for src in [*sorted({r["source"] for r in rows}), "all"]:
            sds = {r["name"].split("__")[-1]: sd(r["angles"][cand]) for r in rows
                   if src in ("all", r["source"]) and len(r["angles"].get(cand, [])) >= 3}
            defined = {r["name"].split("__")[-1]: len(r["angles"].get(cand, [])) for r in rows}
            v = [x for x in sds.values() if x is not None]
            lines.append(
                f"{cand:16s} {src:12s} {len(v):6d} "
                f"{fmt(float(np.median(v)) if v else None):>9s} {fmt(max(v) if v else None):>7s}"
                + ("  " + ", ".join(f"{k} {x:.1f} ({defined[k]}/6)" for k, x in sds.items())
                   if src != "all" and len(sds) <= 11 else ""))
        lines.append("")
    return "\n".join(lines)


def scene_rows(count: int, seed: int) -> list[dict]:
    """`count` generated scenes measured by the detector: candidates and true angle."""
    from scene_generator import generate_scene, scene_seeds

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for s in scene_seeds(count, seed):
            scene = generate_scene(s)
            path = Path(tmp) / f"{s}.jpg"
            path.write_bytes(scene.jpeg)
            res = measure_file(path, View.DORSAL)
            t = scene.truth
            true = compute_measures(View.DORSAL, t.landmarks, foot_of(t.source),
                                    res.calibration)
            rows.append({"seed": s, "source": t.source, "group": t.group,
                         "status": str(res.status), "angles": candidate_angles(res),
                         "truth": true.get("hallux_angle")})
    return rows


FAR_DEG = 5.0  # a scene this far from its foot's median angle is counted apart (deg)


def robust_sd(values: list[float]) -> float:
    """1.4826 x the median absolute deviation: the SD of the bulk, blind to a few wild
    values (a toe row read wrong), which `far` counts instead."""
    return 1.4826 * float(np.median(np.abs(np.asarray(values) - np.median(values))))


def same_foot_spread(rows: list[dict], cand: str, foot_key: str
                     ) -> tuple[dict, float | None, float | None]:
    """A candidate's angles grouped by foot (`foot_key` of the rows), their pooled SD and
    their pooled robust SD (feet with at least 3 angles)."""
    by_foot: dict = {}
    for r in rows:
        if cand in r["angles"]:
            by_foot.setdefault(r[foot_key], []).append(r["angles"][cand])
    psd, _ = pooled_sd(list(by_foot.values()))
    groups = [g for g in by_foot.values() if len(g) >= 3]
    rsd = float(np.sqrt(np.mean([robust_sd(g) ** 2 for g in groups]))) if groups else None
    return by_foot, psd, rsd


def scene_table(rows: list[dict]) -> str:
    """Per source group, over the scenes footlog gives a number for (not `failed`)."""
    lines = [f"{'candidate':16s} {'source':12s} {'defined':>8s} {'same-foot SD':>12s} "
             f"{'robust SD':>9s} {'far':>7s} {'truth diff mean':>15s} {'|diff| median':>13s}"]
    for cand in CANDIDATES:
        for grp in [*sorted({r["group"] for r in rows}), "all"]:
            rs = [r for r in rows if grp in ("all", r["group"]) and r["status"] != "failed"]
            by_foot, psd, rsd = same_foot_spread(rs, cand, "source")
            far = sum(int(np.sum(np.abs(np.asarray(g) - np.median(g)) > FAR_DEG))
                      for g in by_foot.values())
            n = sum(len(g) for g in by_foot.values())
            d = [r["angles"][cand] - r["truth"] for r in rs
                 if cand in r["angles"] and r["truth"] is not None]
            lines.append(
                f"{cand:16s} {grp:12s} {n:>3d}/{len(rs):<4d} {fmt(psd):>12s} {fmt(rsd):>9s} "
                f"{far:>3d}/{n:<3d} {fmt(float(np.mean(d)) if d else None):>15s} "
                f"{fmt(float(np.median(np.abs(d))) if d else None):>13s}")
        lines.append("")
    return "\n".join(lines)


def synthetic_rows(feet: int, poses: int) -> list[dict]:
    """Generated feet with exact geometry (tests/synthetic_feet.py: a heel, a leg on 3 of
    4), each under `poses` camera poses; truth by the heel line and by the window."""
    from synthetic_feet import make_foot

    from footlog.analysis.dorsal import measure_dorsal

    rows = []
    for seed in range(1000, 1000 + feet):
        for pose in range(poses):
            f = make_foot(seed, pose_seed=pose)
            res = measure_dorsal(f.image, 1.0, stability=False)
            rows.append({"seed": seed, "pose": pose, "leg": bool(f.params["leg"]),
                         "status": str(res.status), "angles": candidate_angles(res),
                         "truth": {"heel_tangent": f.heel_measures["hallux_angle"],
                                   "refined_window": f.measures["hallux_angle"]}})
    return rows


def synthetic_table(rows: list[dict]) -> str:
    """Per candidate, over the poses footlog gives a number for: the pooled SD over the
    poses of one foot, and the error against the truth of its own definition."""
    lines = [f"{'candidate':16s} {'feet':10s} {'defined':>9s} {'same-foot SD':>12s} "
             f"{'robust SD':>9s} {'|err| median':>12s} {'|err| > 2':>9s}"]
    for cand in CANDIDATES:
        for kind in ("no leg", "leg", "all"):
            rs = [r for r in rows if r["status"] != "failed"
                  and kind in ("all", "leg" if r["leg"] else "no leg")]
            by_foot, psd, rsd = same_foot_spread(rs, cand, "seed")
            err = [abs(r["angles"][cand] - r["truth"][cand]) for r in rs
                   if cand in r["angles"] and cand in r["truth"]]
            n = sum(len(g) for g in by_foot.values())
            lines.append(
                f"{cand:16s} {kind:10s} {n:>4d}/{len(rs):<4d} {fmt(psd):>12s} {fmt(rsd):>9s} "
                f"{fmt(float(np.median(err)) if err else None):>12s} "
                f"{sum(e > 2 for e in err) if err else '-':>9}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=Path, default=ROOT / "tests/data/photos")
    ap.add_argument("--scenes", type=int, default=60, help="generated scenes (0: none)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--synthetic", type=int, default=20, help="synthetic feet (0: none)")
    ap.add_argument("--poses", type=int, default=10, help="camera poses per synthetic foot")
    ap.add_argument("--no-perturb", dest="perturb", action="store_false",
                    help="skip the perturbed photos")
    ap.add_argument("--json", type=Path, help="write every photo's and scene's angles")
    args = ap.parse_args(argv)
    photos = photo_rows(args.photos)
    print("=== photos (detector), hallux angle by each proximal line, deg ===")
    print(photo_table(photos))
    perturbed = perturbed_rows(args.photos) if args.perturb else []
    if perturbed:
        print("\n=== the same photos perturbed: SD of each candidate over 6 pictures, deg ===")
        print(perturbed_table(perturbed))
    synthetic = synthetic_rows(args.synthetic, args.poses) if args.synthetic else []
    if synthetic:
        print(f"\n=== {args.synthetic} synthetic feet x {args.poses} camera poses (detector) ===")
        print(synthetic_table(synthetic))
    scenes = scene_rows(args.scenes, args.seed) if args.scenes else []
    if scenes:
        print(f"\n=== {len(scenes)} generated scenes (detector) ===")
        print(scene_table(scenes))
    if args.json:
        args.json.write_text(json.dumps({"photos": photos, "perturbed": perturbed,
                                               "synthetic": synthetic, "scenes": scenes}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
