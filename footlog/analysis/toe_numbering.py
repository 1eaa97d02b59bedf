"""Numbering the toe row by anatomy: which set of clefts makes a foot's toes.

Counting notches from the medial end numbers the whole row one off as soon as one notch is
false (a nail edge, a crease inside the big toe) or missing (the little toe tucked under or
against the fourth). A set of clefts is judged instead by the toes it makes:

- the hallux is the medial end of the row and its widest toe (the width tests of
  `toes._plausible_widths`);
- the tips follow the arc of the toe row: on every reference photo (14, three sources)
  the five tips lie on a parabola across the foot, convex distally, within 0.002-0.022 W
  (rms; curvature 0.6-1.6 per W, 0.4-1.6 through the first four tips), and each lesser
  toe's tip lies at most 0.18 W behind its medial neighbour's. (The synthetic feet of the
  tests are less regular: up to 0.07 W off their arc, a little toe up to 0.31 W behind
  the fourth; the tolerances below let them pass.) A phantom toe or a toe numbered on its
  neighbour breaks the arc (a tip that stands out of line by a tenth of W), and a toe
  skipped in the count (two toes read as one) leaves a step or a bend too sharp;
- five toes is the usual row; four visible toes (the little toe tucked or hidden) is a
  normal case too, taken when it fits the arc and the evidence clearly better, and then the
  little toe is left out (never guessed onto the fourth).

Every length is a fraction of the forefoot width W (px of the aligned frame, y distal up
as -y).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# (W) spread of the tips about their arc: the references' 0.022 at most, plus the tips'
# own placement error on the envelope (~0.01 W)
ARC_SD = 0.03
# Curvature (per W, y toward the heel) below which the tips do not make the row's distal arc
# (references 0.6-1.6): a flat or reversed row is a numbering gone wrong.
MIN_CURVE = 0.2
MAX_CURVE = 2.0  # (per W) above this the arc bends too sharply (a toe skipped)
CURVE_SD = 0.2  # (per W) how fast the arc term grows outside MIN_CURVE..MAX_CURVE
# (W) how far a lesser toe's tip may stand behind its medial neighbour's: toes 3 and 4
# (references 0.16 at most, synthetic feet 0.17) and the little toe (references 0.18,
# synthetic feet 0.31: a little toe curled back); STEP_SD: how fast the term grows beyond.
MAX_STEP = (0.2, 0.2, 0.3)
STEP_SD = 0.04
# Five toes is the usual row: four visible toes must be better by this much (in units of
# the evidence score, one strong cleft is ~3) before the little toe is called hidden.
FOUR_TOES_MARGIN = 2.0
# Support (square root of a cleft score, see `evidence`) that the absent 4-5 cleft of a
# four-toe reading counts for: a cleft scoring 0.64, just below the trusted MIN_CLEFT 0.7
# of toes.py, so that a four-toe reading wins on evidence only where the five-toe
# reading's weakest cleft would not be trusted anyway.
ABSENT_SUPPORT = 0.8
# Two numberings closer than this in score, which put some toe half a lesser toe apart
# (NUMBER_SHIFT W), leave the numbering in doubt: the photo says review.
DOUBT_MARGIN = 0.5
NUMBER_SHIFT = 0.08


@dataclass
class Numbering:
    """One way to read the row: cleft column indices (medial to lateral), the toes' tips
    (index into the envelope, one per visible toe from the hallux), the total score and
    whether the little toe is hidden (four toes)."""

    cuts: tuple[int, ...]
    tips: list[int]
    score: float
    four: bool


def arc_penalty(xs: np.ndarray, e: np.ndarray, tips: list[int], W: float) -> float:
    """How badly the tips (indices into xs / e) miss the distal arc of a toe row, as a
    squared number of standard deviations (0 for a perfect arc)."""
    x = xs[tips].astype(float) / W
    y = e[tips].astype(float) / W
    if len(x) < 4:
        return 0.0
    x = x - x.mean()
    c, res, *_ = np.polyfit(x, y, 2, full=True)
    dof = len(x) - 3
    sigma = float(np.sqrt(res[0] / dof)) if len(res) and dof > 0 else 0.0
    pen = (sigma / ARC_SD) ** 2
    if c[0] < MIN_CURVE:
        pen += ((MIN_CURVE - c[0]) / CURVE_SD) ** 2
    if c[0] > MAX_CURVE:
        pen += ((c[0] - MAX_CURVE) / CURVE_SD) ** 2
    steps = np.diff(y[1:])  # lesser toes only: toe 2 may stand ahead of the hallux or not
    limit = np.asarray(MAX_STEP[: len(steps)])
    pen += float(np.sum((np.maximum(steps - limit, 0.0) / STEP_SD) ** 2))
    return float(pen)


def evidence(score: np.ndarray, combo: tuple[int, ...]) -> float:
    """How well a set of clefts is supported, on one scale for three or four clefts: the
    sum of their support plus twice the weakest (a set is as good as its weakest link).
    Three clefts (four toes) count the missing 4-5 cleft as ABSENT_SUPPORT."""
    vals = list(np.sqrt(np.minimum(score[list(combo)], 9.0)))
    vals += [ABSENT_SUPPORT] * (4 - len(vals))
    return float(sum(vals) + 2.0 * min(vals))


def differ(a: Numbering, b: Numbering, xs: np.ndarray, W: float) -> bool:
    """Whether two numberings put some toe in different places (or one sees toe 5 and the
    other does not)."""
    if a.four != b.four:
        return True
    return any(abs(float(xs[i] - xs[j])) > NUMBER_SHIFT * W
               for i, j in zip(a.tips, b.tips, strict=True))


def pick(options: list[Numbering], xs: np.ndarray, W: float
         ) -> tuple[Numbering | None, str]:
    """The numbering to use and, when another reading comes close, why it is in doubt
    ("" when it is not).

    Five toes is the usual row: the best four-toe reading is taken only when it beats the
    best five-toe one by FOUR_TOES_MARGIN, and even then in doubt (the silhouette cannot
    be sure the little toe is out of sight); a five-toe reading is taken otherwise, in
    doubt when a four-toe or a differently numbered five-toe reading comes within
    DOUBT_MARGIN of it.
    """
    fives = sorted((o for o in options if not o.four), key=lambda o: -o.score)
    fours = sorted((o for o in options if o.four), key=lambda o: -o.score)
    if not fives and not fours:
        return None, ""
    if not fives:
        # Nothing tells a little toe tucked out of sight from two toes pressed together
        # with no notch between them.
        return fours[0], ("the toe row shows four toes, but the little toe may be pressed "
                          "against the fourth rather than hidden: check the toe points")
    best = fives[0]
    if fours and fours[0].score > best.score + FOUR_TOES_MARGIN:
        # Even then a five-toe reading was plausible: the outline alone cannot be sure
        # that the little toe is out of sight, so a person checks.
        return fours[0], ("four toes were read, though a reading with five was possible: "
                          "check the toe points")
    if fours and fours[0].score > best.score - DOUBT_MARGIN:
        return best, ("the toe row can be read with four or five toes (whether the little "
                      "toe shows is not sure): check the toe points")
    for o in fives[1:]:
        if best.score - o.score > DOUBT_MARGIN:
            break
        if differ(best, o, xs, W):
            return best, ("the toe row can be read two ways (which toe is which is not "
                          "sure): check the toe points")
    return best, ""
