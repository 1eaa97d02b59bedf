"""Page finding and foot segmentation on generated scenes of real feet, against exact truth.

Usage: .venv/bin/python benchmarks/scenes.py [--count N] [--seed S] [--save DIR] [--json]
                                             [--megapixels MP] [--repeat R] [--timing-mp MP]

Each scene (a real foot and leg from tests/data/photos on a generated floor, on an A4 or
Letter page or none, seen by a phone from straight above to 50 degrees oblique: see
tests/scene_generator) is re-encoded as a 12 MP phone JPEG (its EXIF kept; --timing-mp)
and measured as footlog measures a photo: `footlog.measuring.measure_file(path,
View.DORSAL)`, whose calibration is the page found, and footlog's foot segmentation
(`segment_foot`, given that page) on the working picture the dorsal detector makes of the
same file.
Scores, in the scene's own px:

- page found: a page (A4, Letter or footlog's sheet) whose four corners lie within
  FOUND_WITHIN % of the page's diagonal of the true ones (mean distance, best matching
  order), among scenes where at least two corners show (in the picture, not under the
  foot or leg); a page returned farther off is a "wrong page";
- corner error: that mean distance, % of the page's diagonal, median over pages found;
- A4/Letter right: among pages found, the paper named right, on scenes whose JPEG tells
  the focal length (EXIF FocalLengthIn35mmFilm) and on those that do not;
- foot IoU: footlog's foot mask against the true foot-and-leg mask, both inside the true
  page (the whole picture on scenes without a page); median and 10th percentile;
- false pages: scenes without any page on which a page was returned;
- time: `measure_file` over one full decode of the same 12 MP JPEG (best of --repeat
  each), median and max.
Figures per floor kind, per source of the foot (ala-jaidi, 16i-nathan, wildoctopus), per
band of the step across the page's true edge (how plainly it shows against the floor, in
the grey the page is searched in: benchmarks/page_contrast.py) and in total. Then the
foot's landmarks against the scene's truth (benchmarks/scene_landmarks.py): all found,
`ok`, `ok` but an angle more than 6 degrees off, the median landmark error (% of the
forefoot width) and the angles' mean absolute errors, per floor, per source and in total.
`--save DIR` writes each scene's JPEG, an overlay of the truth (green) and of what footlog
found (red), and scenes.json with every scene's figures.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import scene_landmarks  # noqa: E402
from page_contrast import BANDS, band_of, page_edge_step  # noqa: E402
from scene_generator import FLOORS, Scene, generate_scene, scene_seeds  # noqa: E402
from scene_generator.cutouts import SOURCE_GROUPS  # noqa: E402
from speed import best_of  # noqa: E402

from footlog.analysis.dorsal import WORK_SIDE  # noqa: E402
from footlog.analysis.segmentation import segment_foot  # noqa: E402
from footlog.analysis.working_image import working_image  # noqa: E402
from footlog.domain.calibration import Calibration  # noqa: E402
from footlog.domain.views import View  # noqa: E402
from footlog.imaging.photo_io import read_reduced  # noqa: E402
from footlog.measuring import (  # noqa: E402
    ANALYSIS_MAX_SIDE,
    PAGE_METHODS,
    measure_file,
    page_corners,
)

FOUND_WITHIN = 5.0  # % of the page diagonal: a page farther off is another thing
# Each scene is measured re-encoded at 12 MP, the size the speed target is set at: at the
# scenes' own 1-2 MP a full decode costs a few ms and the ratio would mean nothing.
TIMING_MP = 12.0
# The targets of the page finder to come (scenes).
TARGETS = ("targets: page found >= 97 %, corner error <= 0.5 %, A4/Letter right >= 95 % with "
           "the focal length, IoU median >= 0.95 and p10 >= 0.88, no false page, "
           "time median <= 1.0 and max <= 1.5 (at 12 MP)")


@dataclass
class SceneScore:
    """One scene's truth in brief and what footlog made of it."""

    index: int
    seed: int
    floor: str
    source: str
    group: str
    paper: str | None
    visible_corners: int
    page_cut: bool
    exif_focal: bool
    tilt_deg: float
    method: str  # footlog's calibration method
    corner_error_pct: float | None  # mean corner distance, % of the page diagonal
    page_found: bool
    paper_right: bool | None  # None unless the page was found
    iou: float
    status: str
    edge_step: float | None  # the page's true edge step (page_contrast), None without one
    decode_ms: float
    measure_ms: float
    landmarks: scene_landmarks.LandmarkScore | None = None  # the foot's landmarks, scored

    @property
    def time_ratio(self) -> float:
        return self.measure_ms / self.decode_ms


