"""The editor on a photo of both feet: which foot is which, and the person's corrections
(swap, one foot, two feet, the other foot), each undone by the editor's undo."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_helpers import drag
from PySide6.QtCore import QPointF, Qt

from footlog.storage.feet_store import photo_feet
from footlog.storage.photo_store import import_photo, list_photos

HARD = Path(__file__).parent / "data" / "photos" / "hard"
BOTH_FEET = HARD / "RafiansyahDS__91_66cm_17-May-2023-12_08_18.jpg"


def _open_both_feet(window, qtbot) -> int:
    lib = window.session.library
    photo_id = import_photo(lib, BOTH_FEET, lib.person(), measure=False).photo_id
    window.open_photo(photo_id)
    window.editor.wait_for_image()
    window.editor.rerun_detector()
    qtbot.waitUntil(lambda: window.editor._rerun is None, timeout=60000)
    return photo_id


def _sides(window) -> dict[int, str]:
    return {f.photo_id: str(f.foot) for f in photo_feet(window.session.library,
                                                        window.editor.photo_id)}


def test_editor_shows_each_foot_labelled_and_swaps_with_undo(window, qtbot) -> None:
    photo_id = _open_both_feet(window, qtbot)
    editor = window.editor
    assert editor.feet_bar.swap_button.isVisibleTo(editor)
    labels = {pid: item.text() for pid, item in editor.feet_overlay.labels.items()}
    assert sorted(labels.values()) == ["L", "R"]
    before = _sides(window)
    qtbot.mouseClick(editor.feet_bar.swap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor._rerun is None, timeout=60000)
    swapped = _sides(window)
    assert all(swapped[i] != before[i] for i in before)
    assert {pid: item.text() for pid, item in editor.feet_overlay.labels.items()} == {
        pid: {"L": "R", "R": "L"}[t] for pid, t in labels.items()}
    editor.undo_stack.undo()
    qtbot.waitUntil(lambda: editor._rerun is None, timeout=60000)
    assert _sides(window) == before
    assert editor.photo_id == photo_id


def test_only_one_foot_and_back_with_undo(window, qtbot) -> None:
    _open_both_feet(window, qtbot)
    editor = window.editor
    qtbot.mouseClick(editor.feet_bar.other_button, Qt.MouseButton.LeftButton)
    other = editor.photo_id
    assert len(_sides(window)) == 2 and other in _sides(window)
    # "Only one foot" from the other foot's row: that row goes, the original's opens.
    qtbot.mouseClick(editor.feet_bar.one_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor._rerun is None, timeout=60000)
    assert len(list_photos(window.session.library)) == 1
    assert editor.photo_id != other and editor.feet_bar.two_button.isVisibleTo(editor)
    assert editor.feet_overlay.labels == {}
    editor.undo_stack.undo()
    qtbot.waitUntil(lambda: editor._rerun is None, timeout=60000)
    assert sorted(_sides(window).values()) == ["left", "right"]
    # "Two feet" on a photo of one: split down the middle, left half the left foot.
    editor.undo_stack.redo()
    qtbot.waitUntil(lambda: editor._rerun is None, timeout=60000)
    qtbot.mouseClick(editor.feet_bar.two_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor._rerun is None, timeout=60000)
    feet = photo_feet(window.session.library, editor.photo_id)
    assert [str(f.foot) for f in feet] == ["left", "right"]
    assert max(x for x, _ in feet[0].region) <= min(x for x, _ in feet[1].region)


def test_drawing_the_split_divides_the_feet_along_the_line(window, qtbot) -> None:
    photo_id = _open_both_feet(window, qtbot)
    editor = window.editor
    lib = window.session.library
    before = [(f.foot, f.region) for f in photo_feet(lib, photo_id)]
    width, height = editor.photo.width, editor.photo.height
    editor.canvas.fit()
    qtbot.mouseClick(editor.feet_bar.line_button, Qt.MouseButton.LeftButton)
    assert editor.canvas.splitting
    # A vertical line at 60 % of the width: everything of the feet left of it is the left
    # foot, right of it the right foot.
    x = 0.6 * width
    start = editor.canvas.mapFromScene(QPointF(x, 0.05 * height))
    end = editor.canvas.mapFromScene(QPointF(x, 0.95 * height))
    drag(editor.canvas.viewport(), start, end)
    qtbot.waitUntil(lambda: editor._rerun is None, timeout=60000)
    assert not editor.canvas.splitting
    feet = {str(f.foot): f for f in photo_feet(lib, photo_id)}
    slack = 0.01 * max(width, height)
    assert max(p[0] for p in feet["left"].region) <= x + slack
    assert min(p[0] for p in feet["right"].region) >= x - slack
    editor.undo_stack.undo()
    qtbot.waitUntil(lambda: editor._rerun is None, timeout=60000)
    assert [(f.foot, f.region) for f in photo_feet(lib, photo_id)] == before
