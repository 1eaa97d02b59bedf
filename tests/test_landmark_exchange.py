"""What was measured, exported so that each number can be checked elsewhere: landmarks.csv
and calibration.csv beside the measures, and labelme files that come back as the person's."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from testdata import PHOTOS

from footlog.cli import main
from footlog.domain.calibration import apply_homography

SOURCE = PHOTOS / "ala-jaidi__aaa.jpg"


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture
def library(tmp_path: Path, capsys) -> tuple[str, int]:
    copy = tmp_path / "right_dorsal.jpg"
    shutil.copy(SOURCE, copy)
    lib = str(tmp_path / "lib")
    code, out = run(capsys, "--library", lib, "import", "--json", str(copy))
    assert code == 0
    return lib, json.loads(out)[0]["photo_id"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_landmarks_and_calibration_csv(library, tmp_path, capsys) -> None:
    lib, pid = library
    code, _ = run(capsys, "--library", lib, "export", "csv", str(tmp_path / "out"))
    assert code == 0
    landmarks = _rows(tmp_path / "out" / "landmarks.csv")
    _, out = run(capsys, "--library", lib, "landmarks", str(pid), "--json")
    info = json.loads(out)
    assert {r["landmark"] for r in landmarks} == set(info["landmarks"])
    calibration = _rows(tmp_path / "out" / "calibration.csv")
    assert [int(r["photo_id"]) for r in calibration] == [pid]
    h = np.array([[float(calibration[0][f"h{r}{c}"]) for c in (1, 2, 3)] for r in (1, 2, 3)])
    for row in landmarks:
        assert row["provenance"] == "detector"
        xy = (float(row["x_px"]), float(row["y_px"]))
        assert list(xy) == pytest.approx(info["landmarks"][row["landmark"]], abs=0.01)
        mm = apply_homography(h, [xy])[0]
        assert (float(row["x_mm"]), float(row["y_mm"])) == pytest.approx(tuple(mm), abs=0.01)


def test_labelme_files_go_out_and_come_back_as_the_persons(library, tmp_path, capsys) -> None:
    lib, pid = library
    folder = tmp_path / "labelme"
    code, out = run(capsys, "--library", lib, "export", "labelme", str(folder))
    assert code == 0
    (written,) = [Path(line) for line in out.split()]
    document = json.loads(written.read_text())
    assert (folder / document["imagePath"]).read_bytes() == SOURCE.read_bytes()
    shapes = {s["label"]: s for s in document["shapes"]}
    assert all(s["shape_type"] == "point" for s in shapes.values())
    assert "detector" in shapes["hallux_tip"]["description"]
    # A reader moves one point in labelme and saves.
    x, y = shapes["hallux_tip"]["points"][0]
    shapes["hallux_tip"]["points"] = [[x + 7.5, y - 2.0]]
    written.write_text(json.dumps(document))
    code, out = run(capsys, "--library", lib, "import-landmarks", str(folder), "--json")
    assert code == 0 and json.loads(out)["placed"] == {str(pid): len(shapes)}
    _, out = run(capsys, "--library", lib, "landmarks", str(pid), "--json")
    info = json.loads(out)
    assert info["landmarks"]["hallux_tip"] == pytest.approx([x + 7.5, y - 2.0], abs=0.01)
    assert set(info["landmark_sources"].values()) == {"person"}
    assert info["status"] == "manual"


@pytest.mark.parametrize("spoil", ["label", "picture", "outside", "name"])
def test_a_wrong_labelme_file_places_nothing(library, tmp_path, capsys, spoil) -> None:
    lib, pid = library
    folder = tmp_path / "labelme"
    _, out = run(capsys, "--library", lib, "export", "labelme", str(folder))
    (written,) = [Path(line) for line in out.split()]
    document = json.loads(written.read_text())
    if spoil == "label":
        document["shapes"][0]["label"] = "heel_spur"
    elif spoil == "picture":
        (folder / document["imagePath"]).write_bytes(b"another picture")
    elif spoil == "outside":
        document["shapes"][0]["points"] = [[-40.0, 10.0]]
    else:
        written.rename(folder / "photo.json")
        written = folder / "photo.json"
    written.write_text(json.dumps(document))
    _, before = run(capsys, "--library", lib, "landmarks", str(pid), "--json")
    code, out = run(capsys, "--library", lib, "import-landmarks", str(folder))
    assert code == 1 and "not read" in out
    _, after = run(capsys, "--library", lib, "landmarks", str(pid), "--json")
    assert json.loads(after)["landmarks"] == json.loads(before)["landmarks"]
