"""Cut the foot and leg out of each dorsal photo in tests/data/photos (run by hand).

Usage: .venv/bin/python tests/scene_generator/make_cutouts.py [--overlays DIR] [NAME...]

Writes `tests/data/cutouts/<photo stem>.png`: a 1-bit mask of the person's foot and leg
(skin and clothes; not the shadow, the paper between the toes or anything else), at the
size `footlog.imaging.photo_io.read_reduced(photo, MASK_SIDE)` decodes the photo to.

How: GrabCut on that picture, seeded with
- sure foot: footlog's own foot segmentation on the page, shrunk, minus anything that is
  paper-coloured (the page shows between the toes);
- probable foot: that segmentation, and a polygon drawn by hand around the leg where it
  leaves the page (`LEG` below, fractions of the photo's width and height);
- sure background: paper-coloured pixels on the page, polygons drawn by hand around other
  things (the other foot, shoes: `EXCLUDE`), and everything far from the probable foot.
Each mask was then drawn over its photo (`--overlays`) and looked at; the polygons are
those that made every mask right.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from footlog.analysis.segmentation import Segmentation, segment_foot  # noqa: E402
from footlog.imaging.calibration_paper import find_paper  # noqa: E402
from footlog.imaging.photo_io import read_reduced  # noqa: E402
from scene_generator.cutouts import CUTOUT_DIR, MASK_SIDE, PHOTO_DIR, SOURCES  # noqa: E402

Polygon = list[tuple[float, float]]

# The leg where it leaves the page, drawn generously (fractions of width, height).
LEG: dict[str, Polygon] = {
    "16i-nathan__11cc7b7caadb_0": [(0.22, 0.64), (0.35, 0.6), (0.52, 0.61), (0.62, 0.7),
                                   (0.72, 0.85), (0.76, 1.0), (0.18, 1.0), (0.2, 0.8)],
    "16i-nathan__3c49c53b8776_0": [(0.3, 0.8), (0.64, 0.8), (0.64, 0.93), (0.612, 0.945),
                                   (0.607, 1.0), (0.31, 1.0)],
    "ala-jaidi__1": [(0.4, 0.7), (0.73, 0.7), (0.745, 0.76), (0.78, 0.8), (0.82, 0.86),
                     (0.86, 0.9), (0.9, 0.97), (0.92, 1.0), (0.47, 1.0), (0.46, 0.94),
                     (0.45, 0.86), (0.42, 0.78)],
    "ala-jaidi__2": [(0.0, 0.805), (0.1, 0.785), (0.17, 0.74), (0.2, 0.68), (0.58, 0.68),
                     (0.58, 0.8), (0.5, 0.87), (0.43, 0.92), (0.41, 1.0), (0.0, 1.0)],
    "ala-jaidi__3": [(0.5, 0.6), (0.68, 0.6), (0.73, 0.66), (0.8, 0.71), (0.88, 0.76),
                     (0.95, 0.83), (1.0, 0.86), (1.0, 1.0), (0.66, 1.0), (0.62, 0.93),
                     (0.55, 0.87), (0.5, 0.85)],
    "ala-jaidi__aaa": [(0.39, 0.78), (0.66, 0.78), (0.65, 0.85), (0.645, 0.9), (0.64, 0.95),
                       (0.625, 1.0), (0.385, 1.0)],
    "ala-jaidi__av": [(0.45, 0.72), (0.76, 0.72), (0.74, 0.8), (0.745, 0.88), (0.72, 0.95),
                      (0.7, 1.0), (0.35, 1.0), (0.37, 0.95), (0.4, 0.86), (0.45, 0.78)],
    "ala-jaidi__bbb": [(0.0, 0.66), (0.1, 0.645), (0.19, 0.615), (0.27, 0.57), (0.32, 0.5),
                       (0.45, 0.5), (0.57, 0.72), (0.5, 0.755), (0.4, 0.78), (0.3, 0.81),
                       (0.2, 0.87), (0.1, 0.93), (0.03, 0.965), (0.0, 0.965)],
    "ala-jaidi__dd": [(0.0, 0.557), (0.05, 0.55), (0.09, 0.54), (0.2, 0.52), (0.35, 0.6),
                      (0.42, 0.66), (0.38, 0.71), (0.3, 0.733), (0.0, 0.737)],
    "ala-jaidi__r": [(0.0, 0.68), (0.1, 0.665), (0.15, 0.64), (0.2, 0.58), (0.3, 0.55),
                     (0.5, 0.75), (0.5, 0.83), (0.4, 0.86), (0.32, 0.878), (0.2, 0.9),
                     (0.19, 1.0), (0.0, 1.0)],
    "ala-jaidi__t": [(0.375, 0.72), (0.63, 0.72), (0.64, 0.82), (0.665, 0.88), (0.69, 0.95),
                     (0.7, 1.0), (0.37, 1.0)],
    "ala-jaidi__tt": [(0.0, 0.72), (0.2, 0.695), (0.3, 0.665), (0.45, 0.6), (0.58, 0.7),
                      (0.54, 0.78), (0.5, 0.84), (0.47, 0.9), (0.45, 0.97), (0.44, 1.0),
                      (0.0, 1.0)],
    "wildoctopus__barefeet1": [(0.385, 0.0), (0.54, 0.0), (0.545, 0.06), (0.385, 0.06)],
}
# Things that are not this foot: the other foot at the frame's edge, shoes.
EXCLUDE: dict[str, list[Polygon]] = {
    "16i-nathan__11cc7b7caadb_0": [[(0.0, 0.82), (0.17, 0.82), (0.2, 1.0), (0.0, 1.0)],
                                   [(0.8, 0.78), (1.0, 0.75), (1.0, 1.0), (0.78, 1.0)]],
    "ala-jaidi__aaa": [[(0.0, 0.6), (0.08, 0.6), (0.08, 1.0), (0.0, 1.0)]],
    "ala-jaidi__bbb": [[(0.0, 0.28), (0.035, 0.28), (0.035, 0.645), (0.0, 0.655)]],
    "ala-jaidi__dd": [[(0.7, 0.35), (1.0, 0.3), (1.0, 0.75), (0.7, 0.72)],
                      [(0.0, 0.85), (0.08, 0.85), (0.08, 1.0), (0.0, 1.0)]],
    "ala-jaidi__r": [[(0.0, 0.58), (0.12, 0.58), (0.14, 0.63), (0.08, 0.655), (0.0, 0.668)]],
    "ala-jaidi__t": [[(0.0, 0.55), (0.06, 0.55), (0.07, 1.0), (0.0, 1.0)]],
}


def _fill(shape: tuple[int, int], polygons: list[Polygon]) -> np.ndarray:
    h, w = shape
    out = np.zeros((h, w), np.uint8)
    for poly in polygons:
        pts = np.round(np.array(poly) * [w, h]).astype(np.int32)
        cv2.fillPoly(out, [pts], 1)
    return out


def cut_out(stem: str, rgb: np.ndarray) -> np.ndarray:
    """The 0/1 mask of the foot and leg in `rgb` (the photo at MASK_SIDE px)."""
    h, w = rgb.shape[:2]
    f = 640 / max(h, w)
    small = cv2.resize(rgb, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    fit = find_paper(small)  # the page, as footlog finds it, tells the foot from the paper
    seg = segment_foot(small, None if fit is None else fit.quad)
    foot = cv2.resize(seg.mask, (w, h), interpolation=cv2.INTER_NEAREST)
    r = max(3, round(0.012 * max(h, w)))
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1,) * 2)
    leg = _fill((h, w), [LEG[stem]])
    probable = foot | leg
    gc = np.full((h, w), cv2.GC_BGD, np.uint8)
    gc[cv2.dilate(probable, disc) > 0] = cv2.GC_PR_BGD
    gc[probable > 0] = cv2.GC_PR_FGD
    gc[cv2.erode(foot, disc) > 0] = cv2.GC_FGD
    gc[cv2.erode(leg, disc, iterations=2) > 0] = cv2.GC_FGD
    paper = _paper_coloured(rgb, seg)
    gc[paper > 0] = cv2.GC_BGD
    gc[_fill((h, w), EXCLUDE.get(stem, [])) > 0] = cv2.GC_BGD
    bgd, fgd = np.zeros((1, 65)), np.zeros((1, 65))
    cv2.setRNGSeed(0)  # GrabCut starts from k-means on OpenCV's own generator
    cv2.grabCut(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), gc, None, bgd, fgd, 6,
                cv2.GC_INIT_WITH_MASK)
    mask = ((gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD)).astype(np.uint8)
    # Holes inside the foot are skin GrabCut doubted; the page seen between two toes that
    # touch at their tips is a hole too, and is taken out again.
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    mask = np.zeros_like(mask)
    cv2.drawContours(mask, contours, -1, 1, thickness=cv2.FILLED)
    mask &= 1 - paper
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, k)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return (labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))).astype(np.uint8)


def _paper_coloured(rgb: np.ndarray, seg: Segmentation) -> np.ndarray:
    """0/1: pixels near the page with the page's colour, lit or in shadow (a shadow
    darkens the paper but keeps its chroma; skin is redder, clothes darker)."""
    h, w = rgb.shape[:2]
    out = np.zeros((h, w), np.uint8)
    if seg.paper_lab is None or seg.paper_hull is None:
        return out
    lab = cv2.cvtColor(cv2.GaussianBlur(rgb, (5, 5), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
    lp, ap, bp = seg.paper_lab
    near = np.zeros((h, w), np.uint8)
    hull = np.round(seg.paper_hull * (max(h, w) / 640)).astype(np.int32)
    cv2.fillPoly(near, [hull], 1)
    near = cv2.dilate(near, np.ones((31, 31), np.uint8))
    paper = ((lab[..., 0] > 0.4 * lp) & (np.abs(lab[..., 1] - 128 - ap) < 4)
             & (np.abs(lab[..., 2] - 128 - bp) < 6) & (near > 0))
    return paper.astype(np.uint8)


def overlay(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The mask's outline (red) and a tint (blue) over the photo, for looking at."""
    out = rgb.copy()
    on = mask > 0
    out[on] = (0.6 * out[on] + [0, 0, 100]).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    cv2.drawContours(out, contours, -1, (255, 0, 0), 1)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="photo stems (default: all)")
    ap.add_argument("--overlays", type=Path, help="also write each mask over its photo here")
    args = ap.parse_args(argv)
    for stem, file_name in SOURCES.items():
        if args.names and stem not in args.names:
            continue
        rgb = read_reduced(PHOTO_DIR / file_name, MASK_SIDE).pixels
        mask = cut_out(stem, rgb)
        Image.fromarray(mask * 255).convert("1").save(CUTOUT_DIR / f"{stem}.png", optimize=True)
        if args.overlays:
            args.overlays.mkdir(parents=True, exist_ok=True)
            Image.fromarray(overlay(rgb, mask)).save(args.overlays / f"{stem}.png")
        print(f"{stem}: {mask.mean():.1%} of the photo", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