def corner_error(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean distance (px) between 4 found corners and the 4 true ones, in the order that
    matches best (the same quad may start at any corner, either way round)."""
    found = np.asarray(found, float).reshape(4, 2)
    best = float("inf")
    for quad in (found, found[::-1]):
        for shift in range(4):
            d = np.linalg.norm(np.roll(quad, shift, axis=0) - truth, axis=1).mean()
            best = min(best, float(d))
    return best


def iou(found: np.ndarray, truth: np.ndarray, region: np.ndarray | None = None) -> float:
    """Intersection over union of two boolean masks, inside `region` when given (1.0 when
    both are empty there)."""
    if region is not None:
        found, truth = found & region, truth & region
    union = np.count_nonzero(found | truth)
    return 1.0 if union == 0 else np.count_nonzero(found & truth) / union


def polygon_mask(shape: tuple[int, int], quad: np.ndarray) -> np.ndarray:
    """Boolean mask of the pixels whose centres lie in the polygon (continuous px)."""
    out = np.zeros(shape, np.uint8)
    cv2.fillPoly(out, [np.round((np.asarray(quad) - 0.5) * 16).astype(np.int32)], 1,
                 shift=4)
    return out.astype(bool)


def footlog_mask(path: Path, size: tuple[int, int], calibration: Calibration | None
                 ) -> np.ndarray:
    """footlog's foot mask of the photo, as the dorsal detector segments it with the page
    that `calibration` (of `measure_file`) found, at `size`."""
    reduced = read_reduced(path, ANALYSIS_MAX_SIDE)
    img, f = working_image(reduced.pixels, reduced.scale, WORK_SIDE)
    page = page_corners(calibration)
    mask = segment_foot(img, None if page is None else page / f - 0.5).mask
    return cv2.resize(mask, size, interpolation=cv2.INTER_NEAREST).astype(bool)


def _decode(path: Path) -> None:
    with Image.open(path) as im:
        np.asarray(im.convert("RGB"))


def enlarged(jpeg: bytes, megapixels: float, path: Path) -> tuple[float, float]:
    """Write the scene re-encoded at ~`megapixels` (its own shape, quality 90, its EXIF
    kept), as a phone's photo of that size; returns the scale (x, y) from scene px."""
    with Image.open(io.BytesIO(jpeg)) as im:
        exif = im.info.get("exif", b"")
        k = (megapixels * 1e6 / (im.width * im.height)) ** 0.5
        size = (round(im.width * k), round(im.height * k))
        im.convert("RGB").resize(size, Image.Resampling.BICUBIC).save(path, quality=90,
                                                                      exif=exif)
        return size[0] / im.width, size[1] / im.height


def score(index: int, scene: Scene, folder: Path, repeat: int, timing_mp: float
          ) -> tuple[SceneScore, dict]:
    """Measure one scene (re-encoded at `timing_mp` megapixels unless 0); its score and
    what was found, in the scene's px (for drawing)."""
    truth = scene.truth
    path = folder / "scene.jpg"
    if timing_mp > 0:
        kx, ky = enlarged(scene.jpeg, timing_mp, path)
    else:
        path.write_bytes(scene.jpeg)
        kx = ky = 1.0
    t_decode, _ = best_of(lambda: _decode(path), repeat)
    t_measure, result = best_of(lambda: measure_file(path, View.DORSAL), repeat)
    cal = result.calibration
    method = "none" if cal is None else cal.method
    corners = None
    if cal is not None and method in PAGE_METHODS and cal.corners_px is not None:
        corners = np.asarray(cal.corners_px, float) / [kx, ky]
    err = None
    if corners is not None and truth.corners_px is not None:
        err = 100 * corner_error(corners, truth.corners_px) / truth.page_diagonal_px
    found = err is not None and err <= FOUND_WITHIN
    mask = footlog_mask(path, scene.size, result.calibration)
    region = None if truth.corners_px is None else polygon_mask(mask.shape, truth.corners_px)
    s = SceneScore(
        index=index, seed=scene.seed, floor=truth.floor, source=truth.source,
        group=truth.group, paper=truth.paper, visible_corners=truth.visible_corners,
        page_cut=truth.page_cut, exif_focal=truth.exif_focal,
        tilt_deg=round(truth.tilt_deg, 1), method=method,
        corner_error_pct=None if err is None else round(err, 3), page_found=found,
        paper_right=(method == truth.paper) if found else None,
        iou=round(iou(mask, truth.foot_mask, region), 4), status=str(result.status),
        edge_step=None if truth.corners_px is None else page_edge_step(
            scene.rgb, truth.corners_px, truth.foot_mask),
        landmarks=scene_landmarks.score_landmarks(result, truth.landmarks, truth.source,
                                                  (kx, ky)),
        decode_ms=round(t_decode * 1000, 2), measure_ms=round(t_measure * 1000, 2))
    return s, {"corners": None if corners is None else corners.tolist(), "mask": mask}


def summary(scores: list[SceneScore]) -> dict:
    """The figures of a group of scenes (see the module's docstring)."""
    with_page = [s for s in scores if s.paper is not None]
    shown = [s for s in with_page if s.visible_corners >= 2]
    found = [s for s in shown if s.page_found]
    errors = [s.corner_error_pct for s in with_page if s.page_found]
    no_page = [s for s in scores if s.paper is None]
    ious = [s.iou for s in scores]
    ratios = [s.time_ratio for s in scores]

    def paper_right(exif: bool) -> dict:
        named = [s for s in with_page if s.page_found and s.exif_focal == exif]
        right = sum(bool(s.paper_right) for s in named)
        return {"right": right, "of": len(named), "pct": _pct(right, len(named))}

    return {
        "scenes": len(scores),
        "with_page": len(with_page),
        "two_corners_shown": len(shown),
        "page_found": len(found),
        "page_found_pct": _pct(len(found), len(shown)),
        "wrong_page": sum(1 for s in shown if s.corner_error_pct is not None
                          and not s.page_found),
        "corner_error_median_pct": _median(errors),
        "paper_right_with_focal": paper_right(True),
        "paper_right_without_focal": paper_right(False),
        "iou_median": _median(ious),
        "iou_p10": None if not ious else round(float(np.percentile(ious, 10)), 4),
        "no_page_scenes": len(no_page),
        "false_pages": sum(1 for s in no_page if s.method in PAGE_METHODS),
        "time_ratio_median": _median(ratios),
        "time_ratio_max": None if not ratios else round(max(ratios), 3),
    }


def _pct(a: int, b: int) -> float | None:
    return None if b == 0 else round(100 * a / b, 1)


def _median(values: list) -> float | None:
    return None if not values else round(float(statistics.median(values)), 4)


def groups(scores: list[SceneScore]) -> dict[str, dict[str, dict]]:
    """Summaries per floor kind, per source, per band of the page's edge step (pages only:
    how plainly the page shows, `page_contrast`) and in total."""
    return {
        "floor": {f: summary([s for s in scores if s.floor == f]) for f in FLOORS},
        "source": {g: summary([s for s in scores if s.group == g]) for g in SOURCE_GROUPS},
        "edge": {name: summary([s for s in scores if band_of(s.edge_step) == name])
                 for _, _, name in BANDS},
        "total": {"all": summary(scores)},
    }


def landmark_groups(scores: list[SceneScore]) -> dict[str, dict[str, dict]]:
    """The landmark summaries (scene_landmarks) per floor kind, per source and in total."""
    def of(sel: list[SceneScore]) -> dict:
        return scene_landmarks.summary([s.landmarks for s in sel if s.landmarks is not None])

    return {
        "floor": {f: of([s for s in scores if s.floor == f]) for f in FLOORS},
        "source": {g: of([s for s in scores if s.group == g]) for g in SOURCE_GROUPS},
        "total": {"all": of(scores)},
    }


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table(by: dict[str, dict[str, dict]]) -> str:
    """The summaries as a text table."""
    head = (f"{'':16s} {'scenes':>6s} {'>=2 corners':>11s} {'found':>11s} {'wrong':>5s} "
            f"{'err med':>8s} {'A4/L w/ EXIF':>13s} {'A4/L no EXIF':>13s} {'IoU med':>7s} "
            f"{'IoU p10':>7s} {'false/no-page':>13s} {'t med':>5s} {'t max':>5s}")
    lines = [head]
    for kind in ("floor", "source", "edge", "total"):
        for name, m in by[kind].items():
            pct = _fmt(m["page_found_pct"], ".0f")
            found = f"{m['page_found']}/{m['two_corners_shown']} {pct}%"
            a, b = m["paper_right_with_focal"], m["paper_right_without_focal"]
            lines.append(
                f"{name:16s} {m['scenes']:6d} {m['two_corners_shown']:11d} {found:>11s} "
                f"{m['wrong_page']:5d} {_fmt(m['corner_error_median_pct'], '.2f'):>7s}% "
                f"{a['right']:>5d}/{a['of']:<3d}{_fmt(a['pct'], '.0f'):>4s}% "
                f"{b['right']:>5d}/{b['of']:<3d}{_fmt(b['pct'], '.0f'):>4s}% "
                f"{_fmt(m['iou_median'], '.3f'):>7s} {_fmt(m['iou_p10'], '.3f'):>7s} "
                f"{m['false_pages']:>6d}/{m['no_page_scenes']:<6d} "
                f"{_fmt(m['time_ratio_median'], '.2f'):>5s} {_fmt(m['time_ratio_max'], '.2f'):>5s}")
        lines.append("")
    return "\n".join(lines)


def overlay(scene: Scene, found: dict, s: SceneScore) -> Image.Image:
    """The scene with the truth in green (page, foot outline, landmarks) and what footlog
    found in red (page, foot mask outline), at most 1200 px."""
    img = scene.rgb.copy()
    truth = scene.truth
    thick = max(2, round(max(img.shape[:2]) / 500))
    for mask, colour in ((truth.foot_mask, (0, 220, 0)), (found["mask"], (255, 0, 0))):
        contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL,
                                       cv2.CHAIN_APPROX_NONE)
        cv2.drawContours(img, contours, -1, colour, thick)
    for quad, colour in ((truth.corners_px, (0, 220, 0)), (found["corners"], (255, 0, 0))):
        if quad is not None:
            pts = np.round((np.asarray(quad) - 0.5) * 16).astype(np.int32)
            cv2.polylines(img, [pts], True, colour, thick, cv2.LINE_AA, shift=4)
    for x, y in truth.landmarks.values():
        cv2.circle(img, (int(x), int(y)), thick + 2, (0, 220, 0), -1)
    out = Image.fromarray(img)
    out.thumbnail((1200, 1200))
    err = "-" if s.corner_error_pct is None else f"{s.corner_error_pct:.2f}%"
    ImageDraw.Draw(out).text(
        (6, 6), f"{s.floor} {s.source} paper {s.paper} -> {s.method} (corner error {err}) "
        f"IoU {s.iou:.3f} {s.status}", fill=(255, 0, 0))
    return out


