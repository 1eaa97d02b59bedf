"""A photo imported without its foot or view keeps what measuring found: otherwise it stays
"unknown · unknown" and out of the timeline."""

from __future__ import annotations

import json
import shutil

from testdata import PHOTOS

from footlog.cli import main


def _photos(capsys, lib: str) -> list[dict]:
    assert main(["--library", lib, "photos", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_measuring_stores_the_view_and_the_foot_it_found(tmp_path, capsys) -> None:
    src = tmp_path / "IMG_0001.jpg"  # nothing in the name tells foot or view
    shutil.copy(PHOTOS / "ala-jaidi__aaa.jpg", src)
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "import", str(src)]) == 0
    capsys.readouterr()
    photo = _photos(capsys, lib)[0]
    assert (photo["view"], photo["foot"]) == ("dorsal", "right")
    assert photo["measures"]["hallux_angle"] is not None


def test_a_view_measuring_could_not_use_is_not_stored(tmp_path, capsys) -> None:
    from PIL import Image

    src = tmp_path / "IMG_0002.jpg"
    Image.new("RGB", (640, 480), (90, 140, 200)).save(src)  # no foot at all
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "import", str(src)]) == 0
    capsys.readouterr()
    photo = _photos(capsys, lib)[0]
    assert (photo["view"], photo["foot"]) == ("unknown", "unknown")
