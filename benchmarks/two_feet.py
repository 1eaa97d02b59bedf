"""How well footlog finds both feet in one photo, against outlines drawn by hand.

    python benchmarks/two_feet.py [PHOTO_OR_FOLDER ...]

Each photo needs `<photo>.json` with `feet`: [{"side": "left"|"right", "outline": [[x, y],
...]}] (tests/data/photos/hard/RafiansyahDS__* by default). Per photo and per source (the
part of the name before "__"): whether two feet were found, the side given to the region
found for each drawn foot, and its overlap with the drawn foot. The regions found hold the
leg as well as the foot, so the overlap is measured within the drawn foot's bounding box
(`iou_box`) and as the share of the drawn foot covered (`recall`).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from footlog.analysis.two_feet import find_feet, polygon_mask
from footlog.imaging.photo_io import read_reduced
from footlog.measuring import ANALYSIS_MAX_SIDE

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


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [DEFAULT]
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
