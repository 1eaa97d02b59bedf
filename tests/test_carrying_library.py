"""Carrying in a library: a photo confirmed with its reference landmarks, and a new photo of
the same foot imported, as a person would do it from the command line."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from testdata import PHOTOS

from footlog.cli import main

TEMPLATE = PHOTOS / "ala-jaidi__t.jpg"
NEW = PHOTOS / "ala-jaidi__1.jpg"


def run(capsys, *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def carried_library(tmp_path_factory) -> tuple[str, int, int]:
    """A library with ala-jaidi__t confirmed (its reference landmarks) and ala-jaidi__1
    imported after it."""
    tmp = tmp_path_factory.mktemp("carrying")
    lib = str(tmp / "lib")
    def cli(*argv: str) -> str:  # module scope: no capsys
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(list(argv)) == 0
        return out.getvalue()

    ids = []
    for src in (TEMPLATE, NEW):
        copy = tmp / src.name
        shutil.copy(src, copy)
        out = cli("--library", lib, "import", "--json", "--foot", "right", "--view", "dorsal",
                  str(copy))
        ids.append(json.loads(out)[0]["photo_id"])
        if src == TEMPLATE:
            cli("--library", lib, "landmarks", str(ids[0]), "--set", f"{TEMPLATE}.json")
            cli("--library", lib, "confirm", str(ids[0]))
    return lib, ids[0], ids[1]


def test_toe_tips_the_detector_misplaced_are_carried_from_the_confirmed_photo(
        carried_library, capsys) -> None:
    lib, template, new = carried_library
    info = json.loads(run(capsys, "--library", lib, "landmarks", str(new), "--json"))
    carried = info["landmarks_carried_from"]
    assert carried and set(carried.values()) == {template}
    assert all(info["landmark_sources"][n] == "carried" for n in carried)
    assert all(info["landmark_sources"][n] == "detector" for n in info["landmarks"]
               if n not in carried)
    # Each carried landmark lies nearer the hand reference than 3 % of the forefoot width.
    ref = json.loads(Path(f"{NEW}.json").read_text())["landmarks"]
    width = np.linalg.norm(np.subtract(ref["mt1_medial"], ref["mt5_lateral"]))
    for name in carried:
        assert np.linalg.norm(np.subtract(info["landmarks"][name], ref[name])) < 0.03 * width
    # The photo asks to be checked, naming what was carried.
    photos = json.loads(run(capsys, "--library", lib, "photos", "--json"))
    row = next(p for p in photos if p["id"] == new)
    assert row["status"] == "review"
    assert row["landmarks_carried_from"] == carried
    for name in carried:
        assert any(name in w and f"photo {template}" in w for w in row["warnings"])
    text = run(capsys, "--library", lib, "landmarks", str(new))
    assert f"carried from photo {template}" in text


def test_a_carried_landmark_moved_then_reset_is_carried_again(carried_library) -> None:
    from footlog.storage.library import Library
    from footlog.storage.measure_store import load_landmarks, reset_landmark, set_manual_landmark

    lib_path, template, new = carried_library
    with Library.open(Path(lib_path)) as lib:
        name, before = next((n, s) for n, s in load_landmarks(lib, new).items()
                            if s.carried_from is not None)
        set_manual_landmark(lib, new, name, before.x + 5, before.y)
        assert load_landmarks(lib, new)[name].source == "manual"
        reset_landmark(lib, new, name)
        after = load_landmarks(lib, new)[name]
        assert (after.x, after.y, after.source, after.carried_from) == (
            before.x, before.y, "auto", template)
        # The template's toes were cached once, for the next photos.
        assert lib.db.execute("SELECT COUNT(*) FROM template_images").fetchone()[0] == 1


def test_nothing_is_carried_from_the_other_foot(tmp_path, capsys) -> None:
    lib = str(tmp_path / "lib")
    for src, foot in ((TEMPLATE, "left"), (NEW, "right")):
        copy = tmp_path / src.name
        shutil.copy(src, copy)
        pid = json.loads(run(capsys, "--library", lib, "import", "--json", "--foot", foot,
                             "--view", "dorsal", str(copy)))[0]["photo_id"]
        if src == TEMPLATE:
            run(capsys, "--library", lib, "landmarks", str(pid), "--set", f"{TEMPLATE}.json")
            run(capsys, "--library", lib, "confirm", str(pid))
    info = json.loads(run(capsys, "--library", lib, "landmarks", str(pid), "--json"))
    assert info["landmarks_carried_from"] == {}
    assert set(info["landmark_sources"].values()) == {"detector"}


def test_the_editor_says_where_a_carried_landmark_came_from(window, tmp_path) -> None:
    pytest.importorskip("pytestqt")
    from PySide6.QtCore import Qt

    from footlog.commands.landmarks import read_landmark_file
    from footlog.domain.views import Foot, View
    from footlog.library_measuring import measure_library_photo, set_landmarks
    from footlog.storage.confirm_store import confirm_photos
    from footlog.storage.photo_store import import_photo

    lib = window.session.library
    ids = []
    for src in (TEMPLATE, NEW):
        copy = tmp_path / src.name
        shutil.copy(src, copy)
        ids.append(import_photo(lib, copy, lib.person(None), foot=Foot.RIGHT,
                                view=View.DORSAL, measure=False).photo_id)
        measure_library_photo(lib, ids[-1])
        if src == TEMPLATE:
            points = read_landmark_file(Path(f"{TEMPLATE}.json"), View.DORSAL, (1536, 2048))
            set_landmarks(lib, ids[0], points)
            confirm_photos(lib, [ids[0]], "me")
    window.session.photos_changed.emit()
    window.open_photo(ids[1])
    window.editor.wait_for_image()
    items = [window.editor.panel.landmarks.item(i)
             for i in range(window.editor.panel.landmarks.count())]
    carried = [it for it in items if it.text().endswith(f"— photo {ids[0]}")]
    assert all(f"your confirmed photo {ids[0]}" in it.toolTip() for it in carried)
    assert carried, [it.text() for it in items]
    assert all(it.data(Qt.ItemDataRole.UserRole) in ("toe3_tip", "toe4_tip") for it in carried)
