"""Views, feet, and the stable names of landmarks and measures.

Names are the identifiers of the project's measure reference (docs/MEASURES.md); the
database, JSON output, CSV exports and tests use them exactly as written here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Foot(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    UNKNOWN = "unknown"


class View(StrEnum):
    DORSAL = "dorsal"
    MEDIAL = "medial"
    PLANTAR = "plantar"
    UNKNOWN = "unknown"


class Status(StrEnum):
    """Outcome of measuring one photo."""

    OK = "ok"
    REVIEW = "review"  # a number was produced but the detector doubts it
    FAILED = "failed"  # no number; the warnings say why
    MANUAL = "manual"  # every landmark used was placed or checked by the person
    # The person checked the landmarks and vouched for them (footlog confirm, Enter in the
    # editor); a library status only, never the detector's.
    CONFIRMED = "confirmed"
    # Imported and not measured yet; a library status only, never the detector's.
    PENDING = "pending"


@dataclass(frozen=True)
class LandmarkSpec:
    """One landmark: its stable key (docs/MEASURES.md), its view, plain words for people,
    and where the Help guide's schematic foot of its view shows it (in that schematic's
    units: a 100 x 160 box for the dorsal and plantar views, 160 x 100 for the side view)."""

    key: str
    view: View
    words: str
    guide_at: tuple[float, float]


def _spec(view: View, key: str, words: str, x: float, y: float) -> LandmarkSpec:
    return LandmarkSpec(key, view, words, (x, y))


# Every landmark, in the order the views list them (the database, the CSV exports and the
# editor's list keep this order).
LANDMARK_SPECS: tuple[LandmarkSpec, ...] = (
    # Dorsal: a right foot seen from above, toes up, the medial side on the left.
    _spec(View.DORSAL, "hallux_tip", "big toe tip", 26, 8),
    _spec(View.DORSAL, "toe2_tip", "second toe tip", 50, 10),
    _spec(View.DORSAL, "toe3_tip", "third toe tip", 62, 16),
    _spec(View.DORSAL, "toe4_tip", "fourth toe tip", 74, 24),
    _spec(View.DORSAL, "toe5_tip", "little toe tip", 83, 33),
    _spec(View.DORSAL, "mt1_medial", "big toe joint (medial bump)", 16, 52),
    _spec(View.DORSAL, "hallux_medial", "big toe's inner edge", 14, 30),
    # The far point of the hallux angle's line: on the heel when it shows, on the midfoot
    # (the fallback) when the leg hides the heel (docs/MEASURES.md).
    _spec(View.DORSAL, "midfoot_medial", "heel's inner edge (midfoot's if the heel is hidden)",
          22, 120),
    _spec(View.DORSAL, "mt5_lateral", "little toe joint (outer bump)", 85, 56),
    _spec(View.DORSAL, "toe5_lateral", "little toe's outer edge", 86, 40),
    _spec(View.DORSAL, "cleft12", "web between first and second toe", 38, 26),
    # Medial (side): a left foot seen from its inner side, toes to the right, floor y = 80.
    _spec(View.MEDIAL, "heel_back", "back of the heel", 12, 56),
    _spec(View.MEDIAL, "toe_tip", "big toe tip", 154, 70),
    _spec(View.MEDIAL, "mtp1", "ball of the big toe (lowest point)", 120, 80),
    _spec(View.MEDIAL, "floor_heel", "floor under the heel", 30, 80),
    _spec(View.MEDIAL, "floor_toe", "floor under the ball of the foot", 120, 80),
    _spec(View.MEDIAL, "arch_apex", "highest point of the arch", 70, 70),
    _spec(View.MEDIAL, "dorsum_50", "top of the foot at half its length", 84, 37),
    # Plantar: the print's outline gives no point landmarks in the reference; footlog
    # stores the points its measures are drawn from (docs/DETECTOR_ARCH.md), plus the
    # print's outline without toes as `print_000`, `print_001`...
    _spec(View.PLANTAR, "heel_centre", "centre of the heel's print", 48, 134),
    _spec(View.PLANTAR, "toe2", "second toe (centre of its print)", 44, 12),
    _spec(View.PLANTAR, "fore_medial", "forefoot's inner edge (widest slice)", 19, 48),
    _spec(View.PLANTAR, "fore_lateral", "forefoot's outer edge (widest slice)", 80, 52),
    _spec(View.PLANTAR, "mid_medial", "midfoot's inner edge", 35, 92),
    _spec(View.PLANTAR, "mid_lateral", "midfoot's outer edge", 73, 92),
    _spec(View.PLANTAR, "heel_medial", "heel's inner edge", 26, 128),
    _spec(View.PLANTAR, "heel_lateral", "heel's outer edge", 68, 130),
    _spec(View.PLANTAR, "clarke_fore", "forefoot's inner tangent point", 18, 46),
    _spec(View.PLANTAR, "clarke_heel", "heel's inner tangent point", 26, 128),
    _spec(View.PLANTAR, "clarke_arch", "deepest point of the arch's notch", 36, 86),
)
LANDMARKS: dict[str, LandmarkSpec] = {spec.key: spec for spec in LANDMARK_SPECS}
LANDMARKS_BY_VIEW: dict[View, tuple[str, ...]] = {
    view: tuple(spec.key for spec in LANDMARK_SPECS if spec.view == view)
    for view in (View.DORSAL, View.MEDIAL, View.PLANTAR)
}
DORSAL_LANDMARKS = LANDMARKS_BY_VIEW[View.DORSAL]
MEDIAL_LANDMARKS = LANDMARKS_BY_VIEW[View.MEDIAL]
PLANTAR_LANDMARKS = LANDMARKS_BY_VIEW[View.PLANTAR]


@dataclass(frozen=True)
class MeasureSpec:
    """A measure: its stable name, unit ("deg", "mm" or "1" for a ratio), view and label;
    how it is drawn on a photo (`lines`: landmark pairs, each drawn from the first through
    the second and a little beyond; `arcs`: (a, vertex, b), the angle at `vertex` from the
    line a -> vertex extended to the line vertex -> b); and what its sign means (`sign`,
    empty for measures that are never negative)."""

    name: str
    unit: str
    view: View
    label: str
    needs_scale: bool = False
    lines: tuple[tuple[str, str], ...] = ()
    arcs: tuple[tuple[str, str, str], ...] = ()
    sign: str = ""


_FLOOR_LINE = (("floor_heel", "floor_toe"),)  # the side view's heights stand on it
_FOOT_AXIS = (("heel_centre", "toe2"),)  # the print's axis, which its thirds are cut across

MEASURE_SPECS: tuple[MeasureSpec, ...] = (
    MeasureSpec("hallux_angle", "deg", View.DORSAL, "Hallux angle",
                lines=(("midfoot_medial", "mt1_medial"), ("mt1_medial", "hallux_medial")),
                arcs=(("midfoot_medial", "mt1_medial", "hallux_medial"),),
                sign="positive when the big toe turns laterally (valgus, toward the second "
                     "toe), negative when it turns medially"),
    MeasureSpec("toe_splay", "deg", View.DORSAL, "Toe splay",
                lines=(("mt1_medial", "hallux_medial"), ("mt5_lateral", "toe5_lateral")),
                sign="positive when the big toe's and the little toe's lines diverge "
                     "distally (toes fan out), negative when they converge"),
    MeasureSpec("toe_spread_ratio", "1", View.DORSAL, "Toe spread ratio"),
    MeasureSpec("forefoot_width", "mm", View.DORSAL, "Forefoot width", needs_scale=True),
    MeasureSpec("foot_length", "mm", View.DORSAL, "Foot length", needs_scale=True),
    MeasureSpec("arch_height_index", "1", View.MEDIAL, "Arch height index",
                lines=_FLOOR_LINE),
    MeasureSpec("arch_height_ratio", "1", View.MEDIAL, "Arch height ratio", lines=_FLOOR_LINE),
    MeasureSpec("arch_height", "mm", View.MEDIAL, "Arch height", needs_scale=True,
                lines=_FLOOR_LINE),
    MeasureSpec("arch_index", "1", View.PLANTAR, "Arch index (Cavanagh-Rodgers)",
                lines=_FOOT_AXIS),
    MeasureSpec("chippaux_smirak_index", "1", View.PLANTAR, "Chippaux-Smirak index",
                lines=_FOOT_AXIS),
    MeasureSpec("staheli_index", "1", View.PLANTAR, "Staheli index", lines=_FOOT_AXIS),
    MeasureSpec("clarke_angle", "deg", View.PLANTAR, "Clarke's angle",
                lines=(("clarke_fore", "clarke_heel"), ("clarke_fore", "clarke_arch"))),
)
MEASURES: dict[str, MeasureSpec] = {m.name: m for m in MEASURE_SPECS}


def measure_lines(names: Iterable[str] | None = None) -> tuple[tuple[str, str], ...]:
    """The landmark pairs drawn for the measures `names` (all measures when None), each
    once, in the order of MEASURE_SPECS."""
    wanted = set(MEASURES) if names is None else set(names)
    seen: dict[tuple[str, str], None] = {}
    for spec in MEASURE_SPECS:
        if spec.name in wanted:
            seen.update(dict.fromkeys(spec.lines))
    return tuple(seen)


def measure_arcs(names: Iterable[str] | None = None) -> tuple[tuple[str, str, str], ...]:
    """The angle arcs drawn for the measures `names` (all when None), each once."""
    wanted = set(MEASURES) if names is None else set(names)
    return tuple(dict.fromkeys(arc for spec in MEASURE_SPECS if spec.name in wanted
                               for arc in spec.arcs))


# The measure a thumbnail or a listing shows first, per view.
MAIN_MEASURE: dict[View, str] = {
    View.DORSAL: "hallux_angle",
    View.MEDIAL: "arch_height_index",
    View.PLANTAR: "arch_index",
}

# Plain words for each landmark, for people (the ids are for files and scripts).
LANDMARK_WORDS: dict[str, str] = {spec.key: spec.words for spec in LANDMARK_SPECS}


def landmark_words(name: str) -> str:
    return LANDMARK_WORDS.get(name, name.replace("_", " "))
