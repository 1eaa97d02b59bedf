"""`footlog measure --json` says how the photo was calibrated (`calibration`), and the
library's paper setting is the paper assumed when a page's shape cannot tell."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from page_scenes import FULL_FRAME_DIAGONAL_MM, render_scene
from PIL import ExifTags, Image

from footlog.cli import main
from footlog.domain.calibration import LETTER
from footlog.storage.library import Library

PHOTOS = Path(__file__).parent / "data" / "photos"


def _measure(capsys, *argv: str) -> dict:
    code = main(["measure", *argv, "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    return json.loads(out)["calibration"]


OBLIQUE = PHOTOS / "ala-jaidi__dd.jpg"  # an A4 page seen obliquely, its corner under the heel
FROM_ABOVE = PHOTOS / "wildoctopus__barefeet1.jpeg"  # an A4 page seen from straight above


def test_a_page_without_focal_length(capsys) -> None:
    """A4 page seen obliquely, no EXIF: its four corners in photo px (null for one hidden
    under the heel), the residual in mm, and the paper assumed from the setting (A4 by
    default), its shape fitting A4 and Letter alike."""
    cal = _measure(capsys, str(OBLIQUE), "--view", "dorsal")
    assert cal["method"] == "a4" and cal["paper_size"] == "assumed"
    assert len(cal["corners"]) == 4 and None in cal["corners"]
    width, height = Image.open(OBLIQUE).size
    for corner in cal["corners"]:
        if corner is not None:
            assert 0 <= corner[0] <= width and 0 <= corner[1] <= height
    assert 0 < cal["residual"] < 5


def test_a_page_seen_from_above_tells_its_size_without_focal_length(capsys) -> None:
    """From straight above every lens sees the page's ratio: A4 measured, even when the
    paper given is Letter."""
    cal = _measure(capsys, str(FROM_ABOVE), "--view", "dorsal", "--paper", "letter")
    assert cal["method"] == "a4" and cal["paper_size"] == "measured"


def test_a_page_whose_shape_tells_letter_through_the_exif_focal_length(capsys,
                                                                       tmp_path: Path) -> None:
    """A Letter page seen 30 deg off vertical by a 26 mm-equivalent lens written in the
    EXIF: named Letter, measured, although the paper given is A4."""
    scene = render_scene(3, floor="carpet", paper=LETTER, leg=False, tilt_deg=30.0, fill=0.55,
                         size=(800, 600), focal_35mm=26.0)
    assert abs(scene.focal_px / np.hypot(800, 600) - 26.0 / FULL_FRAME_DIAGONAL_MM) < 1e-9
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.FocalLengthIn35mmFilm] = 26
    path = tmp_path / "letter.jpg"
    Image.fromarray(scene.image).save(path, quality=95, exif=exif)
    cal = _measure(capsys, str(path), "--view", "dorsal", "--paper", "a4")
    assert cal["method"] == "letter" and cal["paper_size"] == "measured"
    truth = sorted(map(tuple, np.round(scene.corners, 0)))
    found = sorted(tuple(np.round(c, 0)) for c in cal["corners"] if c is not None)
    assert len(found) == 4
    assert np.abs(np.array(found) - np.array(truth)).max() <= 3.0  # px


def test_the_paper_given_is_assumed_when_the_shape_cannot_tell(capsys) -> None:
    cal = _measure(capsys, str(OBLIQUE), "--view", "dorsal", "--paper", "letter")
    assert cal["method"] == "letter" and cal["paper_size"] == "assumed"


def test_no_page(capsys) -> None:
    cal = _measure(capsys, str(PHOTOS / "hard" / "OllieBoyne__2.png"), "--view", "dorsal")
    assert cal == {"method": "none", "corners": None, "residual": None, "paper_size": None}


def test_the_library_paper_setting_is_used_when_measuring(capsys, tmp_path: Path) -> None:
    lib_dir = tmp_path / "lib"
    assert main(["--library", str(lib_dir), "paper"]) == 0
    assert "paper: a4" in capsys.readouterr()[0]
    assert main(["--library", str(lib_dir), "paper", "letter"]) == 0
    capsys.readouterr()
    assert main(["--library", str(lib_dir), "import", "--view", "dorsal", str(OBLIQUE)]) == 0
    capsys.readouterr()
    with Library.open(lib_dir, create=False) as lib:
        stored = lib.db.execute("SELECT calibration FROM photos").fetchone()[0]
    cal = json.loads(stored)
    assert cal["method"] == "letter" and cal["paper_size"] == "assumed"


def test_a_wrong_paper_is_refused_in_one_line(capsys) -> None:
    try:
        main(["measure", str(FROM_ABOVE), "--paper", "a5"])
    except SystemExit as exc:
        assert exc.code != 0
    _, err = capsys.readouterr()
    assert "invalid choice" in err and "Traceback" not in err
