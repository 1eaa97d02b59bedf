"""benchmarks/scenes.py: how it scores a page and a mask, its options, and a run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import scenes as bench
from PIL import Image
from scene_generator import generate_scene, scene_seeds
from scene_generator.render import EXIF_IFD, FOCAL_LENGTH_35MM

QUAD = np.array([[10.0, 10], [110, 12], [108, 160], [8, 158]])


def test_corner_error_takes_the_best_order_of_the_corners() -> None:
    for quad in (QUAD, np.roll(QUAD, 1, axis=0), QUAD[::-1], np.roll(QUAD[::-1], 3, axis=0)):
        assert bench.corner_error(quad, QUAD) == pytest.approx(0.0)
    assert bench.corner_error(QUAD + np.array([3.0, 4.0]), QUAD) == pytest.approx(5.0)
    one_off = QUAD.copy()
    one_off[2] += [0, 8.0]
    assert bench.corner_error(one_off, QUAD) == pytest.approx(2.0)


def test_iou_inside_a_region() -> None:
    a = np.zeros((10, 10), bool)
    b = np.zeros((10, 10), bool)
    a[:, :6] = True
    b[:, 4:] = True
    assert bench.iou(a, b) == pytest.approx(20 / 100)
    region = np.zeros((10, 10), bool)
    region[:, 4:6] = True
    assert bench.iou(a, b, region) == pytest.approx(1.0)
    assert bench.iou(a & False, b & False) == 1.0
    mask = bench.polygon_mask((200, 200), QUAD)
    assert mask[80, 60] and not mask[5, 5] and not mask[80, 115]


def test_the_timed_photo_is_the_scene_at_12_mp_with_its_focal_length(tmp_path: Path) -> None:
    scene = next(s for s in (generate_scene(x, 0.2) for x in scene_seeds(10, 1))
                 if s.truth.exif_focal)
    path = tmp_path / "big.jpg"
    kx, ky = bench.enlarged(scene.jpeg, 12.0, path)
    with Image.open(path) as im:
        assert im.width * im.height == pytest.approx(12e6, rel=0.01)
        assert (kx, ky) == pytest.approx((im.width / scene.size[0], im.height / scene.size[1]))
        tag = im.getexif().get_ifd(EXIF_IFD).get(FOCAL_LENGTH_35MM)
    assert tag == round(scene.truth.focal_35mm)


@pytest.mark.parametrize("argv, says", [
    (["--count", "0"], "--count must be at least 1"),
    (["--repeat", "0"], "--repeat must be at least 1"),
    (["--megapixels", "900"], "--megapixels must be between"),
])
def test_bad_options_get_one_line(argv, says, capsys) -> None:
    assert bench.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err


def test_an_unwritable_save_folder_gets_one_line(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert bench.main(["--count", "1", "--save", str(blocker / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write to" in err


def test_a_run_scores_each_scene_against_its_truth(tmp_path: Path, capsys) -> None:
    argv = ["--count", "2", "--seed", "5", "--repeat", "1", "--timing-mp", "0",
            "--megapixels", "0.3", "--json", "--save", str(tmp_path)]
    assert bench.main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["total"]["all"]["scenes"] == 2
    for record, seed in zip(out["scenes"], scene_seeds(2, 5), strict=True):
        truth = generate_scene(seed, 0.3).truth
        assert record["seed"] == seed
        assert (record["floor"], record["source"], record["paper"]) == (
            truth.floor, truth.source, truth.paper)
        assert 0.0 <= record["iou"] <= 1.0 and record["measure_ms"] > 0
        if record["page_found"]:
            assert record["corner_error_pct"] <= bench.FOUND_WITHIN
    saved = json.loads((tmp_path / "scenes.json").read_text())
    assert len(saved) == 2 and len(list(tmp_path.glob("*_overlay.png"))) == 2
    assert sorted(p.stat().st_size > 0 for p in tmp_path.glob("*.jpg")) == [True, True]
