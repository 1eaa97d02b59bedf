"""Guessing foot and view from names; the domain modules stay pure Python."""

from __future__ import annotations

import subprocess
import sys

import pytest

from footlog.domain.naming import guess_foot, tokens, view_from_name
from footlog.domain.views import Foot, View

L, R, U = Foot.LEFT, Foot.RIGHT, Foot.UNKNOWN


@pytest.mark.parametrize(
    ("name", "foot"),
    [
        ("left.jpg", L),
        ("RIGHT.JPG", R),
        ("2021-03 links.jpg", L),
        ("rechter_Fuss.png", R),
        ("pied_gauche.jpg", L),
        ("pied droit.jpg", R),
        ("pie_izquierdo.heic", L),
        ("pie derecho.heic", R),
        ("foot_L.jpg", L),
        ("L_foot.jpg", L),
        ("IMG_1234_R.jpg", R),
        ("lf.jpg", L),
        ("rf_top.jpg", R),
        ("Lt foot.jpg", L),
        ("L1.jpg", L),
        ("R02.jpg", R),
        ("leftFoot.jpg", L),
        ("LFoot.png", L),
        ("RFoot.png", R),
        ("rightfoot.jpg", R),
        ("left2.jpg", L),
        ("feet/left/IMG_0001.jpg", L),
        ("feet\\rechts\\IMG_0001.jpg", R),
        ("R:\\feet\\IMG_0001.jpg", U),  # a Windows drive letter is not a side
        # not sides
        ("blue_leather.jpg", U),
        ("brightness.jpg", U),
        ("IMG_1234.jpg", U),
        ("R0010001.JPG", U),  # Ricoh file numbering
        ("IMG_1234L.jpg", U),
        ("LR.jpg", U),
        ("HDR.jpg", U),
        ("DSC_0001.JPG", U),
        # a letter inside a word, or glued to one by case alone, is not a side
        ("ball.jpg", U),
        ("BallL.jpg", U),
        ("ScanL.jpg", U),
        ("iPhoneR.jpg", U),
        ("small_photo.jpg", U),
        # an elided article is not a side
        ("photo de l'avant-pied.jpg", U),
        ("l’orteil.jpg", U),
        ("dell'alluce_R.jpg", R),
        # both named: unsure
        ("left_and_right.jpg", U),
        ("L+R.jpg", U),
        ("links rechts.jpg", U),
        ("left/right_foot.jpg", U),
    ],
)
def test_guess_foot(name: str, foot: Foot):
    assert guess_foot(name) == foot


@pytest.mark.parametrize(
    ("name", "view"),
    [
        ("left_dorsal.jpg", View.DORSAL),
        ("top.jpg", View.DORSAL),
        ("from_above.jpg", View.DORSAL),
        ("TopView_R.jpg", View.DORSAL),
        ("links oben.jpg", View.DORSAL),
        ("medial_left.jpg", View.MEDIAL),
        ("side.jpg", View.MEDIAL),
        ("inner-side.jpg", View.MEDIAL),
        ("arch R.jpg", View.MEDIAL),
        ("Profile.png", View.MEDIAL),
        ("plantar.jpg", View.PLANTAR),
        ("footprint_2021.jpg", View.PLANTAR),
        ("ink print.png", View.PLANTAR),
        ("sole.jpg", View.PLANTAR),
        ("podoscope/IMG_1.jpg", View.PLANTAR),
        # not views
        ("laptop.jpg", View.UNKNOWN),
        ("Archive/IMG_1.jpg", View.UNKNOWN),
        ("sideboard.jpg", View.UNKNOWN),
        ("IMG_1234.jpg", View.UNKNOWN),
        # conflicting or another view
        ("side_and_top.jpg", View.UNKNOWN),
        ("lateral_side.jpg", View.UNKNOWN),
        ("outer profile.jpg", View.UNKNOWN),
    ],
)
def test_view_from_name(name: str, view: View):
    assert view_from_name(name) == view


def test_tokens_split_camel_case_digits_and_separators():
    assert tokens("IMG_1234-leftFoot.JPG") == ["img", "1234", "left", "foot", "jpg"]
    assert tokens("LFoot2") == ["l", "foot", "2"]
    assert tokens("C:\\Fotos\\Füße links") == ["fotos", "füße", "links"]


def test_domain_modules_import_nothing_heavy():
    code = (
        "import sys, footlog.domain.naming, footlog.domain.filename_dates\n"
        "heavy = {'PIL', 'cv2', 'skimage', 'sqlite3', 'sqlite_utils', 'PySide6'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
