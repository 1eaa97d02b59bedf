"""Toe row in the foot-aligned frame: side, toe clefts, toe tips, the 1-2 web.

The frame has the toes pointing up (-y). The upper envelope of the mask (topmost foot pixel
per column) over the forefoot is the distal profile: toe tips are its peaks and clefts its
dips. Pressed-together toes leave only shallow dips, so the image is used as well: the gaps
between touching toes are dark creases just below the envelope. Both cues are combined into
one cleft score per column, and the four clefts are chosen jointly with plausible toe widths
(hallux ~ 1/3 of the toe row, lesser toes ~ 1/6 each), so that a nail edge or a skin fold
cannot pass for a cleft. Every length is a fraction of the forefoot width W (px).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from footlog.analysis.dorsal_creases import crease_map, crease_runs, follow_crease
from footlog.analysis.frame import Frame, row_extent, top_envelope
from footlog.analysis.toe_numbering import (
    Numbering,
    arc_penalty,
    evidence,
    pick,
)

TOE_ROW_DEPTH = 0.9  # the toe row and metatarsal heads lie within this many W of the tip
BAND = (0.03, 0.16)  # band below the envelope (W) where inter-toe creases are sought
DIP_UNIT = 0.03  # an envelope dip this deep (W) scores 1
VALLEY_UNIT = 0.06  # a crease this much darker than its toes (fraction of skin grey) scores 1
MIN_NOTCH = 0.015  # the smallest silhouette notch (W) a cleft leaves without a crease
# Touching toes: a shallower notch (W) is enough where a crease runs proximally from it
# for at least CREASE_RUN (W) (a nail edge stops at the nail base, ~0.1 W; the crease
# between two toes runs to the web, 0.25-0.35 W behind the tips).
MIN_NOTCH_CREASE = 0.004
CREASE_RUN = 0.1
RUN_UNIT = 0.1  # a crease this long (W) adds 1 to a cleft's score (at most 2)
CREASE_DEPTH = 0.05  # a creased cleft counts this much (W) deeper for the toe tests
# The end of a toe is a flat arc: its tip is the middle of the stretch of envelope within
# this much (W) of the toe's most distal point (see _tip_index).
TIP_CAP = 0.02
# Toe 2 stands level with the row, its most distal point well inside it: a piece whose
# top sits within this fraction of its width from its medial cleft is the lateral slope
# of the big toe cut off at a nail edge, not toe 2.
TOE2_LEAD = 0.08
MIN_CLEFT = 0.7  # clefts scoring below this are not trusted (toes not separable there)
# Toe widths as fractions of the toe-row span (medial to lateral extreme), generous ranges
# around adult proportions: hallux 25-35 % of forefoot width, lesser toes 12-20 %.
HALLUX_W = (0.17, 0.46)
LESSER_W = (0.08, 0.30)
# With no plausible set of clefts, the big toe's tip is sought in this medial fraction of
# the toe row (the hallux spans 17-46 % of it), and must stand within this much (W) of
# the row's most distal point (toe 2 may be longer than the big toe, by ~0.1 W at most).
HALLUX_ALONE = 0.3
HALLUX_ALONE_DROP = 0.12
# The last piece runs from the 4-5 cleft to the lateral extreme of the forefoot, so it
# holds the whole little toe: 0.15-0.24 of the span on the reference photos and the
# synthetic feet. A "4-5 cleft" that leaves less is a nail edge or a crease inside the
# little toe (0.05-0.11), and it numbers toe 5 as toe 4.
TOE5_W = (0.12, 0.40)


@dataclass
class ToeRow:
    """Toe row of a canonical (right-looking, big toe left) aligned frame, px.

    tips: (x, y) of the toe tips from the hallux to toe 5 (None where not found).
    clefts: (x, y) envelope dips 1-2, 2-3, 3-4, 4-5 (None where not separable).
    cleft_scores: evidence of each cleft (>= MIN_CLEFT: trusted).
    cleft12: deepest point of the 1-2 web (end of the crease), or None.
    touching: a cleft was found from its crease with only a shallow notch.
    x_med, x_lat: medial and lateral extremes of the forefoot (columns).
    partial: no plausible set of four clefts (one pair of toes was left as one piece), or
        the big toe was placed without its cleft (at the medial end of the row): trust it
        only where the outline itself is trusted.
    """

    tips: list[tuple[float, float] | None]
    clefts: list[tuple[float, float] | None]
    cleft_scores: list[float]
    cleft12: tuple[float, float] | None
    x_med: float
    x_lat: float
    warnings: list[str] = field(default_factory=list)
    partial: bool = False
    touching: bool = False  # some toes are separated only by a crease (shallow notch)
    # Four toes show: the little toe is tucked under or against the fourth (or hidden);
    # toe 5 has no tip and no 4-5 cleft, and nothing of it is guessed.
    four: bool = False
    # Why the numbering is in doubt (another numbering scored almost as well), or "".
    doubt: str = ""


def side_cue(fr: Frame, W: float) -> float:
    """How much more distal the left half of the toe row is than the right half (W).

    Positive: big toe on the left (a right foot in an unmirrored frame). The toe tips
    recede from the big toe to the little toe, so the distal profile slopes down toward
    the little toe; the fitted slope over the toe row, times its span, is the margin.
    """
    x0, x1, env = _toe_row(fr, W, canonical=False)
    xs = np.arange(x0, x1 + 1)
    e = env[x0 : x1 + 1]
    ok = np.isfinite(e)
    if ok.sum() < 5:
        return 0.0
    slope = np.polyfit(xs[ok], e[ok], 1)[0]
    return float(slope * (x1 - x0) / W)


def _toe_row(fr: Frame, W: float, canonical: bool = True) -> tuple[int, int, np.ndarray]:
    """Columns (x0, x1) spanned by the forefoot near the toes, and the upper envelope.

    canonical: the big toe is on the left (the frame is mirrored as a right foot).
    """
    env = top_envelope(fr.mask)
    tip_y = np.nanmin(env)
    left, right = row_extent(fr.mask)
    rows = slice(int(tip_y), int(tip_y + TOE_ROW_DEPTH * W))
    # Medial start: the hallux's own medial edge (rows of the distal quarter W), so that
    # the concave medial border below the hallux is not mistaken for a toe cleft.
    hallux_rows = slice(int(tip_y), int(tip_y + 0.25 * W))
    x0 = int(np.nanmin(left[hallux_rows if canonical else rows]))
    x1 = int(np.nanmax(right[rows]))
    # Columns whose top lies far below the toe row belong to the border, not to a toe.
    env = np.where(env <= tip_y + TOE_ROW_DEPTH * W, env, np.nan)
    return x0, x1, env


def _dip_depth(e: np.ndarray, reach: int) -> np.ndarray:
    """Depth (px, >= 0) of the envelope below the bridge over each column.

    The bridge joins the most distal columns within `reach` on either side, so only
    notches with toe on both sides count; the concave medial or lateral border below the
    end toes has no bridge and scores nothing.
    """
    n = len(e)
    out = np.zeros(n)
    if n < 3:
        return out
    # All columns at once: left partner i - dl and right partner i + dr, for every
    # 1 <= dl, dr <= reach that stays inside the row (others are +inf).
    i = np.arange(1, n - 1)[:, None, None]
    dl = np.arange(1, reach + 1)[None, :, None]
    dr = np.arange(1, reach + 1)[None, None, :]
    left, right = i - dl, i + dr
    inside = (left >= 0) & (right < n)
    el = e[np.clip(left, 0, n - 1)]
    er = e[np.clip(right, 0, n - 1)]
    # Local convex hull from above: the lowest-y chord over column i.
    chord = np.where(inside, (el * dr + er * dl) / (dl + dr), np.inf)
    out[1:-1] = np.maximum(0.0, e[1:-1] - chord.min(axis=(1, 2)))
    return out


def _valley(fr: Frame, xs: np.ndarray, e: np.ndarray, W: float) -> np.ndarray:
    """Crease darkness per column in a band just below the envelope (fraction of skin)."""
    y0 = int(np.nanmin(e))
    y1 = min(fr.mask.shape[0], int(np.nanmax(e) + BAND[1] * W) + 2)
    cm = crease_map(fr, y0, y1, W)
    a, b = max(1, round(BAND[0] * W)), max(2, round(BAND[1] * W))
    # Mean of cm[lo:hi, x] for every column at once, from running sums down each column.
    cs = np.zeros((cm.shape[0] + 1, cm.shape[1]))
    np.cumsum(cm, axis=0, out=cs[1:])
    lo = e.astype(int) + a - y0
    hi = np.minimum(y1 - y0, e.astype(int) + b - y0)
    ok = hi > lo
    lo_c, hi_c = np.clip(lo, 0, cm.shape[0]), np.clip(hi, 0, cm.shape[0])
    sums = cs[hi_c, xs] - cs[lo_c, xs]
    return np.where(ok, sums / np.maximum(hi - lo, 1), 0.0)


def find_toe_row(fr: Frame, W: float) -> ToeRow | None:
    """Toes of a canonical frame (big toe on the left); None when no toe row is seen."""
    x0, x1, env = _toe_row(fr, W)
    span = x1 - x0
    if span < 0.5 * W:
        return None
    xs, e_s, score, notch, depth = cleft_evidence(fr, W, x0, x1, env)
    cand = _peaks(np.where(notch, score, 0.0), max(2, round(0.04 * W)))
    e = e_s
    cuts, scores, complete, info = _choose_clefts(cand, score, e_s, span, W, depth, xs)
    # A cleft is the deepest point of its notch (the score peak may sit on its side).
    reach = max(2, round(0.03 * W))
    for j, c in enumerate(cuts):
        if c is not None:
            lo, hi = max(0, c - reach), min(len(e) - 1, c + reach)
            cuts[j] = lo + int(np.argmax(e[lo : hi + 1]))
    skip = max(1, round(0.015 * W))
    tips: list[tuple[float, float] | None] = []
    clefts: list[tuple[float, float] | None] = []
    bounds = [0, *[c if c is not None else -1 for c in cuts], len(xs) - 1]
    if info.four:
        # The fourth toe runs to the lateral end of the row (the little toe under it).
        bounds[4] = bounds[5]
    for k in range(5):
        a, b = bounds[k], bounds[k + 1]
        if info.four and k == 4:
            tips.append(None)
            continue
        if a < 0 or b < 0 or b <= a:
            tips.append(None)
            continue
        # The tip is the most distal point of the toe's outline. A staggered lesser toe
        # may descend all the way from the notch at its medial corner: its tip is then
        # just lateral of that notch, so the notch itself is left out.
        lo = min(b, a + skip)
        i = _tip_index(e, lo, b, TIP_CAP * W)
        tips.append((float(xs[i]), float(e[i])))
    for c in cuts:
        clefts.append(None if c is None else (float(xs[c]), float(e[c])))
    warnings: list[str] = []
    hallux_guessed = False
    if tips[0] is None:
        # The big toe's piece was not found (toes pressed together with no notch, or no
        # plausible set of clefts at all): it is still the medial end of the row, and with
        # it the hallux angle can be measured (the status says review).
        hi = max(1, round(HALLUX_ALONE * len(xs)))
        hi = min([hi, *[c for c in cuts if c is not None]])
        i = _tip_index(e, 0, hi, TIP_CAP * W)
        if 0 < i < hi and e[i] <= np.nanmin(e) + HALLUX_ALONE_DROP * W:
            tips[0] = (float(xs[i]), float(e[i]))
            hallux_guessed = True
            warnings.append(
                "the toes could not be told apart: only the big toe was found (the medial "
                "end of the toe row); check it" if all(c is None for c in cuts) else
                "the big toe and the second toe could not be told apart: the big toe was "
                "taken as the medial end of the toe row; check it")
    if info.four:
        warnings.append(
            "four toes show: the little toe is tucked under or against the fourth toe (or "
            "hidden), so toe5_tip, toe5_lateral and the toe splay are left out")
    row = ToeRow(tips, clefts, scores, None, float(x0), float(x1), warnings,
                 partial=not complete or hallux_guessed, four=info.four, doubt=info.doubt)
    row.touching = any(c is not None and depth[c] < 0 for c in cuts)
    if clefts[0] is not None:
        row.cleft12 = follow_crease(fr, clefts[0], W)
    return row


def cleft_evidence(fr: Frame, W: float, x0: int, x1: int,
                   env: np.ndarray) -> tuple[np.ndarray, ...]:
    """Columns, smoothed envelope, cleft score and notch flag over the toe row."""
    xs = np.arange(x0, x1 + 1)
    e = env[x0 : x1 + 1].copy()
    ok = np.isfinite(e)
    e = np.interp(xs, xs[ok], e[ok]) if ok.any() else np.zeros(len(xs))
    e_s = np.convolve(np.pad(e, 1, mode="edge"), np.ones(3) / 3, mode="valid")
    dip = _dip_depth(e_s, max(3, round(0.22 * (x1 - x0))))
    run = crease_runs(fr, xs, e_s, W)
    run = np.maximum.reduce([np.roll(run, -1), run, np.roll(run, 1)])
    score = (dip / (DIP_UNIT * W) + _valley(fr, xs, e_s, W) / VALLEY_UNIT
             + np.minimum(run / (RUN_UNIT * W), 2.0))
    score = np.convolve(np.pad(score, 1, mode="edge"), np.ones(3) / 3, mode="valid")
    # Every cleft, even between pressed toes, leaves at least a small notch in the
    # silhouette (the toe tips are rounded); a dark line under a convex stretch of the
    # envelope is a nail edge or the shaded side of a toe. Between touching toes the
    # notch may be shallow, but then a crease runs proximally from it.
    creased = run >= CREASE_RUN * W
    deep = _grow(dip >= MIN_NOTCH * W, 2)
    notch = deep | _grow((dip >= MIN_NOTCH_CREASE * W) & creased, 2)
    # Depth for the toe tests; negative marks a cleft with only a shallow notch, which
    # may not be the 1-2 cleft (see _choose_clefts).
    depth = np.where(creased, CREASE_DEPTH * W, 0.0) * np.where(deep, 1.0, -1.0)
    return xs, e_s, score, notch, depth


def _tip_index(e: np.ndarray, lo: int, hi: int, cap: float) -> int:
    """Index of a toe's tip on the envelope between columns lo..hi.

    The end of a toe is a flat arc: its single most distal column slides along the arc
    with a degree of axis tilt. The middle of the stretch within `cap` px of the most
    distal point does not, and it is where a person puts the tip (the middle of the
    toe's end).
    """
    i0 = lo + int(np.argmin(e[lo : hi + 1]))
    top = e[i0] + cap
    left = right = i0
    while left > lo and e[left - 1] <= top:
        left -= 1
    while right < hi and e[right + 1] <= top:
        right += 1
    return (left + right + 1) // 2


def _grow(b: np.ndarray, r: int) -> np.ndarray:
    """Boolean 1-D dilation by `r` samples."""
    return np.convolve(b.astype(float), np.ones(2 * r + 1), mode="same") > 0


def _apex(e: np.ndarray, a: int, b: int) -> tuple[int, float]:
    """Index and height (px) of the envelope point farthest above the chord a-b.

    Staggered toes are tilted in the frame (toe 5 may sit lower than the 4-5 notch), so
    a toe's tip is its apex relative to the line joining its two clefts, not simply its
    topmost pixel.
    """
    x = np.arange(a, b + 1, dtype=float)
    y = e[a : b + 1]
    dx, dy = float(b - a), float(e[b] - e[a])
    n = np.hypot(dx, dy) + 1e-9
    # Height above the chord (toward smaller y), perpendicular to it.
    h = ((x - a) * dy - (y - e[a]) * dx) / n
    k = int(np.argmax(h))
    return a + k, float(h[k])


def _is_toe(e: np.ndarray, a: int, b: int, k: int, rise: float,
            depth: np.ndarray) -> bool:
    """Whether columns a..b of the envelope look like toe number k + 1 (0 = hallux).

    Hallux and toe 2 stand level with the row: their most distal point lies inside the
    piece, above both clefts. Toes 3-5 are staggered: their apex stands above the chord.
    A cleft with a crease running proximally from it is deeper than its notch (`depth`,
    px): where a toe rides over its neighbour's side the notch is only a step.
    """
    if k == 4:
        return True  # the little toe has no cleft on its lateral side to stand above
    depth = np.abs(depth)
    e = e.copy()
    if k > 0:
        e[a] += depth[a]
    e[b] += depth[b]
    if k >= 2:
        return _apex(e, a, b)[1] >= rise
    i = a + int(np.argmin(e[a : b + 1]))
    margin = 0.1 * (b - a)
    lead = TOE2_LEAD * (b - a) if k == 1 else 0.0
    inside = (a + max(margin, lead) < i or (depth[a] > 0 and a + lead < i)) and i < b - margin
    return inside and min(e[a], e[b]) - e[i] >= rise


def _peaks(s: np.ndarray, sep: int) -> list[int]:
    """Local maxima of `s` at least `sep` apart, strongest first (at most 14)."""
    order = np.argsort(-s)
    out: list[int] = []
    for i in order:
        if s[i] <= 0.15:
            break
        if all(abs(int(i) - j) >= sep for j in out):
            out.append(int(i))
        if len(out) >= 14:
            break
    return out


def _plausible_widths(cand: list[int], n: int, span: int,
                      depth: np.ndarray, count: int = 4) -> list[tuple[int, ...]]:
    """The sets of `count` clefts (in itertools order) that leave toes of plausible widths
    (the hallux the widest) and a real notch at the 1-2 cleft, tested all at once: up to
    ~1000 sets per photo, most of them implausible. With three clefts the last piece is
    the fourth toe with the little toe tucked under it: it runs to the lateral extreme of
    the forefoot as the little toe does, so it takes the little toe's range."""
    if len(cand) < count:
        return []
    combos = np.array(list(itertools.combinations(cand, count)), dtype=int)
    b = np.column_stack([np.zeros(len(combos), int), combos, np.full(len(combos), n)])
    w = np.diff(b, axis=1) / span
    lesser = w[:, 1:count]
    ok = ((HALLUX_W[0] <= w[:, 0]) & (w[:, 0] <= HALLUX_W[1])
          & ((LESSER_W[0] <= lesser) & (lesser <= LESSER_W[1])).all(axis=1)
          & (TOE5_W[0] <= w[:, count]) & (w[:, count] <= TOE5_W[1])
          & (w[:, 0] >= 1.1 * lesser.max(axis=1))
          # Between the big toe and toe 2 a shallow notch with a dark line is more often
          # the edge of the big toe's nail than a web: the 1-2 cleft needs a real notch.
          & (depth[combos[:, 0]] >= 0))
    return [tuple(int(v) for v in c) for c in combos[ok]]


@dataclass
class _Reading:
    """How the row was read: four toes (the little toe hidden) and why in doubt."""

    four: bool = False
    doubt: str = ""


def _choose_clefts(cand: list[int], score: np.ndarray, e: np.ndarray, span: int,
                   W: float, depth: np.ndarray, xs: np.ndarray | None = None
                   ) -> tuple[list[int | None], list[float], bool, _Reading]:
    """The clefts (column indices, medial to lateral, four entries) of the numbering that
    best fits both the cleft evidence and the anatomy of a toe row (toe_numbering); weak
    ones are returned as None. The flag is False when no set of five or four toes was
    plausible and `_choose_three` answered instead.

    A plausible toe has a plausible width (the hallux the widest) and a tip strictly
    between its clefts, standing out distally above both (a nail edge or a skin fold
    inside one toe leaves the tip on one side of the false cleft). Among those, the tips
    must follow the arc of the row. Four toes (three clefts, the little toe tucked or
    hidden) is read as such only when it clearly beats every five-toe reading (`pick`).
    """
    xs = np.arange(len(score)) if xs is None else xs
    n = len(score) - 1
    rise = 0.015 * W
    skip = max(1, round(0.015 * W))
    options: list[Numbering] = []
    for count in (4, 3):
        for combo in _plausible_widths(sorted(cand), n, span, depth, count):
            b = [0, *combo, n]
            # The last piece has no cleft on its lateral side (k = 4 in _is_toe).
            kinds = [*range(count), 4]
            if not all(_is_toe(e, b[k], b[k + 1], kinds[k], rise, depth)
                       for k in range(count + 1)):
                continue
            tips = [_tip_index(e, min(b[k + 1], b[k] + skip), b[k + 1], TIP_CAP * W)
                    for k in range(count + 1)]
            total = evidence(score, combo) - arc_penalty(xs, e, tips, W)
            options.append(Numbering(combo, tips, total, count == 3))
    best, doubt = pick(options, xs, W)
    if best is None:
        return (*_choose_three(cand, score, e, span, W, depth), False, _Reading())
    reading = _Reading(best.four, doubt)
    cuts: list[int | None] = list(best.cuts)
    if best.four:
        cuts.append(None)
    return (*_trusted(cuts, score), True, reading)


def _evidence(score: np.ndarray, combo: tuple[int, ...]) -> float:
    """How well a set of clefts is supported. Weak clefts count little: a combination is
    as good as its weakest link."""
    vals = np.sqrt(np.minimum(score[list(combo)], 9.0))
    return float(vals.sum() + 2.0 * vals.min())


def _trusted(cuts: list[int | None], score: np.ndarray
             ) -> tuple[list[int | None], list[float]]:
    """The chosen clefts with those scoring below MIN_CLEFT dropped, and every score
    (0 for a cleft that was not chosen)."""
    s = [0.0 if c is None else float(score[c]) for c in cuts]
    return [c if c is not None and v >= MIN_CLEFT else None
            for c, v in zip(cuts, s, strict=True)], s


_TOE_W = (HALLUX_W, LESSER_W, LESSER_W, LESSER_W, TOE5_W)


def _choose_three(cand: list[int], score: np.ndarray, e: np.ndarray, span: int,
                  W: float, depth: np.ndarray) -> tuple[list[int | None], list[float]]:
    """Three clefts with one pair of neighbouring toes left as one piece, for a row where
    no set of four is plausible (two toes pressed together with no notch between them).

    The pair's cleft comes back as None (its toes get no tips), and so do the clefts
    weaker than MIN_CLEFT; the others keep the lateral toes numbered, so the little toe,
    and with it the toe splay, can still be measured.
    """
    best: tuple[float, int, tuple[int, ...]] | None = None
    n = len(score) - 1
    rise = 0.015 * W
    # Pieces m and m + 1 of the five toes are one piece; its width may be that of both.
    layouts = []
    for m in range(4):
        toes = [[k] for k in range(5)]
        toes[m:m + 2] = [[m, m + 1]]
        lims = [(sum(_TOE_W[k][0] for k in t), sum(_TOE_W[k][1] for k in t)) for t in toes]
        layouts.append((m, toes, lims))
    for combo in itertools.combinations(sorted(cand), 3):
        b = [0, *combo, n]
        widths = np.diff(b) / span
        total = _evidence(score, combo)
        for m, toes, lims in layouts:
            if not all(lo <= w <= hi for (lo, hi), w in zip(lims, widths, strict=True)):
                continue
            if m > 0 and widths[0] < 1.1 * max(w for t, w in zip(toes[1:], widths[1:],
                                                               strict=True) if len(t) == 1):
                continue
            if m > 0 and depth[combo[0]] < 0:
                continue  # as for four clefts: the 1-2 cleft needs a real notch
            if not all(_is_toe(e, b[i], b[i + 1], t[0], rise, depth)
                       for i, t in enumerate(toes) if len(t) == 1):
                continue
            if best is None or total > best[0]:
                best = (total, m, combo)
    if best is None:
        return [None] * 4, [0.0] * 4
    _, m, chosen = best
    cuts: list[int | None] = list(chosen)
    cuts.insert(m, None)
    return _trusted(cuts, score)
