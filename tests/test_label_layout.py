"""Placing the landmarks' names: no name over another or over a handle, nearest place
first, the selected one always shown."""

from __future__ import annotations

from itertools import combinations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPointF, QRectF, QSizeF

from footlog.gui.label_layout import place_labels, short_words

RADIUS = 7.0
SIZE = QSizeF(80, 16)


def _rects(anchors, places):
    return {n: QRectF(anchors[n] + o, SIZE) for n, o in places.items() if o is not None}


def test_short_words_drop_the_parenthesis():
    assert short_words("big toe joint (medial bump)") == "big toe joint"
    assert short_words("big toe tip") == "big toe tip"


def test_a_lone_name_goes_to_the_right_of_its_handle():
    places = place_labels({"a": QPointF(100, 100)}, {"a": SIZE}, RADIUS, ["a"])
    assert places["a"].x() > RADIUS and places["a"].y() == pytest.approx(-SIZE.height() / 2)


def test_a_row_of_close_handles_gets_names_that_do_not_overlap():
    # Five toe tips 12 px apart: names always to the right would cover each other.
    anchors = {f"t{i}": QPointF(100 + 12 * i, 100 + 4 * i) for i in range(5)}
    sizes = {n: SIZE for n in anchors}
    places = place_labels(anchors, sizes, RADIUS, list(anchors))
    rects = _rects(anchors, places)
    assert all(not rects[a].intersects(rects[b]) for a, b in combinations(rects, 2))
    handles = {n: QRectF(p.x() - RADIUS, p.y() - RADIUS, 2 * RADIUS, 2 * RADIUS)
               for n, p in anchors.items()}
    assert all(not r.intersects(handles[h]) for n, r in rects.items() for h in handles
               if h != n)
    assert len(rects) >= 3


def test_the_selected_name_shows_even_when_crowded():
    # Handles packed so tightly that every place covers one of them.
    anchors = {f"p{i}{j}": QPointF(100 + 10 * i, 100 + 10 * j)
               for i in range(-12, 13) for j in range(-12, 13)}
    sizes = {n: SIZE for n in anchors}
    order = ["p00", *(n for n in anchors if n != "p00")]
    places = place_labels(anchors, sizes, RADIUS, order, always="p00")
    assert places["p00"] is not None
    assert places["p11"] is None
