"""Small robust statistics for short, noisy series: Theil–Sen, Spearman, pooled SD.

Pure numpy. A person's timeline holds a handful to a few dozen sessions, so exact
pairwise methods are cheap (n = 60 gives 1,770 slopes) and far less fooled by one bad
photo than least squares.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import permutations

import numpy as np

Z95 = 1.959963984540054  # two-sided 95 % normal quantile


@dataclass(frozen=True)
class LineFit:
    """A robust straight line y = intercept + slope * x.

    `low`/`high` bound the slope (95 % CI by Sen's method); they are None when there are
    too few points for an interval that is not the whole range of pairwise slopes.
    """

    slope: float
    intercept: float
    low: float | None
    high: float | None
    n: int

    @property
    def has_ci(self) -> bool:
        return self.low is not None and self.high is not None

    def excludes_zero(self) -> bool:
        """Whether the CI lies wholly on one side of zero (a trend the data support)."""
        return self.has_ci and (self.low > 0 or self.high < 0)  # type: ignore[operator]


def theil_sen(x: Sequence[float], y: Sequence[float], confidence: float = 0.95) -> LineFit | None:
    """Theil–Sen slope (median of pairwise slopes) with Sen's (1968) confidence interval.

    Returns None with fewer than 2 distinct x. The CI uses Kendall's S variance
    n(n-1)(2n+5)/18, corrected for ties in x (as in Sen 1968 / scipy.stats.theilslopes).
    """
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    keep = np.isfinite(xa) & np.isfinite(ya)
    xa, ya = xa[keep], ya[keep]
    n = xa.size
    i, j = np.triu_indices(n, k=1)
    dx = xa[j] - xa[i]
    ok = dx != 0
    if not ok.any():
        return None
    slopes = np.sort((ya[j] - ya[i])[ok] / dx[ok])
    slope = float(np.median(slopes))
    intercept = float(np.median(ya) - slope * np.median(xa))
    z = _normal_quantile(0.5 + confidence / 2)
    _, counts = np.unique(xa, return_counts=True)
    ties = float(np.sum(counts * (counts - 1) * (2 * counts + 5)))
    sigma = math.sqrt(max(0.0, (n * (n - 1) * (2 * n + 5) - ties) / 18.0))
    nt = slopes.size
    lower_rank = (nt - z * sigma) / 2  # 1-based rank of the lower bound
    upper_rank = (nt + z * sigma) / 2 + 1
    if lower_rank < 1 or upper_rank > nt:
        # The interval would run past the most extreme pairwise slope: no real bound.
        return LineFit(slope, intercept, None, None, n)
    low = float(slopes[max(0, round(lower_rank) - 1)])
    high = float(slopes[min(nt - 1, round(upper_rank) - 1)])
    return LineFit(slope, intercept, low, high, n)


def ranks(values: Sequence[float]) -> np.ndarray:
    """Ranks 1..n, ties sharing their mean rank."""
    a = np.asarray(values, dtype=float)
    order = np.argsort(a, kind="mergesort")
    r = np.empty(a.size)
    r[order] = np.arange(1, a.size + 1)
    for value in np.unique(a):
        same = a == value
        if same.sum() > 1:
            r[same] = r[same].mean()
    return r


@dataclass(frozen=True)
class Correlation:
    """Spearman's rank correlation with its sample size and a two-sided p-value."""

    rho: float
    n: int
    p: float


def spearman(x: Sequence[float], y: Sequence[float]) -> Correlation | None:
    """Spearman's rho; None with fewer than 3 pairs or a constant series.

    p is exact (all permutations) for n <= 7 and from the t approximation beyond, which is
    good enough to say "chance could do this" or not.
    """
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    keep = np.isfinite(xa) & np.isfinite(ya)
    xa, ya = xa[keep], ya[keep]
    n = xa.size
    if n < 3 or np.ptp(xa) == 0 or np.ptp(ya) == 0:
        return None
    rx, ry = ranks(xa), ranks(ya)
    rho = float(np.corrcoef(rx, ry)[0, 1])
    if n <= 7:
        perms = np.array(list(permutations(range(n))))
        ryp = ry[perms]
        rxc = rx - rx.mean()
        rycp = ryp - ryp.mean(axis=1, keepdims=True)
        r_all = (rycp @ rxc) / (np.sqrt((rycp**2).sum(axis=1)) * math.sqrt((rxc**2).sum()))
        p = float(np.mean(np.abs(r_all) >= abs(rho) - 1e-12))
    else:
        t = rho * math.sqrt((n - 2) / max(1e-12, 1 - rho * rho))
        p = _t_two_sided_p(t, n - 2)
    return Correlation(rho, n, min(1.0, p))


def pooled_sd(groups: Sequence[Sequence[float]]) -> tuple[float | None, int]:
    """Pooled within-group SD and its degrees of freedom (sum of n_i - 1).

    Groups of one value carry no information on repeatability and are skipped.
    """
    ss = 0.0
    df = 0
    for g in groups:
        # Plain Python: the groups are a day's 2-5 repeat photos, where numpy's per-call
        # overhead costs ten times the arithmetic.
        values = [float(v) for v in g]
        if len(values) >= 2:
            mean = math.fsum(values) / len(values)
            ss += math.fsum((v - mean) ** 2 for v in values)
            df += len(values) - 1
    if df == 0:
        return None, 0
    return math.sqrt(ss / df), df


def _normal_quantile(p: float) -> float:
    """Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9)."""
    if p == 0.975:
        return Z95
    a = (-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269,
         -30.66479806614716, 2.506628277459239)
    b = (-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
         -13.28068155288572)
    c = (-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
         4.374664141464968, 2.938163982698783)
    d = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)
    lo = 0.02425
    if p < lo:
        q = math.sqrt(-2 * math.log(p))
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
            (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    if p > 1 - lo:
        return -_normal_quantile(1 - p)
    q = p - 0.5
    r = q * q
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (
        ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)


def _t_two_sided_p(t: float, df: int) -> float:
    """Two-sided p of Student's t via the regularised incomplete beta function."""
    x = df / (df + t * t)
    return _betainc(df / 2, 0.5, x)


def _betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b) by Lentz's continued fraction."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x > (a + 1) / (a + b + 2):
        return 1.0 - _betainc(b, a, 1 - x)
    f, c, d = 1.0, 1.0, 0.0
    for i in range(200):
        m = i // 2
        if i == 0:
            num = 1.0
        elif i % 2 == 0:
            num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        else:
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + num * d
        d = 1.0 / (d if abs(d) > 1e-30 else 1e-30)
        c = 1.0 + num / (c if abs(c) > 1e-30 else 1e-30)
        f *= c * d
        if abs(1.0 - c * d) < 1e-12:
            break
    return front * (f - 1.0) / a
