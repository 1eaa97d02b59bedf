"""Timeline statistics on synthetic histories with known drift and noise."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from scipy import stats as sps
from testdata import photo_value

from footlog.domain.mileage import totals
from footlog.domain.photo import Photo
from footlog.domain.statistics import (
    MDC_FACTOR,
    Observation,
    analyse,
    build_sessions,
    cumulative_km_lookup,
    repeatability,
)
from footlog.domain.stats_robust import spearman, theil_sen
from footlog.domain.stats_table import session_rows, statistics_rows
from footlog.domain.stats_text import describe_change, summary_lines
from footlog.domain.timeline import MileageRun, build_timeline, local_day, weekly_totals

START = date(2018, 1, 1)
KM_PER_DAY = 2.0  # 730 km of barefoot running a year


def km_at(day: date) -> float:
    return max(0, (day - START).days) * KM_PER_DAY


def history(
    seed: int,
    drift_per_1000km: float = -1.5,
    noise_sd: float = 1.5,
    sessions: int = 30,
    photos_per_session: int = 2,
    foot: str = "right",
    measure: str = "hallux_angle",
    start_value: float = 14.0,
) -> list[Observation]:
    """Monthly-ish sessions over ~5 years; each photo = truth + N(0, noise_sd)."""
    rng = random.Random(seed)
    obs = []
    pid = 0
    for k in range(sessions):
        day = START + timedelta(days=round(k * 60 + rng.uniform(-10, 10)) + 10)
        truth = start_value + drift_per_1000km * km_at(day) / 1000
        for j in range(photos_per_session):
            pid += 1
            taken = datetime(day.year, day.month, day.day, 9, j * 2)
            obs.append(Observation(pid, taken, foot, "dorsal", measure,
                                   truth + rng.gauss(0, noise_sd)))
    return obs


def test_sessions_group_same_day_photos_and_skip_unknown_feet() -> None:
    t = datetime(2020, 5, 1, 9, 0)
    obs = [
        Observation(1, t, "left", "dorsal", "hallux_angle", 10.0),
        Observation(2, t + timedelta(minutes=3), "left", "dorsal", "hallux_angle", 12.0),
        Observation(3, t + timedelta(days=1), "left", "dorsal", "hallux_angle", 11.0),
        Observation(4, t, "unknown", "dorsal", "hallux_angle", 50.0),
    ]
    sessions = build_sessions(obs)
    assert list(sessions) == [("hallux_angle", "left")]
    first, second = sessions[("hallux_angle", "left")]
    assert first.photo_ids == (1, 2) and first.mean == 11.0
    assert first.sd == pytest.approx(math.sqrt(2))
    assert second.n == 1 and second.sd is None


def test_drift_and_noise_are_recovered_within_their_confidence_intervals() -> None:
    true_sd, true_slope = 1.5, -2.5
    stats = analyse(history(seed=3, drift_per_1000km=true_slope, noise_sd=true_sd), km_at)
    s = stats.get("hallux_angle", "right")
    assert s is not None and s.trend_km is not None
    assert s.trend_km.low <= true_slope <= s.trend_km.high
    assert s.trend_km.excludes_zero()  # 3,500 km at -2.5/1000 km = -8.7 deg: clearly there
    rep = stats.repeatability["hallux_angle"]
    assert rep.source == "own" and rep.df == 30
    # chi-square CI of an SD with df degrees of freedom
    lo = rep.sem * math.sqrt(rep.df / sps.chi2.ppf(0.975, rep.df))
    hi = rep.sem * math.sqrt(rep.df / sps.chi2.ppf(0.025, rep.df))
    assert lo <= true_sd <= hi
    assert rep.mdc95 == pytest.approx(MDC_FACTOR * rep.sem)
    assert s.change is not None and s.change.beyond_noise
    assert "likely a real change" in describe_change(s)
    # per year: 730 km/year * -2.5/1000 km = -1.8 per year
    assert s.trend_year.low <= -1.825 <= s.trend_year.high


def test_slope_interval_covers_the_truth_about_95_percent_of_the_time() -> None:
    hits = 0
    runs = 200
    for seed in range(runs):
        s = analyse(history(seed, sessions=15), km_at).get("hallux_angle", "right")
        hits += s.trend_km.low <= -1.5 <= s.trend_km.high
    assert 0.88 <= hits / runs <= 0.995


def test_no_drift_is_within_noise() -> None:
    stats = analyse(history(seed=11, drift_per_1000km=0.0, sessions=12), km_at)
    s = stats.get("hallux_angle", "right")
    assert s.change is not None and s.change.beyond_noise is False
    assert "within the ±" in describe_change(s)
    assert "no change shown" in describe_change(s)
    assert s.trend_km.low <= 0 <= s.trend_km.high
    assert not s.trend_km.excludes_zero()


def test_too_few_repeats_fall_back_to_the_published_figure() -> None:
    obs = history(seed=1, sessions=6, photos_per_session=1)
    obs += history(seed=2, sessions=2, photos_per_session=2)  # 2 repeat days, df 2
    sessions = [s for ss in build_sessions(obs).values() for s in ss]
    rep = repeatability("hallux_angle", sessions)
    assert rep.source == "published" and rep.mdc95 == 6.9
    assert rep.own_sem is not None and rep.repeat_sessions == 2
    text = " ".join(summary_lines(analyse(obs, km_at), "hallux_angle", ["right"]))
    assert "published figure" in text and "Yamaguchi" in text


def test_measures_without_a_published_figure_say_so() -> None:
    single = history(seed=1, sessions=5, photos_per_session=1, measure="toe_splay")
    rep = repeatability("toe_splay", [s for ss in build_sessions(single).values() for s in ss])
    assert rep.source == "none" and rep.mdc95 is None
    few = history(seed=1, sessions=2, photos_per_session=2, measure="toe_splay")
    rep = repeatability("toe_splay", [s for ss in build_sessions(few).values() for s in ss])
    assert rep.source == "own_few" and rep.mdc95 is not None
    s = analyse(single, km_at).get("toe_splay", "right")
    assert "cannot be judged" in describe_change(s)


def test_theil_sen_matches_scipy() -> None:
    rng = np.random.default_rng(5)
    x = np.sort(rng.uniform(0, 10, 25))
    y = 2 - 0.7 * x + rng.standard_t(3, 25)
    fit = theil_sen(x, y)
    ref = sps.theilslopes(y, x, 0.95)
    assert fit.slope == pytest.approx(ref.slope)
    assert fit.low == pytest.approx(ref.low_slope)
    assert fit.high == pytest.approx(ref.high_slope)


def test_theil_sen_with_three_points_has_no_interval() -> None:
    fit = theil_sen([0, 1, 2], [0, 1, 3])
    assert fit.slope == 1.5 and not fit.has_ci  # median of the slopes 1, 1.5, 3
    assert theil_sen([1, 1], [0, 2]) is None


def test_spearman_matches_scipy() -> None:
    rng = np.random.default_rng(2)
    for n in (5, 7, 20):
        x = rng.normal(size=n)
        y = x + rng.normal(size=n)
        ours, ref = spearman(x, y), sps.spearmanr(x, y)
        assert ours.rho == pytest.approx(ref.statistic)
        if n > 7:  # both use the t approximation there; ours is exact for small n
            assert ours.p == pytest.approx(ref.pvalue, rel=1e-6)
        else:
            assert 0 < ours.p <= 1
    # exact for small n: a perfect order of 5 happens in 2 of the 120 orders (either sign)
    assert spearman([1, 2, 3, 4, 5], [2, 4, 5, 8, 9]).p == pytest.approx(2 / 120)


def test_small_samples_get_an_honest_sentence() -> None:
    obs = history(seed=4, sessions=4)
    text = " ".join(summary_lines(analyse(obs, km_at), "hallux_angle", ["right"]))
    assert "far too few days" in text
    assert "can tell barefoot running apart" in text
    obs = history(seed=4, sessions=7)
    text = " ".join(summary_lines(analyse(obs, km_at), "hallux_angle", ["right"]))
    assert "under 10 days" in text


def test_asymmetry_pairs_days_with_both_feet() -> None:
    left = history(seed=1, foot="left", start_value=16.0, drift_per_1000km=0, sessions=5)
    right = history(seed=1, foot="right", start_value=12.0, drift_per_1000km=0, sessions=5)
    right = [Observation(o.photo_id + 1000, *list(o.__dict__.values())[1:]) for o in right]
    stats = analyse(left + right, km_at)
    pairs = stats.asymmetry["hallux_angle"]
    assert len(pairs) == 5
    assert all(p.difference == pytest.approx(4.0) for p in pairs)  # same seed: same noise
    lines = summary_lines(stats, "hallux_angle")
    assert any("left − right: +4.0°" in line for line in lines)


def test_cumulative_lookup_is_a_step_function() -> None:
    at = cumulative_km_lookup([date(2020, 1, 2), date(2020, 1, 5)], [3.0, 8.0])
    assert at(date(2020, 1, 1)) == 0.0
    assert at(date(2020, 1, 2)) == 3.0
    assert at(date(2020, 1, 4)) == 3.0
    assert at(date(2021, 1, 1)) == 8.0


def test_fast_weekly_totals_equal_the_mileage_module() -> None:
    rng = random.Random(3)
    runs = [
        MileageRun(datetime(2020, 1, 1, 6, tzinfo=UTC) + timedelta(days=rng.randrange(400),
                                                                    hours=rng.randrange(24)),
                   rng.uniform(1000, 9000), rng.choice(["barefoot", "shod", "minimal"]),
                   rng.random() > 0.1)
        for _ in range(300)
    ]
    ours = weekly_totals([(local_day(r.start), r) for r in runs])
    ref = totals(runs, "week", fill_gaps=True)
    assert [(w.key, round(w.barefoot_m, 6), round(w.shod_m, 6), w.runs) for w in ours] == [
        (w.key, round(w.barefoot_m, 6), round(w.shod_m, 6), w.runs) for w in ref
    ]


def test_build_timeline_from_rows_and_table_rows() -> None:
    photos = [
        photo_value(i, taken_at=f"2021-0{m}-01T09:0{i % 2}:00", foot="left", view="dorsal",
                    status="ok" if i % 3 else "review", measures={"hallux_angle": 10 + i * 0.1})
        for i, m in enumerate([1, 1, 3, 5, 7, 9], start=1)
    ] + [photo_value(99, taken_at="2021-02-01T09:00:00", foot="left", view="dorsal",
                     status="failed", measures={})]
    runs = [{"start": f"2021-0{m}-0{d}T07:00:00+00:00", "distance_m": 5000.0,
             "footwear": "barefoot", "counts_toward_mileage": True}
            for m in range(1, 10) for d in (2, 5)]
    events = [{"id": 1, "date": "2021-04-01", "text": "New spacers", "foot": "both"}]
    data = build_timeline(photos, runs, events, person="P")
    assert 99 not in data.photos
    s = data.stats.get("hallux_angle", "left")
    assert [x.barefoot_km for x in s.sessions] == [0.0, 20.0, 40.0, 60.0, 80.0]
    rows = session_rows(data.stats, "P")
    assert rows[0]["photo_ids"] == "2 1" and rows[0]["n_photos"] == 2  # in order taken
    stat = statistics_rows(data.stats, "P")[0]
    assert stat["mdc_source"] == "published" and stat["sessions"] == 5
    late = build_timeline(photos, runs, events, date_from=date(2021, 6, 1))
    assert len(late.stats.get("hallux_angle", "left").sessions) == 2
    assert late.events == [] and late.cumulative_km[-1] == 90.0  # exposure counts from the start


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Pacific/Auckland"])
def test_lean_sql_mileage_equals_the_run_rows(tmp_path, monkeypatch, zone: str) -> None:
    """load_timeline sums runs read lean in SQL; build_timeline sums `list_runs` rows: same
    weeks and cumulative distance, local days included (runs near midnight, offsets)."""
    import time

    from footlog.domain.runs import Run
    from footlog.storage.library import Library
    from footlog.storage.photo_store import list_photos
    from footlog.storage.run_store import list_events, list_runs, save_runs
    from footlog.timeline import load_timeline

    if not hasattr(time, "tzset"):
        pytest.skip("no time.tzset on this platform")
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        rng = random.Random(5)
        with Library.open(tmp_path / "lib") as lib:
            person = lib.add_person("Zed")
            runs = []
            for i in range(400):
                when = datetime(2019, 12, 20, tzinfo=UTC) + timedelta(
                    days=rng.randrange(500), minutes=rng.randrange(24 * 60))
                if i % 7 == 0:
                    when = when.replace(tzinfo=None)  # naive: stored as UTC
                kind = rng.choice(["run", "run", "run", "walk"])
                name = rng.choice(["Barefoot run", "Run", "Minimal shoes run"])
                runs.append(Run(when, rng.choice([0.0, rng.uniform(1000, 9000)]), 1800.0, kind,
                                name, external_id=f"t{i}"))
            save_runs(lib, person, runs)
            for rng_days in [(None, None), (date(2020, 3, 1), date(2020, 9, 30))]:
                lean = load_timeline(lib, person, *rng_days)
                full = build_timeline(list_photos(lib, person), list_runs(lib, person),
                                      list_events(lib, person), "Zed", *rng_days)

                def rows(data):
                    return [(w.key, w.runs, round(w.barefoot_m, 6), round(w.minimal_m, 6),
                             round(w.shod_m, 6), round(w.unknown_m, 6)) for w in data.weeks]

                assert rows(lean) == rows(full) and lean.weeks
                assert lean.cumulative_days == full.cumulative_days
                assert np.allclose(lean.cumulative_km, full.cumulative_km)
    finally:
        monkeypatch.undo()
        time.tzset()


def _line_photo(pid: int, day: str, value: float, line: str | None) -> Photo:
    return photo_value(pid, taken_at=f"{day}T09:00:00", foot="right", view="dorsal",
                       status="ok", measures={"hallux_angle": value, "toe_splay": 5.0},
                       proximal_line=line)


def test_hallux_angles_drawn_from_different_lines_are_not_compared() -> None:
    # Heel-line angles read ~4 deg below window-line ones on the same foot; a series that
    # moves from one line to the other must not report the jump as a change.
    photos = [
        _line_photo(1, "2019-01-05", 12.0, "refined_window"),
        _line_photo(2, "2019-06-05", 12.5, "refined_window"),
        _line_photo(3, "2020-01-05", 8.0, "heel_tangent"),
        _line_photo(4, "2020-06-05", 8.4, "heel_tangent"),
        _line_photo(5, "2020-06-05", 12.1, "refined_window"),  # same day, other line
        _line_photo(6, "2021-01-05", 8.6, None),  # measured before the line was recorded
    ]
    data = build_timeline(photos, [], [], person="P")
    s = data.stats.get("hallux_angle", "right")
    assert len(s.sessions) == 6  # the same day's photos by two lines make two sessions
    assert {(x.day.isoformat(), x.method) for x in s.sessions if x.day.year == 2020} == {
        ("2020-01-05", "heel_tangent"), ("2020-06-05", "heel_tangent"),
        ("2020-06-05", "refined_window")}
    assert s.other_method == 3
    assert s.change is not None and s.change.first.day == date(2020, 1, 5)
    assert s.change.delta == pytest.approx(0.6)
    text = describe_change(s)
    assert "(3 days)" in text and "Photos of 3 days drawn another way" in text
    stat = next(r for r in statistics_rows(data.stats) if r["measure"] == "hallux_angle")
    assert stat["first_date"] == "2020-01-05" and stat["sessions_other_method"] == 3
    assert {r["method"] for r in session_rows(data.stats)} == {
        "", "heel_tangent", "refined_window"}
    # The toe splay has one way of being drawn: every session counts.
    splay = data.stats.get("toe_splay", "right")
    assert splay.other_method == 0 and splay.change.first.day == date(2019, 1, 5)


def test_a_lone_session_of_its_line_says_so() -> None:
    photos = [_line_photo(1, "2019-01-05", 12.0, "refined_window"),
              _line_photo(2, "2020-01-05", 8.0, "heel_tangent")]
    s = build_timeline(photos, [], [], person="P").stats.get("hallux_angle", "right")
    assert s.change is None and s.other_method == 1
    text = describe_change(s)
    assert "the only day drawn this way so far" in text and "8.0" in text


def _obs(pid: int, day: str, value: float, status: str = "ok") -> Observation:
    return Observation(pid, datetime.fromisoformat(f"{day}T09:00:00"), "right", "dorsal",
                       "hallux_angle", value, status)


def test_a_doubted_endpoint_decides_nothing_and_is_named() -> None:
    # The 2011 photo the detector doubted reads 30 deg; the trusted ones ~11 deg. Before,
    # "-19 deg since December 2011: likely a real change" rested on it.
    obs = [_obs(1, "2011-12-05", 30.0, "review"),
           _obs(2, "2015-03-01", 11.0, "confirmed"),
           _obs(3, "2018-03-01", 11.5, "ok"),
           _obs(4, "2021-03-01", 10.8, "manual"),
           _obs(5, "2021-09-01", 2.0, "review")]
    s = analyse(obs).get("hallux_angle", "right")
    assert len(s.sessions) == 5 and len(s.trusted) == 3  # all drawn, three decide
    assert s.change.first.day == date(2015, 3, 1) and s.change.latest.day == date(2021, 3, 1)
    assert s.change.delta == pytest.approx(-0.2) and s.change.beyond_noise is False
    assert s.doubted_first.day == date(2011, 12, 5)
    assert s.doubted_latest.day == date(2021, 9, 1)
    text = describe_change(s)
    assert "since March 2015 (3 days of trusted photos, of 5)" in text
    assert "The first photo, of December 2011, is unconfirmed" in text
    assert "The latest photo, of September 2021, is unconfirmed" in text
    assert s.trend_year is not None and s.trend_year.n == 3


def test_confirming_a_doubted_photo_lets_it_count() -> None:
    obs = [_obs(1, "2011-12-05", 30.0, "review"), _obs(2, "2021-03-01", 11.0, "ok")]
    s = analyse(obs).get("hallux_angle", "right")
    assert s.change is None and "no change can be judged until another is confirmed" in \
        describe_change(s)
    obs[0] = _obs(1, "2011-12-05", 30.0, "confirmed")
    s = analyse(obs).get("hallux_angle", "right")
    assert s.change.delta == pytest.approx(-19.0) and s.change.beyond_noise is True
    assert s.doubted_first is None and "unconfirmed" not in describe_change(s)


def test_nothing_trusted_says_what_to_do() -> None:
    obs = [_obs(1, "2019-01-01", 10.0, "review"), _obs(2, "2020-01-01", 12.0, "review")]
    s = analyse(obs).get("hallux_angle", "right")
    assert s.change is None and s.trend_year is None
    assert "no photo of its 2 days is trusted yet" in describe_change(s)


def test_doubted_repeats_do_not_inflate_the_noise() -> None:
    # Six days with two trusted photos 1 deg apart, and a doubted photo far off.
    obs = []
    for k, day in enumerate([f"2020-0{m}-01" for m in range(1, 7)]):
        obs += [_obs(10 * k, day, 10.0, "ok"), _obs(10 * k + 1, day, 11.0, "confirmed"),
                _obs(10 * k + 2, day, 25.0, "review")]
    rep = analyse(obs).repeatability["hallux_angle"]
    assert rep.source == "own" and rep.sem == pytest.approx(math.sqrt(0.5))


@pytest.mark.parametrize("n1, n2", [(1, 1), (2, 2), (3, 3), (1, 3)])
def test_the_noise_of_session_means_shrinks_with_their_photos(n1, n2) -> None:
    from footlog.domain.statistics import session_mdc

    assert session_mdc(6.9, n1, n2) == pytest.approx(6.9 * math.sqrt((1 / n1 + 1 / n2) / 2))
    if n1 == n2:
        assert session_mdc(6.9, n1, n2) == pytest.approx(6.9 / math.sqrt(n1))
    assert session_mdc(None, n1, n2) is None


def test_the_session_mdc_is_the_right_false_alarm_rate() -> None:
    # No true change, noise SD 1.5 per photo, sessions of 3 photos: "beyond noise" must
    # fire about 5 % of the time when the own SEM is known exactly.
    rng = random.Random(5)
    sem = 1.5
    mdc = MDC_FACTOR * sem
    from footlog.domain.statistics import session_mdc

    alarms = 0
    trials = 4000
    for _ in range(trials):
        a = sum(rng.gauss(0, sem) for _ in range(3)) / 3
        b = sum(rng.gauss(0, sem) for _ in range(3)) / 3
        alarms += abs(b - a) > session_mdc(mdc, 3, 3)
    assert 0.035 < alarms / trials < 0.065
