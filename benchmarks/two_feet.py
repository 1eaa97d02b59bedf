"""How well footlog finds both feet in one photo: against outlines drawn by hand, and on
generated scenes of both feet standing side by side against their exact truth.

    python benchmarks/two_feet.py [PHOTO_OR_FOLDER ...]
    python benchmarks/two_feet.py --scenes N [--seed S]

Each photo needs `<photo>.json` with `feet`: [{"side": "left"|"right", "outline": [[x, y],
...]}] (tests/data/photos/hard/RafiansyahDS__* by default). Per photo and per source (the
part of the name before "__"): whether two feet were found, the side given to the region
found for each drawn foot, and its overlap with the drawn foot. The regions found hold the
leg as well as the foot, so the overlap is measured within the drawn foot's bounding box
(`iou_box`) and as the share of the drawn foot covered (`recall`).

On scenes (tests/scene_generator/two_feet.py: a foot of tests/data/photos and its mirror
image, on a page or the bare floor), per source and with / without a page: two feet found,
split right (each region holds 90 % of its foot's true landmarks and at most 10 % of the
other's), sides right by position (and as the toes then said, "toes"), the IoU of each
region with its foot's true mask (foot and leg: a region on a page holds the foot without
its leg, so this IoU is low there by design), and the landmarks each foot gets when
measured alone against its true landmarks (benchmarks/scene_landmarks.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import scene_landmarks
from scenes import TIMING_MP, enlarged

from footlog.analysis.two_feet import find_feet, polygon_mask
from footlog.domain.views import Foot, View
from footlog.imaging.camera_focal import read_focal_length_px
from footlog.imaging.photo_io import read_reduced
from footlog.measuring import ANALYSIS_MAX_SIDE, measure_feet

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "photos" / "hard"


def score(photo: Path) -> dict:
    """One photo's figures (see the module's docstring)."""
    feet = json.loads(photo.with_name(photo.name + ".json").read_text())["feet"]
    reduced = read_reduced(photo, ANALYSIS_MAX_SIDE)
    found = find_feet(reduced.pixels, reduced.scale)
    shape = reduced.pixels.shape[:2]
    masks = [polygon_mask(r.polygon, shape, reduced.scale) for r in found.feet]
    per_foot = []
    for drawn in feet:
        truth = polygon_mask(np.asarray(drawn["outline"], float), shape, reduced.scale)
        ys, xs = np.nonzero(truth)
        box = np.zeros_like(truth)
        box[ys.min():ys.max() + 1, xs.min():xs.max() + 1] = 1
        best = max(range(len(masks)), key=lambda i: (masks[i] & truth).sum(), default=None)
        if best is None or not (masks[best] & truth).any():
            per_foot.append({"side": drawn["side"], "found": None, "iou_box": 0.0,
                             "recall": 0.0})
            continue
        m = masks[best] & box
        per_foot.append({
            "side": drawn["side"], "found": str(found.feet[best].side), "region": best,
            "iou_box": float((m & truth).sum() / (m | truth).sum()),
            "recall": float((masks[best] & truth).sum() / truth.sum())})
    split = found.two and len({f.get("region") for f in per_foot}) == 2
    return {"photo": photo.name, "two_found": found.two, "how": found.how,
            "split_right": bool(split),
            "sides_right": bool(split and all(f["found"] == f["side"] for f in per_foot)),
            "feet": per_foot}


NEAR = 0.01  # share of the long side: landmarks on a foot's outline count as on its region
MIN_OWN = 0.9  # a region holds its foot when it holds this share of its landmarks


def _holds(mask: np.ndarray, points) -> float:
    """Share of `points` (px) on `mask` grown by NEAR of its long side."""
    h, w = mask.shape
    r = max(1, round(NEAR * max(h, w)))
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8))
    return float(np.mean([grown[min(int(y), h - 1), min(int(x), w - 1)] for x, y in points]))


def score_scene(scene, folder: Path) -> dict:
    """One two-feet scene's figures (see the module's docstring). Each true foot is
    matched with the region holding most of its landmarks; the split is right when each
    region holds MIN_OWN of its foot's landmarks and at most 1 - MIN_OWN of the other's."""
    path = folder / "scene.jpg"
    # As benchmarks/scenes.py measures one foot: the scene re-encoded as a phone's 12 MP
    # photo (the detector reads its sizes in the photo's own px).
    kx, ky = enlarged(scene.jpeg, TIMING_MP, path)
    reduced = read_reduced(path, ANALYSIS_MAX_SIDE)
    shape = reduced.pixels.shape[:2]
    k = shape[1] / scene.size[0]  # reduced px per scene px
    results = measure_feet(reduced.pixels, reduced.scale, View.DORSAL, Foot.UNKNOWN,
                           read_focal_length_px(path))
    regions = [polygon_mask(np.asarray(r.extras["region"]), shape, reduced.scale)
               for r in results if "region" in r.extras]
    feet = []
    for truth in scene.feet:
        marks = [(x * k, y * k) for x, y in truth.landmarks.values()]
        small = cv2.resize(truth.mask.astype(np.uint8), (shape[1], shape[0]),
                           interpolation=cv2.INTER_AREA) > 0
        best = max(range(len(regions)), key=lambda i: _holds(regions[i], marks), default=None)
        row = {"side": truth.side, "region": best, "iou": 0.0, "found": None, "marks": None,
               "measured_as": None, "own": 0.0, "other": 0.0}
        if best is not None:
            m = regions[best] > 0
            other = next(t for t in scene.feet if t is not truth)
            row["own"] = _holds(regions[best], marks)
            row["other"] = _holds(regions[best], [(x * k, y * k) for x, y
                                                  in other.landmarks.values()])
            row["iou"] = float((m & small).sum() / (m | small).sum())
            row["found"] = results[best].extras.get("side_by_position")
            row["measured_as"] = str(results[best].foot)
            row["marks"] = scene_landmarks.score_landmarks(
                results[best], truth.landmarks, scene.source, (kx, ky), Foot(truth.side))
        feet.append(row)
    split = (len(regions) == 2 and len({f["region"] for f in feet}) == 2
             and all(f["own"] >= MIN_OWN and f["other"] <= 1 - MIN_OWN for f in feet))
    return {"two_found": len(regions) == 2, "split_right": split,
            "sides_right": split and all(f["found"] == f["side"] for f in feet),
            "measured_right": split and all(f["measured_as"] == f["side"] for f in feet),
            "feet": feet, "group": scene.group, "page": scene.paper is not None}


def run_scenes(count: int, seed: int) -> int:
    from scene_generator.two_feet import generate_two_feet_scenes

    groups: dict[str, list[dict]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for i, scene in enumerate(generate_two_feet_scenes(count, seed)):
            s = score_scene(scene, Path(tmp))
            groups[s["group"]].append(s)
            groups["page" if s["page"] else "no page"].append(s)
            groups["all"].append(s)
            feet = "  ".join(f"{f['side']}: found {f['found']} (measured as"
                             f" {f['measured_as']}), iou {f['iou']:.2f}" for f in s["feet"])
            print(f"scene {i:3d} {scene.source[:26]:<26} {scene.paper or 'no page':<7} "
                  f"{scene.floor:<12} two={s['two_found']!s:<5} {feet}", flush=True)
    print(f"\n{'group':<12} {'scenes':>6} {'two':>4} {'split':>5} {'sides':>5} "
          f"{'toes':>5} {'med IoU':>7}")
    marks: dict[str, dict] = {}
    for name, rows in groups.items():
        feet = [f for r in rows for f in r["feet"]]
        print(f"{name:<12} {len(rows):6d} {sum(r['two_found'] for r in rows):4d} "
              f"{sum(r['split_right'] for r in rows):5d} {sum(r['sides_right'] for r in rows):5d}"
              f" {sum(r['measured_right'] for r in rows):5d}"
              f" {np.median([f['iou'] for f in feet]):7.2f}")
        scored = [f["marks"] for r in rows if r["split_right"] for f in r["feet"]]
        if scored:
            marks[name] = scene_landmarks.summary(scored)
    print("\nEach foot of the scenes split right, measured alone:")
    print(scene_landmarks.table({"feet": marks}))
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--scenes", type=int, default=0, help="generated scenes to score")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.scenes:
        return run_scenes(args.scenes, args.seed)
    paths = args.paths or [DEFAULT]
    photos = sorted(p for a in paths for p in ([a] if a.is_file() else a.iterdir())
                    if p.suffix.lower() in (".jpg", ".jpeg", ".png")
                    and p.with_name(p.name + ".json").exists()
                    and "feet" in json.loads(p.with_name(p.name + ".json").read_text()))
    by_source: dict[str, list[dict]] = defaultdict(list)
    for photo in photos:
        s = score(photo)
        by_source[photo.name.split("__")[0]].append(s)
        feet = "  ".join(f"{f['side']}: found {f['found']}, iou_box {f['iou_box']:.2f},"
                         f" recall {f['recall']:.2f}" for f in s["feet"])
        print(f"{s['photo'][:40]:<40} two={s['two_found']!s:<5} {s['how']:<6} {feet}")
    for source, rows in by_source.items():
        feet = [f for r in rows for f in r["feet"]]
        print(f"\n{source}: {len(rows)} photos; two feet found {sum(r['two_found'] for r in rows)},"
              f" split right {sum(r['split_right'] for r in rows)}, left/right right"
              f" {sum(r['sides_right'] for r in rows)}; per drawn foot: median iou_box"
              f" {np.median([f['iou_box'] for f in feet]):.2f}, median recall"
              f" {np.median([f['recall'] for f in feet]):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
