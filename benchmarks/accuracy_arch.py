"""Accuracy of the medial and plantar detectors.

Usage: .venv/bin/python benchmarks/accuracy_arch.py [--photos DIR] [--out DIR] [--no-draw]

1. Real medial photos (every photo with a reference `<name>.json` whose view is `medial`, in
   tests/data/photos and --photos DIR): per photo the status, each landmark's error in px
   (full resolution) next to the reference's own uncertainty, and the errors of
   arch_height_index and arch_height_ratio (target < 0.02).
2. Synthetic side views (tests/synthetic_side.py): the same errors against exact truth; then
   cluttered ones (a dark shadow under the arch, a floor strip behind the heel).
3. Synthetic prints (tests/synthetic_prints.py): arch index error (target < 0.01) and the
   width indices, over a range of arch shapes and rotations.
Overlays go to --out (default benchmarks/out/): outline, floor line, detected landmarks
(red), reference (cyan).
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

from synthetic_prints import PrintSpec, make_print, true_indices  # noqa: E402
from synthetic_side import SideSpec, make_side  # noqa: E402

from footlog.analysis.medial import measure_medial  # noqa: E402
from footlog.analysis.plantar import measure_plantar  # noqa: E402
from footlog.domain.results import MeasureResult  # noqa: E402
from footlog.imaging.photo_io import read_reduced  # noqa: E402
from footlog.measuring import ANALYSIS_MAX_SIDE  # noqa: E402

MEDIAL_MEASURES = ("arch_height_index", "arch_height_ratio")
SIDE_CASES = [
    SideSpec(),
    SideSpec(tilt_deg=6.5),
    SideSpec(tilt_deg=-8, toes_right=False, apex=0.09, dorsum=0.33),
    SideSpec(floor="paper", tilt_deg=3, apex=0.03, dorsum=0.27),
    SideSpec(floor="paper", toes_right=False, tilt_deg=-4, apex=0.09, dorsum=0.33, seed=3),
    SideSpec(tilt_deg=10, apex=0.045, dorsum=0.28, seed=5),
]
# Like ala-jaidi__l: a dark shadow under the arch and an orange floor strip behind the heel.
CLUTTER_CASES = [
    SideSpec(floor="paper", clutter=True),
    SideSpec(floor="paper", clutter=True, toes_right=False, tilt_deg=-4, apex=0.09,
             dorsum=0.33, seed=3),
    SideSpec(clutter=True, tilt_deg=5),
]
PRINT_CASES = [PrintSpec(mid_width=mw, angle_deg=ang, right=r, seed=i)
               for i, (mw, ang, r) in enumerate([(0, 0, True), (10, -60, True), (20, 10, True),
                                                 (40, -30, False), (55, 170, False),
                                                 (70, 45, True), (85, 90, False)])]


def draw(rgb: np.ndarray, res: MeasureResult, scale: float, ref: dict | None, path: Path) -> None:
    """Overlay of a result on the reduced picture (`scale`: full px per picture px)."""
    im = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR).copy()

    def p(v: tuple[float, float]) -> tuple[int, int]:
        return round(v[0] / scale), round(v[1] / scale)

    outline = res.outline
    if outline:
        cv2.polylines(im, [np.array([p(v) for v in outline], np.int32)], True, (0, 255, 0), 1)
    if "floor_line" in res.extras:
        a, b = (np.array(p(v), float) for v in res.extras["floor_line"])
        d = (b - a) / max(np.linalg.norm(b - a), 1e-9)
        cv2.line(im, tuple((a - 300 * d).astype(int)), tuple((b + 300 * d).astype(int)),
                 (0, 200, 255), 1)
    pl = res.extras.get("plantar")
    if pl:
        cv2.line(im, p(pl["axis"][0]), p(pl["axis"][1]), (255, 0, 255), 1)
        for a, b in pl["thirds_lines"]:
            cv2.line(im, p(a), p(b), (255, 160, 0), 1)
    for name, v in res.landmarks.items():
        if name.startswith("print_"):
            continue
        cv2.circle(im, p(v), 4, (0, 0, 255), 1)
        cv2.putText(im, name, (p(v)[0] + 5, p(v)[1] - 4), cv2.FONT_HERSHEY_PLAIN, 0.8,
                    (0, 0, 255), 1)
    for v in (ref or {}).values():
        cv2.circle(im, p(v), 6, (255, 255, 0), 1)
    txt = f"{res.status}  " + "  ".join(f"{k}={v:.3f}" for k, v in res.measures.items()
                                        if not k.startswith("print"))
    cv2.putText(im, txt, (8, 18), cv2.FONT_HERSHEY_PLAIN, 1.0, (255, 255, 255), 2)
    cv2.putText(im, txt, (8, 18), cv2.FONT_HERSHEY_PLAIN, 1.0, (0, 0, 0), 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), im)


def real_medial(folders: list[Path], out: Path | None) -> list[float]:
    errors: list[float] = []
    print("== real medial photos (landmark error px full-res / reference uncertainty px)")
    for folder in folders:
        for ref_path in sorted(folder.glob("*.json")):
            ref = json.loads(ref_path.read_text())
            if ref.get("view") != "medial":
                continue
            photo = ref_path.with_suffix("")
            red = read_reduced(photo, ANALYSIS_MAX_SIDE)
            res = measure_medial(red.pixels, red.scale)
            print(f"{photo.name}: {res.status}, {res.seconds * 1000:.0f} ms")
            for w in res.warnings:
                print(f"    ! {w}")
            unc = ref.get("uncertainty_px", {})
            for name, v in ref["landmarks"].items():
                got = res.landmarks.get(name)
                e = "  -- " if got is None else f"{np.hypot(got[0] - v[0], got[1] - v[1]):5.0f}"
                print(f"    {name:10s} {e} / {unc.get(name, '?')}")
            for m in MEDIAL_MEASURES:
                got, want = res.measures.get(m), ref["measures"].get(m)
                if got is None or want is None:
                    print(f"    {m:18s} missing")
                    continue
                errors.append(abs(got - want))
                print(f"    {m:18s} {got:.4f} ref {want:.4f} error {got - want:+.4f}")
            if out is not None:
                draw(red.pixels, res, red.scale, ref["landmarks"], out / f"arch_{photo.stem}.png")
    return errors


def synthetic_sides(out: Path | None, cases: list[SideSpec], tag: str = "side") -> list[float]:
    errors: list[float] = []
    print(f"== synthetic {tag} views (errors vs exact truth)")
    for i, sp in enumerate(cases):
        s = make_side(sp)
        res = measure_medial(s.rgb, 1.0)
        errs = {m: res.measures.get(m, np.nan) - s.measures[m] for m in MEDIAL_MEASURES}
        errors += [abs(e) for e in errs.values()]
        lm = {k: np.hypot(*(np.array(res.landmarks[k]) - v))
              for k, v in s.landmarks.items() if k in res.landmarks}
        print(f"{tag} {i} ({sp.floor}, tilt {sp.tilt_deg:+.1f}, toes "
              f"{'right' if sp.toes_right else 'left'}): {res.status}  "
              + "  ".join(f"{k} {v:+.4f}" for k, v in errs.items())
              + "  | worst landmark " + max(lm, key=lm.get) + f" {max(lm.values()):.0f} px")
        if out is not None:
            draw(s.rgb, res, 1.0, s.landmarks, out / f"arch_{tag}_{i}.png")
    return errors


def synthetic_prints(out: Path | None) -> list[float]:
    errors: list[float] = []
    print("== synthetic prints (arch index exact by construction)")
    for i, sp in enumerate(PRINT_CASES):
        pr = make_print(sp)
        truth = true_indices(pr)
        res = measure_plantar(pr.rgb, 1.0)
        e = res.measures.get("arch_index", np.nan) - truth["arch_index"]
        errors.append(abs(e))
        csi = res.measures.get("chippaux_smirak_index", np.nan)
        print(f"print {i} (mid {sp.mid_width:.0f} px, {sp.angle_deg:+.0f} deg): {res.status}  "
              f"AI {res.measures.get('arch_index', np.nan):.4f} true {truth['arch_index']:.4f} "
              f"error {e:+.4f}  CSI {csi:.3f} true {truth['chippaux_smirak_index']:.3f}  "
              f"Clarke {res.measures.get('clarke_angle', np.nan):.1f} deg")
        if out is not None:
            draw(pr.rgb, res, 1.0, None, out / f"arch_print_{i}.png")
    return errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=Path, action="append", default=[])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/out")
    ap.add_argument("--no-draw", action="store_true")
    args = ap.parse_args(argv)
    out = None if args.no_draw else args.out
    real = real_medial([ROOT / "tests/data/photos", *args.photos], out)
    side = synthetic_sides(out, SIDE_CASES)
    clutter = synthetic_sides(out, CLUTTER_CASES, "clutter")
    prints = synthetic_prints(out)
    for name, errs, target in (("real medial", real, 0.02), ("synthetic side", side, 0.02),
                               ("synthetic side, cluttered", clutter, 0.02),
                               ("synthetic print AI", prints, 0.01)):
        if errs:
            print(f"{name}: max |error| {max(errs):.4f}, median {np.median(errs):.4f}"
                  f" (target < {target})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
