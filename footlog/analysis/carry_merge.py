"""What a photo keeps of the landmarks carried from the person's confirmed photos.

Carrying (footlog.analysis.carry) registers confirmed photos of the same foot onto a new
one. Measured on the same-foot series of the reference photos (benchmarks/carrying.py,
docs/CARRYING.md), it is not equally good for every landmark:

- **Toe tips** are point features: the confirmed photo's neighbourhood of a tip, matched in
  the new image, finds it again within 1-2 % of the forefoot width W. Where the detector's
  tip and the carried one lie more than AGREE apart, the carried one was the nearer to the
  hand reference 82-95 % of the time for toes 3-5 and the big toe: the detector had
  numbered the toes wrongly or taken a toe for a web. So a carried tip replaces the
  detector's when the two disagree (or the detector found none), and the photo asks to be
  reviewed, naming it.
- **Landmarks defined by the outline** (`mt1_medial`, `mt5_lateral`, the tangent points,
  `midfoot_medial`) are not: their definitions, applied by the detector on the new photo,
  beat any carried position (the carried ones lie 6-30 % W from the references, the
  detector's 2-7 %), because the toes move against the foot between photos and the leg
  crosses the outline at another place. They stay the detector's; carrying does not move
  them, so the hallux angle and the toe splay stay faithful to their definitions on each
  photo (a carried, rigid forefoot would shrink every photo toward the confirmed one and
  hide a real change).
- The 1-2 web (`cleft12`) is a point too, but its carried position was the worse one more
  often than not where the two disagreed; it is treated like a tip only where the detector
  found none.

Lengths are in W of the new photo (the detector's `mt1_medial`-`mt5_lateral`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from footlog.analysis.carry import MAX_RESIDUAL, Carried, forefoot_width
from footlog.domain.views import landmark_words

TIPS = ("hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip")
POINTS_IF_MISSING = ("cleft12",)
# (W) Two right placements of a tip differ by 3-4 % W (the detector's and the carried
# tips' median distance); beyond this the two disagree about which point it is.
AGREE = 0.05
# (W) Templates that put a carried tip this far apart do not agree among themselves.
MAX_SPREAD = 0.04


@dataclass
class Merged:
    """The landmarks a photo keeps (full px) and which of them were carried."""

    landmarks: dict[str, tuple[float, float]]
    carried_from: dict[str, int] = field(default_factory=dict)  # landmark -> photo id
    doubtful: list[str] = field(default_factory=list)  # landmarks to review
    warnings: list[str] = field(default_factory=list)


def merge(detected: dict[str, tuple[float, float]], carried: Carried | None) -> Merged:
    """The detector's landmarks with the carried ones they should give way to (module
    note)."""
    out = Merged(dict(detected))
    if carried is None:
        return out
    if carried.residual > MAX_RESIDUAL:
        # The confirmed photos do not fit this one (another posture, a foot cut short):
        # nothing is carried, and the detector's landmarks are judged on their own.
        out.warnings.append(
            "this photo's foot outline does not match your confirmed photos of this foot "
            f"({carried.residual:.3f} forefoot widths apart): nothing was taken from them")
        return out
    W = forefoot_width(detected) or forefoot_width(carried.landmarks)
    if W is None:
        return out
    for name in (*TIPS, *POINTS_IF_MISSING):
        if name not in carried.landmarks or name not in carried.matched:
            continue
        source = carried.sources.get(name)
        if source is None or carried.spread.get(name, 0.0) > MAX_SPREAD:
            continue
        there = carried.landmarks[name]
        if name in detected:
            if name not in TIPS:
                continue
            apart = float(np.hypot(*np.subtract(detected[name], there))) / W
            if apart <= AGREE:
                continue
            why = (f"{landmark_words(name)} ({name}): placed where your confirmed photo "
                   f"{source} has it; the detector put it {100 * apart:.0f} % of the forefoot "
                   "width away: check it")
        else:
            why = (f"{landmark_words(name)} ({name}): not found by the detector, placed "
                   f"where your confirmed photo {source} has it: check it")
        out.landmarks[name] = there
        out.carried_from[name] = int(source)
        out.doubtful.append(name)
        out.warnings.append(why)
    return out