def _check(args: argparse.Namespace) -> str | None:
    """What is wrong with the options, in one line, or None."""
    if args.count < 1:
        return f"--count must be at least 1, not {args.count}"
    if args.repeat < 1:
        return f"--repeat must be at least 1, not {args.repeat}"
    if args.megapixels is not None and not 0.05 <= args.megapixels <= 50:
        return f"--megapixels must be between 0.05 and 50, not {args.megapixels}"
    if args.timing_mp != 0 and not 0.05 <= args.timing_mp <= 50:
        return f"--timing-mp must be 0 or between 0.05 and 50, not {args.timing_mp}"
    if args.save is not None:
        try:
            args.save.mkdir(parents=True, exist_ok=True)
            probe = args.save / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as e:
            return f"cannot write to {args.save}: {e.strerror or e}"
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=500, help="scenes (default 500)")
    ap.add_argument("--seed", type=int, default=0, help="the run's seed (default 0)")
    ap.add_argument("--save", type=Path, help="write the scenes and overlays here")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--megapixels", type=float,
                    help="picture size (default: each scene draws 1-2 MP)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="timed runs of decode and measure per scene, best kept (default 3)")
    ap.add_argument("--timing-mp", type=float, default=TIMING_MP,
                    help=f"measure each scene re-encoded at this size, as a phone photo "
                         f"(default {TIMING_MP:g} MP; 0: the scene's own JPEG)")
    args = ap.parse_args(argv)
    problem = _check(args)
    if problem:
        print(f"scenes.py: error: {problem}", file=sys.stderr)
        return 2
    scores: list[SceneScore] = []
    saved = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i, seed in enumerate(scene_seeds(args.count, args.seed)):
            scene = generate_scene(seed, args.megapixels)
            if i == 0:  # imports and OpenCV's first use are not a photo's time
                warm = Path(tmp) / "warm.jpg"
                warm.write_bytes(scene.jpeg)
                measure_file(warm, View.DORSAL)
            s, found = score(i, scene, Path(tmp), args.repeat, args.timing_mp)
            scores.append(s)
            if args.save is not None:
                stem = f"{i:04d}_{s.floor}_{s.source}"
                (args.save / f"{stem}.jpg").write_bytes(scene.jpeg)
                overlay(scene, found, s).save(args.save / f"{stem}_overlay.png")
                record = asdict(s)
                record["truth"] = {
                    "corners_px": None if scene.truth.corners_px is None
                    else np.round(scene.truth.corners_px, 2).tolist(),
                    "corner_visible": scene.truth.corner_visible,
                    "landmarks": {k: [round(x, 2), round(y, 2)]
                                  for k, (x, y) in scene.truth.landmarks.items()},
                    "focal_35mm": round(scene.truth.focal_35mm, 2)}
                record["found_corners_px"] = found["corners"]
                saved.append(record)
            if not args.json and (i + 1) % 50 == 0:
                print(f"  {i + 1}/{args.count} scenes, {time.perf_counter() - t0:.0f} s",
                      file=sys.stderr, flush=True)
    by = groups(scores)
    if args.save is not None:
        (args.save / "scenes.json").write_text(json.dumps(saved, indent=1))
    if args.json:
        print(json.dumps({"count": args.count, "seed": args.seed,
                          "megapixels": args.megapixels, "repeat": args.repeat,
                          "summary": by, "landmarks": landmark_groups(scores),
                          "scenes": [asdict(s) for s in scores]}, indent=1))
        return 0
    shown = [s.visible_corners for s in scores if s.paper is not None]
    print(f"{args.count} scenes from seed {args.seed} in {time.perf_counter() - t0:.0f} s; "
          f"pages with 0-4 corners showing: "
          f"{[shown.count(k) for k in range(5)]}, cut by the frame: "
          f"{sum(s.page_cut for s in scores)}")
    print(table(by))
    print(TARGETS)
    print()
    print(scene_landmarks.table(landmark_groups(scores)))
    print("per landmark, median error % W: " + ", ".join(
        f"{k} {v}" for k, v in scene_landmarks.per_landmark(
            [s.landmarks for s in scores if s.landmarks is not None]).items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
