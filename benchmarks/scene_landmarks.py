"""The landmarks footlog places on a generated scene, against the scene's exact truth.

Each scene carries the reference landmarks of the photo its foot was cut from, through
the same warp as its pixels (tests/scene_generator). The errors are in the scene's px as
fractions of the true forefoot width W (|mt1_medial - mt5_lateral|); the angles are
compared apples to apples: the true landmarks go through the same `compute_measures`
with the same calibration as footlog's (a calibration error moves both alike).
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from footlog.domain.results import MeasureResult
from footlog.domain.views import DORSAL_LANDMARKS, Foot, View
from footlog.measuring import compute_measures

PHOTOS = Path(__file__).resolve().parents[1] / "tests" / "data" / "photos"
ANGLES = ("hallux_angle", "toe_splay")  # deg
OFF_DEG = 6.0  # an `ok` photo must not be off by more than this in either angle


@dataclass
class LandmarkScore:
    """What footlog made of one scene's foot: status, every landmark found or not, each
    landmark's error (fraction of W) and each angle's error (deg, found minus true)."""

    status: str
    found_all: bool
    landmark_err: dict[str, float] = field(default_factory=dict)
    angle_err: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def ok_but_off(self) -> bool:
        return self.ok and any(abs(e) > OFF_DEG for e in self.angle_err.values())


_SIDES: dict[str, Foot] = {}


def foot_of(source: str) -> Foot:
    """The foot (left or right) of the photo `source` (its stem) by its reference."""
    if source not in _SIDES:
        ref = next(PHOTOS.glob(f"{source}.*.json"))
        _SIDES[source] = Foot(json.loads(ref.read_text())["side"])
    return _SIDES[source]


def score_landmarks(result: MeasureResult, truth_landmarks: dict[str, tuple[float, float]],
                    source: str, scale: tuple[float, float], foot: Foot | None = None
                    ) -> LandmarkScore:
    """`result` of the scene's file (its px `scale` (x, y) times the scene's) against the
    scene's true landmarks (scene px). `foot`: the true foot's side when it is not the
    source photo's (a mirrored foot)."""
    k = np.asarray(scale, float)
    true = {n: np.asarray(p, float) for n, p in truth_landmarks.items()}
    width = float(np.linalg.norm(true["mt1_medial"] - true["mt5_lateral"]))
    found = {n: np.asarray(p, float) / k for n, p in result.landmarks.items()}
    err = {n: float(np.linalg.norm(found[n] - true[n])) / width
           for n in DORSAL_LANDMARKS if n in found and n in true}
    cal = result.calibration
    ref = compute_measures(View.DORSAL, {n: tuple(p * k) for n, p in true.items()},
                           foot or foot_of(source), cal)
    angles = {a: float(result.measures[a] - ref[a]) for a in ANGLES
              if a in result.measures and a in ref}
    return LandmarkScore(str(result.status), all(n in found for n in DORSAL_LANDMARKS), err,
                         angles)


def summary(scores: list[LandmarkScore]) -> dict:
    """The landmark figures of a group of scenes."""
    errs = [e for s in scores for e in s.landmark_err.values()]

    def mae(a: str) -> float | None:
        v = [abs(s.angle_err[a]) for s in scores if a in s.angle_err]
        return None if not v else round(float(np.mean(v)), 2)

    return {
        "scenes": len(scores),
        "all_found": sum(s.found_all for s in scores),
        "ok": sum(s.ok for s in scores),
        "ok_but_off": sum(s.ok_but_off for s in scores),
        "landmark_err_median_pct": None if not errs else round(100 * statistics.median(errs), 2),
        "hallux_angle_mae": mae("hallux_angle"),
        "toe_splay_mae": mae("toe_splay"),
        "ok_hallux_angle_mae": _ok_mae(scores, "hallux_angle"),
        "ok_toe_splay_mae": _ok_mae(scores, "toe_splay"),
    }


def _ok_mae(scores: list[LandmarkScore], a: str) -> float | None:
    v = [abs(s.angle_err[a]) for s in scores if s.ok and a in s.angle_err]
    return None if not v else round(float(np.mean(v)), 2)


def per_landmark(scores: list[LandmarkScore]) -> dict[str, float]:
    """Each landmark's median error (% W) over the scenes where it was found."""
    out = {}
    for n in DORSAL_LANDMARKS:
        v = [s.landmark_err[n] for s in scores if n in s.landmark_err]
        if v:
            out[n] = round(100 * statistics.median(v), 1)
    return out


def table(groups: dict[str, dict[str, dict]]) -> str:
    """Landmark summaries (kind -> name -> summary) as a text table."""
    def f(v: float | None) -> str:
        return "-" if v is None else f"{v:.2f}"

    lines = [f"{'landmarks':16s} {'photos':>6s} {'all found':>9s} {'ok':>9s} {'ok+off':>6s} "
             f"{'lm med':>7s} {'hallux MAE':>10s} {'splay MAE':>9s} {'ok: hallux':>10s} "
             f"{'ok: splay':>9s}"]
    for named in groups.values():
        for name, m in named.items():
            ok = f"{m['ok']} {100 * m['ok'] / max(m['scenes'], 1):.0f}%"
            lines.append(
                f"{name:16s} {m['scenes']:6d} {m['all_found']:9d} {ok:>9s} "
                f"{m['ok_but_off']:6d} {f(m['landmark_err_median_pct']):>6s}% "
                f"{f(m['hallux_angle_mae']):>10s} {f(m['toe_splay_mae']):>9s} "
                f"{f(m['ok_hallux_angle_mae']):>10s} {f(m['ok_toe_splay_mae']):>9s}")
        lines.append("")
    return "\n".join(lines)
