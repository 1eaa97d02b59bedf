"""Measuring again with a look first: the preview stores nothing, shows the changes
largest first, keeps what the person placed or confirmed, and saving is one undo step."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from testdata import PHOTOS

from footlog.cli import main
from footlog.library_measuring import measure_library_photo
from footlog.remeasure import apply_measure_again, preview_measure_again
from footlog.storage.library import Library
from footlog.storage.measure_store import load_landmarks, load_measures
from footlog.storage.photo_snapshot import restore_snapshots, snapshot_photo
from footlog.storage.photo_store import get_photo, import_photo

NAMES = ("ala-jaidi__aaa.jpg", "wildoctopus__barefeet1.jpeg")


@pytest.fixture
def measured(tmp_path: Path) -> tuple[Library, list[int]]:
    """Two reference photos, measured, then their measures spoiled as an older detector
    might have left them (a hallux angle 5 deg off, a toe splay missing)."""
    lib = Library.open(tmp_path / "lib")
    ids = []
    for name in NAMES:
        source = tmp_path / name
        shutil.copy(PHOTOS / name, source)
        ids.append(import_photo(lib, source, lib.person()).photo_id)
        measure_library_photo(lib, ids[-1])
    with lib.db.atomic():
        lib.db.execute("UPDATE measures SET value = value + 5 WHERE photo_id = ? AND "
                       "name = 'hallux_angle'", [ids[0]])
        lib.db.execute("DELETE FROM measures WHERE photo_id = ? AND name = 'toe_splay'",
                       [ids[1]])
    yield lib, ids
    lib.close()


def test_the_preview_stores_nothing_and_lists_largest_first(measured) -> None:
    lib, ids = measured
    before = [snapshot_photo(lib, pid) for pid in ids]
    pending = preview_measure_again(lib, ids)
    assert [snapshot_photo(lib, pid) for pid in ids] == before  # nothing stored
    assert [p.change.photo_id for p in pending] == [ids[1], ids[0]]  # a measure lost first
    spoiled = next(p for p in pending if p.change.photo_id == ids[0]).change
    assert spoiled.before["hallux_angle"] - spoiled.after["hallux_angle"] == pytest.approx(5)

    stored, skipped = apply_measure_again(lib, pending)
    assert sorted(stored) == sorted(ids) and not skipped
    assert load_measures(lib, ids[0])["hallux_angle"] == pytest.approx(
        spoiled.after["hallux_angle"])
    assert "toe_splay" in load_measures(lib, ids[1])
    # One snapshot puts everything back (the undo of the window).
    restore_snapshots(lib, before)
    assert [snapshot_photo(lib, pid) for pid in ids] == before


def test_a_photo_edited_after_the_preview_is_kept_as_it_is(measured) -> None:
    from footlog.storage.measure_store import set_manual_landmark

    lib, ids = measured
    pending = preview_measure_again(lib, ids)
    set_manual_landmark(lib, ids[0], "hallux_tip", 100.0, 100.0)
    stored, skipped = apply_measure_again(lib, pending)
    assert skipped == [ids[0]] and stored == [ids[1]]
    assert load_landmarks(lib, ids[0])["hallux_tip"].source == "manual"


def test_confirmed_landmarks_survive_measuring_again(measured) -> None:
    from footlog.storage.confirm_store import confirm_photos

    lib, ids = measured
    confirm_photos(lib, [ids[0]], by="tester")
    placed = {n: (s.x, s.y) for n, s in load_landmarks(lib, ids[0]).items()}
    apply_measure_again(lib, preview_measure_again(lib, ids))
    assert {n: (s.x, s.y) for n, s in load_landmarks(lib, ids[0]).items()} == placed
    assert get_photo(lib, ids[0]).status == "confirmed"


def test_measure_again_preview_on_the_command_line(measured, capsys) -> None:
    lib, ids = measured
    root = str(lib.root)
    before = load_measures(lib, ids[0])
    lib.close()
    code = main(["--library", root, "measure-again", "--all", "--preview", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and [c["photo_id"] for c in out][:2] == [ids[1], ids[0]]
    with Library.open(Path(root)) as again:
        assert load_measures(again, ids[0]) == before  # nothing saved
    code = main(["--library", root, "measure-again", "--all", "--preview"])
    assert code == 0 and "nothing was saved" in capsys.readouterr().out
