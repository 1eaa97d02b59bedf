"""The timeline statistics as flat rows, for CSV files and scripts.

Values are in the measure's unit (`unit` column); distances in km; slopes per 1,000 km of
barefoot distance and per year. Empty cells mean "not computable with these data".
"""

from __future__ import annotations

from typing import Any

from footlog.domain.statistics import TimelineStats
from footlog.domain.stats_text import describe_change
from footlog.domain.views import MEASURES

SESSION_COLUMNS = [
    "person", "measure", "unit", "foot", "view", "date", "n_photos", "mean", "sd",
    "barefoot_km", "photo_ids", "method",
]
STATISTICS_COLUMNS = [
    "person", "measure", "unit", "foot", "sessions", "first_date", "latest_date",
    "first_value", "latest_value", "change", "mdc95", "mdc_source", "mdc_reference",
    "repeat_sessions", "repeat_df", "sem", "change_beyond_noise",
    "slope_per_1000km", "slope_per_1000km_ci_low", "slope_per_1000km_ci_high",
    "slope_per_year", "slope_per_year_ci_low", "slope_per_year_ci_high",
    "spearman_rho", "spearman_p", "spearman_n", "summary", "sessions_other_method",
]


def _unit(measure: str) -> str:
    return MEASURES[measure].unit if measure in MEASURES else ""


def _num(value: float | None, digits: int = 4) -> float | str:
    return "" if value is None or value != value else round(float(value), digits)


def session_rows(stats: TimelineStats, person: str = "") -> list[dict[str, Any]]:
    rows = []
    for (measure, foot), s in sorted(stats.series.items()):
        for ses in s.sessions:
            rows.append({
                "person": person, "measure": measure, "unit": _unit(measure), "foot": foot,
                "view": ses.view, "date": ses.day.isoformat(), "n_photos": ses.n,
                "mean": _num(ses.mean), "sd": _num(ses.sd), "barefoot_km": _num(ses.barefoot_km, 1),
                "photo_ids": " ".join(str(i) for i in ses.photo_ids),
                "method": ses.method,
            })
    return rows


def statistics_rows(stats: TimelineStats, person: str = "") -> list[dict[str, Any]]:
    rows = []
    for (measure, foot), s in sorted(stats.series.items()):
        rep = s.repeatability
        c, tk, ty, r = s.change, s.trend_km, s.trend_year, s.correlation
        rows.append({
            "person": person, "measure": measure, "unit": _unit(measure), "foot": foot,
            "sessions": len(s.sessions),
            # The first session compared with the latest (drawn the same way).
            "first_date": (c.first if c else s.sessions[0]).day.isoformat(),
            "latest_date": (c.latest if c else s.sessions[-1]).day.isoformat(),
            "first_value": _num((c.first if c else s.sessions[0]).mean),
            "latest_value": _num((c.latest if c else s.sessions[-1]).mean),
            "change": _num(c.delta) if c else "",
            "mdc95": _num(rep.mdc95), "mdc_source": rep.source, "mdc_reference": rep.reference,
            "repeat_sessions": rep.repeat_sessions, "repeat_df": rep.df, "sem": _num(rep.sem),
            "change_beyond_noise": "" if c is None or c.beyond_noise is None else c.beyond_noise,
            "slope_per_1000km": _num(tk.slope) if tk else "",
            "slope_per_1000km_ci_low": _num(tk.low) if tk else "",
            "slope_per_1000km_ci_high": _num(tk.high) if tk else "",
            "slope_per_year": _num(ty.slope) if ty else "",
            "slope_per_year_ci_low": _num(ty.low) if ty else "",
            "slope_per_year_ci_high": _num(ty.high) if ty else "",
            "spearman_rho": _num(r.rho) if r else "", "spearman_p": _num(r.p) if r else "",
            "spearman_n": r.n if r else "",
            "summary": describe_change(s),
            "sessions_other_method": s.other_method,
        })
    return rows
