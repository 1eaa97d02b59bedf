"""Doubt from stability: the dorsal landmarks found again on small perturbations of the photo.

A landmark that is right stays where it is when the photo is turned by two degrees, seen at
another working resolution or cropped a little differently; a landmark that rests on a
coincidence of pixels (a nail edge taken for a cleft, a toe row numbered one off, a tangent
point sliding along a straight border) moves. So the detector is run again on each
perturbation, each landmark is mapped back into the photo, and its spread is the farthest it
landed from where it was found (a fraction of the forefoot width W).

The perturbations (`PERTURBATIONS`): rotations by -2 and +2 degrees about the image centre
(the canvas grown so that nothing is cut off), working resolutions 10 % lower and higher,
and a crop of 3 % of the image on the side farthest from the foot (the working grid then
falls elsewhere on the photo).

Points are in full-resolution px of the upright photo unless named otherwise; `c` are the
continuous coordinates of the reduced image (pixel index + 0.5, see photo_io).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import cv2
import numpy as np

from footlog.analysis.spare_cores import threads_to_use
from footlog.domain.results import MeasureResult

# (degrees, working-side factor, crop fraction) of each perturbation, with its name.
PERTURBATIONS: tuple[tuple[str, float, float, float], ...] = (
    ("turned -2 deg", -2.0, 1.0, 0.0),
    ("turned +2 deg", 2.0, 1.0, 0.0),
    ("working size -10 %", 0.0, 0.9, 0.0),
    ("working size +10 %", 0.0, 1.1, 0.0),
    ("cropped 3 %", 0.0, 1.0, 0.03),
)
ANGLES = ("hallux_angle", "toe_splay")  # deg; measures whose spread is recorded
LOST_DEG = 180.0  # the spread recorded for a measure lost on a perturbation
# (deg) how far an angle may move over the perturbations in an `ok` photo: on generated
# scenes and the reference photos this keeps every photo more than 6 deg off out of `ok`
# (CHANGELOG.md, dorsal-0.8, "Changes: doubt from stability").
STABLE_DEG = 3.0
# (W) a landmark of an unstable angle that moved farther than this is named in the warning
NAMED_MOVE = 0.05
# The landmarks each angle rests on (footlog.domain.dorsal_measures).
MEASURE_POINTS = {
    "hallux_angle": ("midfoot_medial", "mt1_medial", "hallux_medial"),
    "toe_splay": ("mt1_medial", "hallux_medial", "mt5_lateral", "toe5_lateral"),
}
TOE_TIPS = ("hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip")
# Perturbed runs made at once, in threads (OpenCV and most of numpy's work on whole images
# let go of the interpreter's lock): two where a core is idle (`spare_cores`), which took
# the five runs from ~200 to ~145 ms on an idle 2-core machine. Each run is independent of
# the others and they are compared in PERTURBATIONS' order, so the figures are those of
# running them one after the other; when the runs stop early, the one already started is
# finished and dropped. None: decided for each photo; a number forces it.
THREADS: int | None = None


@dataclass
class Stability:
    """How far each landmark moved over the perturbations (fraction of W) and whether the
    toe row was read differently (`_renumbered`) or the foot's side changed on any of
    them."""

    spread: dict[str, float] = field(default_factory=dict)
    renumbered: bool = False
    side_changed: bool = False
    lost: list[str] = field(default_factory=list)  # landmarks missing on some perturbation
    # (deg) how far each angle measure moved (largest absolute difference)
    measure_spread: dict[str, float] = field(default_factory=dict)
    runs: int = 0  # perturbations run (fewer than PERTURBATIONS when stopped early)
    # The perturbations on which the toe row was read differently, for benchmarks.
    renumbered_by: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.runs == len(PERTURBATIONS)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"spread": {k: round(v, 4) for k, v in self.spread.items()},
                "renumbered": self.renumbered, "side_changed": self.side_changed,
                "lost": list(self.lost), "seconds": round(self.seconds, 3), "runs": self.runs,
                "renumbered_by": list(self.renumbered_by),
                "measure_spread": {k: round(v, 2) for k, v in self.measure_spread.items()}}


def doubts(st: Stability) -> list[str]:
    """Why a photo with these figures is not `ok`, in plain words ([] when it is steady):
    the toe row read differently, the side changed, a landmark or a measure lost, or an
    angle moved by more than STABLE_DEG (naming the points behind it that moved)."""
    why = []
    if st.renumbered:
        why.append("the toe row is read differently when the photo is turned or resized a "
                   "little: check which toe is which")
    if st.side_changed:
        why.append("which foot this is changes when the photo is turned or resized a "
                   "little: check the side")
    if st.lost:
        why.append("some points are not found when the photo is turned or resized a "
                   "little: check " + ", ".join(sorted(st.lost)))
    for name, moved in st.measure_spread.items():
        if STABLE_DEG < moved < LOST_DEG:
            points = [k for k in MEASURE_POINTS[name] if st.spread.get(k, 0.0) > NAMED_MOVE]
            why.append(f"the {name.replace('_', ' ')} changes by {moved:.1f} deg when the "
                       f"photo is turned or resized a little"
                       + (f": check {', '.join(points)}" if points else ""))
    return why


# measure(pixels, scale_to_full, page corners or None, working side factor) -> result
Remeasure = Callable[[np.ndarray, float, np.ndarray | None, float], MeasureResult]


def measure_stability(pixels: np.ndarray, scale_to_full: float, page: np.ndarray | None,
                      base: MeasureResult, remeasure: Remeasure,
                      enough: Callable[[Stability], bool] | None = None) -> Stability:
    """Run `remeasure` on every perturbation of `pixels` (the reduced upright RGB image,
    `scale_to_full` full-resolution px per px) and compare with `base`'s landmarks.

    page: the page's 4 corners in full-resolution px, or None; moved with the picture so
    that the page is not searched again. enough: stop as soon as it says the figures so
    far settle the question (an unstable photo needs no more runs); `complete` then says
    whether every perturbation was run."""
    import time

    t0 = time.perf_counter()
    out = Stability()
    pts = {k: np.asarray(v, float) for k, v in base.landmarks.items()}
    if not pts or "forefoot_width_px" not in base.extras.get("axis", {}):
        return out
    width = float(base.extras["axis"]["forefoot_width_px"])
    box = _foot_box(base, scale_to_full)

    def run(perturbation: tuple[str, float, float, float]
            ) -> tuple[MeasureResult, np.ndarray]:
        _, degrees, factor, crop = perturbation
        warped, m = _perturb(pixels, degrees, crop, box)
        moved_page = None if page is None else _apply(m, np.asarray(page, float), scale_to_full)
        return remeasure(warped, scale_to_full, moved_page, factor), m

    threads = threads_to_use(2) if THREADS is None else THREADS
    with closing(in_order(run, PERTURBATIONS, threads)) as results:
        for (name, *_), (res, m) in zip(PERTURBATIONS, results, strict=True):
            _compare_run(out, pts, width, base, res, m, name, scale_to_full)
            if enough is not None and enough(out):
                break
    out.seconds = time.perf_counter() - t0
    return out


def _compare_run(out: Stability, pts: dict[str, np.ndarray], width: float,
                 base: MeasureResult, res: MeasureResult, m: np.ndarray, name: str,
                 scale_to_full: float) -> None:
    """Fold the run `res` on the perturbation `name` (`m`: the map from the picture to the
    perturbed one, see `_perturb`) into `out`: the spread of each landmark of `pts` (those
    of `base`; in W, `width` px), renumbering, side, lost points and angles."""
    if res.foot != base.foot:
        out.side_changed = True
    inv = cv2.invertAffineTransform(m)
    back = {k: _apply(inv, np.asarray(v, float)[None], scale_to_full)[0]
            for k, v in res.landmarks.items()}
    for k, p in pts.items():
        if k not in back:
            if k not in out.lost:
                out.lost.append(k)
            continue
        d = float(np.linalg.norm(back[k] - p)) / width
        out.spread[k] = max(out.spread.get(k, 0.0), d)
    if _renumbered(pts, back):
        out.renumbered = True
        out.renumbered_by.append(name)
    for k in ANGLES:
        if k in base.measures:
            d = abs(res.measures[k] - base.measures[k]) if k in res.measures else LOST_DEG
            out.measure_spread[k] = max(out.measure_spread.get(k, 0.0), d)
    out.runs += 1


T = TypeVar("T")
R = TypeVar("R")


def in_order(fn: Callable[[T], R], items: Iterable[T], threads: int
             ) -> Generator[R, None, None]:
    """fn(item) of each item, yielded in the items' order, up to `threads` of them worked
    out at once (one after the other when `threads` < 2). Closing the iterator early
    cancels the calls not started and waits for those running (their results dropped), so
    that nothing runs on after it."""
    if threads < 2:
        yield from map(fn, items)
        return
    todo = iter(items)
    with ThreadPoolExecutor(threads) as pool:
        running: deque[Future[R]] = deque(
            pool.submit(fn, it) for _, it in zip(range(threads), todo, strict=False))
        try:
            while running:
                first = running.popleft()
                for it in todo:  # the next one starts while this one is compared
                    running.append(pool.submit(fn, it))
                    break
                yield first.result()
        finally:
            for later in running:
                later.cancel()


def _renumbered(base: dict[str, np.ndarray], other: dict[str, np.ndarray]) -> bool:
    """Whether `other` reads the toe row differently from `base`: a toe seen in one and not
    the other, or a tip nearer another toe's tip of `base` than its own (a tip sliding
    along the flat end of its own toe is not a renumbering)."""
    seen = [k for k in TOE_TIPS if k in base]
    if seen != [k for k in TOE_TIPS if k in other]:
        return True
    for k in seen:
        d = {j: float(np.linalg.norm(other[k] - base[j])) for j in seen}
        if min(d, key=lambda j: d[j]) != k:
            return True
    return False


def _foot_box(base: MeasureResult, scale_to_full: float) -> np.ndarray | None:
    """(x0, y0, x1, y1) of the foot's outline in continuous px of the reduced image."""
    outline = base.outline
    if not outline:
        return None
    p = np.asarray(outline, float) / scale_to_full
    return np.array([*p.min(axis=0), *p.max(axis=0)])


