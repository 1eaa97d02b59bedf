"""Views, feet, and the stable names of landmarks and measures.

Names are the identifiers of the project's measure reference (docs/MEASURES.md); the
database, JSON output, CSV exports and tests use them exactly as written here.
"""

from __future__ import annotations

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


DORSAL_LANDMARKS: tuple[str, ...] = (
    "hallux_tip",
    "toe2_tip",
    "toe3_tip",
    "toe4_tip",
    "toe5_tip",
    "mt1_medial",
    "hallux_medial",
    "midfoot_medial",
    "mt5_lateral",
    "toe5_lateral",
    "cleft12",
)

MEDIAL_LANDMARKS: tuple[str, ...] = (
    "heel_back",
    "toe_tip",
    "mtp1",
    "floor_heel",
    "floor_toe",
    "arch_apex",
    "dorsum_50",
)

# The plantar view is measured from the print's outline; the reference names no point
# landmarks for it. footlog stores the points its measures are drawn from (see
# docs/DETECTOR_ARCH.md), plus the print's outline without toes as `print_000`, `print_001`…
PLANTAR_LANDMARKS: tuple[str, ...] = (
    "heel_centre", "toe2", "fore_medial", "fore_lateral", "mid_medial", "mid_lateral",
    "heel_medial", "heel_lateral", "clarke_fore", "clarke_heel", "clarke_arch",
)

LANDMARKS_BY_VIEW: dict[View, tuple[str, ...]] = {
    View.DORSAL: DORSAL_LANDMARKS,
    View.MEDIAL: MEDIAL_LANDMARKS,
    View.PLANTAR: PLANTAR_LANDMARKS,
}


@dataclass(frozen=True)
class MeasureInfo:
    """A measure's stable name, unit and a one-line human description."""

    name: str
    unit: str  # "deg", "mm" or "1" (a ratio)
    view: View
    label: str
    needs_scale: bool = False


MEASURES: dict[str, MeasureInfo] = {
    m.name: m
    for m in (
        MeasureInfo("hallux_angle", "deg", View.DORSAL, "Hallux angle"),
        MeasureInfo("toe_splay", "deg", View.DORSAL, "Toe splay"),
        MeasureInfo("toe_spread_ratio", "1", View.DORSAL, "Toe spread ratio"),
        MeasureInfo("forefoot_width", "mm", View.DORSAL, "Forefoot width", needs_scale=True),
        MeasureInfo("foot_length", "mm", View.DORSAL, "Foot length", needs_scale=True),
        MeasureInfo("arch_height_index", "1", View.MEDIAL, "Arch height index"),
        MeasureInfo("arch_height_ratio", "1", View.MEDIAL, "Arch height ratio"),
        MeasureInfo("arch_height", "mm", View.MEDIAL, "Arch height", needs_scale=True),
        MeasureInfo("arch_index", "1", View.PLANTAR, "Arch index (Cavanagh-Rodgers)"),
        MeasureInfo("chippaux_smirak_index", "1", View.PLANTAR, "Chippaux-Smirak index"),
        MeasureInfo("staheli_index", "1", View.PLANTAR, "Staheli index"),
        MeasureInfo("clarke_angle", "deg", View.PLANTAR, "Clarke's angle"),
    )
}

# The measure a thumbnail or a listing shows first, per view.
MAIN_MEASURE: dict[View, str] = {
    View.DORSAL: "hallux_angle",
    View.MEDIAL: "arch_height_index",
    View.PLANTAR: "arch_index",
}


# Plain words for each landmark, for people (the ids are for files and scripts).
LANDMARK_WORDS = {
    "hallux_tip": "big toe tip",
    "toe2_tip": "second toe tip",
    "toe3_tip": "third toe tip",
    "toe4_tip": "fourth toe tip",
    "toe5_tip": "little toe tip",
    "mt1_medial": "big toe joint (medial bump)",
    "hallux_medial": "big toe's inner edge",
    # The far point of the hallux angle's line: on the heel when it shows, on the midfoot
    # (the fallback) when the leg hides the heel (docs/MEASURES.md).
    "midfoot_medial": "heel's inner edge (midfoot's if the heel is hidden)",
    "mt5_lateral": "little toe joint (outer bump)",
    "toe5_lateral": "little toe's outer edge",
    "cleft12": "web between first and second toe",
}


def landmark_words(name: str) -> str:
    return LANDMARK_WORDS.get(name, name.replace("_", " "))
