"""Bugs that mypy found: each test fails on the code before its fix.

- The background workers kept their QThread in an attribute named `thread`, hiding Qt's
  own `QObject.thread()`: asking a worker which thread it lives in raised TypeError.
- The editor's foot corrections (swap, one foot, two feet, the other foot) ran with no
  photo open, passing `None` as the photo's id to the library.
- `pair_of_feet` answered with numpy's bool instead of Python's.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QThread

from footlog.analysis.two_feet import pair_of_feet
from footlog.gui.background import Worker


def test_a_worker_tells_the_thread_it_runs_in(qtbot, tmp_path) -> None:
    worker = Worker(lambda _progress, _cancelled: "done")
    # Before start the worker already lives in its own thread, not in the GUI's.
    assert isinstance(worker.thread(), QThread)
    assert worker.thread() is not QThread.currentThread()
    with qtbot.waitSignal(worker.finished, timeout=10000) as done:
        worker.start()
    assert done.args == ["done"]
    assert worker.wait(10000)


@pytest.mark.parametrize("action", ["swap_feet", "one_foot", "two_feet", "other_foot"])
def test_foot_corrections_with_no_photo_open_do_nothing(window, action) -> None:
    editor = window.editor
    assert editor.photo_id is None
    getattr(editor, action)()
    assert editor.undo_stack.count() == 0


def test_pair_of_feet_answers_a_python_bool() -> None:
    # Two skin-coloured feet side by side on a grey floor, far enough apart to be judged
    # by their colour against the floor around each.
    rgb = np.full((200, 200, 3), 128, np.uint8)
    masks = [np.zeros((200, 200), np.uint8) for _ in range(2)]
    for mask, x0 in zip(masks, (30, 120), strict=True):
        rgb[40:170, x0:x0 + 50] = (205, 150, 125)
        mask[40:170, x0:x0 + 50] = 1
    for by_colour in (True, False):
        assert type(pair_of_feet(rgb, masks, by_colour)) is bool
