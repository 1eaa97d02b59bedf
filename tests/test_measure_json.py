"""`footlog measure --json`: the fields scripts rely on."""

from __future__ import annotations

import json

import pytest
from testdata import DATA

from footlog.cli import main
from footlog.domain.results import outline_points


def test_measure_json_gives_the_outline_in_photo_pixels(capsys):
    photo = DATA / "photos" / "ala-jaidi__1.jpg"
    assert main(["measure", str(photo), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    outline = result["outline"]
    assert 50 <= len(outline) <= 400
    width, height = 1536, 2048
    assert all(0 <= x < width and 0 <= y < height for x, y in outline)
    xs = [x for x, _ in outline]
    assert max(xs) - min(xs) > width * 0.25  # a foot, not a speck


def test_outline_points_thins_evenly_and_keeps_short_outlines():
    long = [(float(i), 0.0) for i in range(1000)]
    thinned = outline_points(long, limit=400)
    assert len(thinned) == 400 and thinned[0] == [0.0, 0.0] and thinned[-1][0] >= 997
    assert outline_points([(1.234, 5.678)]) == [[1.2, 5.7]]
    assert outline_points(None) is None and outline_points([]) is None


@pytest.mark.parametrize("empty", [None, []])
def test_no_outline_is_null(empty):
    assert outline_points(empty) is None


def test_measure_json_says_how_steady_an_ok_photo_was(capsys):
    """An `ok` photo was measured on every perturbation, and its figures are the ones that
    let it stay `ok`; a photo doubted for another reason has no stability record."""
    photo = DATA / "photos" / "ala-jaidi__aaa.jpg"
    assert main(["measure", str(photo), "--json", "--view", "dorsal"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "ok"
    st = result["stability"]
    assert set(st) == {"spread", "measure_spread", "renumbered", "side_changed", "lost",
                       "runs"}
    assert st["runs"] == 5 and not st["renumbered"] and not st["lost"]
    assert set(st["spread"]) == set(result["landmarks"])
    assert all(0 <= v <= 3.0 for v in st["measure_spread"].values())
    photo = DATA / "photos" / "ala-jaidi__bbb.jpg"  # no page found: review before stability
    assert main(["measure", str(photo), "--json", "--view", "dorsal"]) == 0
    assert json.loads(capsys.readouterr().out)["stability"] is None


def test_measure_json_says_why_a_photo_is_not_measurable(capsys):
    """`view_guess` and `not_measurable` are added fields: a seated photo of both feet with
    no view given is refused with its reason; told the view, nothing is guessed."""
    photo = DATA / "photos" / "seated" / "RafiansyahDS__91_68cm_17-May-2023-12_08_18.jpg"
    assert main(["measure", str(photo), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "failed" and result["measures"] == {}
    assert result["view_guess"]["view"] == "not measurable"
    assert result["not_measurable"]["cause"] == "two_feet"
    assert "seated" in result["not_measurable"]["reason"]
    photo = DATA / "photos" / "ala-jaidi__t.jpg"
    assert main(["measure", str(photo), "--view", "dorsal", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["view_guess"] is None and result["not_measurable"] is None
    assert result["measures"]
