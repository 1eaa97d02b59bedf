"""The timeline's words: a plain lead first, the numbers after, never a zero count."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from test_statistics import history, km_at

from footlog.domain.measure_guide import GUIDES, plain_name, tooltip
from footlog.domain.statistics import Observation, analyse
from footlog.domain.stats_text import (
    describe_repeatability,
    format_value,
    lead_sentence,
    plain_summary,
)
from footlog.domain.views import MEASURES

# "0 days", "only 0 days", "0 degrees of freedom", "0 sessions", "0 photos"...
ZERO_COUNT = re.compile(r"\b0 (day|session|photo|degree|repeat)", re.IGNORECASE)
JARGON = ("degrees of freedom", "95 % CI", "Spearman ρ =", "own_few", "MDC95,")


def _obs(pid: int, day: str, value: float, status: str = "ok", foot: str = "right",
         measure: str = "hallux_angle") -> Observation:
    return Observation(pid, datetime.fromisoformat(f"{day}T09:00:00"), foot, "dorsal",
                       measure, value, status)


SCENARIOS = {
    "drift with repeats": history(seed=3, drift_per_1000km=-2.5),
    "no drift": history(seed=11, drift_per_1000km=0.0, sessions=12),
    "single photos, published figure": history(seed=1, sessions=6, photos_per_session=1),
    "single photos, no published figure": history(seed=1, sessions=5, photos_per_session=1,
                                                  measure="toe_splay"),
    "few repeats": history(seed=1, sessions=2, photos_per_session=2, measure="toe_splay"),
    "one day": [_obs(1, "2020-01-01", 10.0)],
    "nothing trusted": [_obs(1, "2019-01-01", 10.0, "review"),
                        _obs(2, "2020-01-01", 12.0, "review")],
    "doubted ends": [_obs(1, "2011-12-05", 30.0, "review"), _obs(2, "2015-03-01", 11.0),
                     _obs(3, "2018-03-01", 11.5), _obs(4, "2021-09-01", 2.0, "review")],
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_no_sentence_counts_zero_and_the_lead_has_no_jargon(name: str) -> None:
    obs = SCENARIOS[name]
    measure = obs[0].measure
    words = plain_summary(analyse(obs, km_at), measure)
    for line in words.lines():
        assert not ZERO_COUNT.search(line), line
    for line in words.lead:
        assert line.startswith(f"Your left {plain_name(measure)}") or line.startswith(
            f"Your right {plain_name(measure)}"), line
        assert not any(j in line for j in JARGON), line
        assert "±" not in line  # the lead says "more than your photos vary", not a band
    assert len(words.lead) == 2  # one sentence (and its advice) per foot


def test_the_lead_says_the_verdict_and_what_to_do() -> None:
    s = analyse(SCENARIOS["no drift"], km_at).get("hallux_angle", "right")
    assert lead_sentence(s).startswith(
        "Your right big-toe angle has not changed by more than your photos vary (")
    s = analyse(SCENARIOS["drift with repeats"], km_at).get("hallux_angle", "right")
    assert "more than your photos vary, so likely a real change" in lead_sentence(s)
    s = analyse(SCENARIOS["single photos, no published figure"], km_at).get(
        "toe_splay", "right")
    assert "take two or three photos on the same day to learn it" in lead_sentence(s)
    s = analyse(SCENARIOS["nothing trusted"]).get("hallux_angle", "right")
    assert "the detector doubted its photos so far" in lead_sentence(s)
    assert "Review Photos" in lead_sentence(s)
    s = analyse(SCENARIOS["doubted ends"]).get("hallux_angle", "right")
    assert "The first photo, of December 2011, is unconfirmed" in lead_sentence(s)
    s = analyse(SCENARIOS["one day"]).get("hallux_angle", "right")
    assert lead_sentence(s) == ("Your right big-toe angle was 10.0° on 1 January 2020; "
                                "photos of a later day will show any change.")


def test_no_repeat_photos_says_what_to_do_instead_of_counting_zero() -> None:
    stats = analyse(SCENARIOS["single photos, published figure"], km_at)
    text = describe_repeatability(stats.repeatability["hallux_angle"])
    assert "Take two or three photos on the same day to learn how much your own" in text
    assert "only 0" not in text and "Yamaguchi" in text
    few = analyse(SCENARIOS["few repeats"], km_at).repeatability["toe_splay"]
    assert "You have repeat photos on 2 days" in describe_repeatability(few)


def test_the_numbers_stay_in_the_details() -> None:
    words = plain_summary(analyse(SCENARIOS["drift with repeats"], km_at), "hallux_angle",
                          ["right"])
    details = " ".join(words.details)
    assert "per 1,000 km, likely between" in details and "Rank correlation" in details
    assert "MDC95" in details and "SEM" in details


def test_a_rounded_zero_has_no_sign() -> None:
    assert format_value("hallux_angle", -0.01, signed=True) == "0.0°"
    assert format_value("hallux_angle", -0.06, signed=True) == "\u22120.1°"


def test_every_measure_has_words() -> None:
    assert set(GUIDES) == set(MEASURES)
    for name, g in GUIDES.items():
        assert g.what and g.larger and g.smaller and g.how_drawn, name
        assert tooltip(name).startswith(MEASURES[name].label + ": ")
        assert g.trust_text().endswith("enough of them."), name
    assert "6.9°" in GUIDES["hallux_angle"].trust_text()
    assert "negative" in GUIDES["toe_splay"].smaller
    assert "11.0°" in GUIDES["toe_splay"].trust_text()  # 1.96 x sqrt(2) x 3.97


def test_the_command_line_says_the_same_words(capsys) -> None:
    import json

    from footlog.cli import main

    assert main(["measures", "toe_splay"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Toe splay (toe_splay): ") and GUIDES["toe_splay"].smaller in out
    assert main(["measures", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [m["name"] for m in listed] == list(GUIDES)
    assert listed[0]["trust"] == GUIDES["hallux_angle"].trust_text()
    assert main(["measures", "no_such_measure"]) == 1
    assert "no measure called no_such_measure" in capsys.readouterr().err