def _perturb(pixels: np.ndarray, degrees: float, crop: float, foot: np.ndarray | None
             ) -> tuple[np.ndarray, np.ndarray]:
    """The perturbed picture and the 2 x 3 map from continuous px of `pixels` to those of
    the perturbed one."""
    h, w = pixels.shape[:2]
    if degrees:
        a = math.radians(degrees)
        cos, sin = abs(math.cos(a)), abs(math.sin(a))
        nw, nh = math.ceil(w * cos + h * sin), math.ceil(w * sin + h * cos)
        m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
        m[:, 2] += ((nw - w) / 2, (nh - h) / 2)  # about the centre of the grown canvas
        out = cv2.warpAffine(pixels, _index_map(m), (nw, nh), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REPLICATE)
        return out, m
    if crop:
        # The side with the most room outside the foot (all four when it is not known).
        x0, y0, x1, y1 = foot if foot is not None else (w / 2, h / 2, w / 2, h / 2)
        room = {"left": x0, "top": y0, "right": w - x1, "bottom": h - y1}
        side = max(room, key=lambda s: room[s])
        cut = int(min(crop * (w if side in ("left", "right") else h), room[side] / 2))
        if cut < 1:
            return pixels, np.array([[1.0, 0, 0], [0, 1.0, 0]])
        if side == "left":
            return pixels[:, cut:], np.array([[1.0, 0, -cut], [0, 1.0, 0]])
        if side == "top":
            return pixels[cut:], np.array([[1.0, 0, 0], [0, 1.0, -cut]])
        if side == "right":
            return pixels[:, : w - cut], np.array([[1.0, 0, 0], [0, 1.0, 0]])
        return pixels[: h - cut], np.array([[1.0, 0, 0], [0, 1.0, 0]])
    return pixels, np.array([[1.0, 0, 0], [0, 1.0, 0]])


def _index_map(m: np.ndarray) -> np.ndarray:
    """A map of continuous coordinates as a map of pixel indices (OpenCV's convention):
    c = i + 0.5, so i' = A i + t + (A - I) 0.5."""
    out = m.copy()
    out[:, 2] += (m[:, :2] @ np.array([0.5, 0.5])) - 0.5
    return out


def _apply(m: np.ndarray, full_px: np.ndarray, scale_to_full: float) -> np.ndarray:
    """Points in full-resolution px mapped by `m` (continuous px of the reduced image)."""
    c = full_px / scale_to_full
    return cast(np.ndarray, (c @ m[:, :2].T + m[:, 2]) * scale_to_full)
