"""Where the landmarks' names go on the photo: beside their handle, never over one another.

At fit-to-window zoom the toe tips and joints sit a few screen pixels apart, and names
placed always to the right of their handle covered each other. Each name tries a few places
around its handle, nearest first, and takes the first that overlaps no name already placed
and no other handle; a name that finds none is hidden (the handle shows it when hovered or
selected, and its tooltip always does). The selected landmark is placed first, so its name
always shows.

Everything here is in screen pixels relative to the photo's origin (scene coordinates times
the zoom): the names ignore the view's zoom, the handles' positions do not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QPointF, QRectF, QSizeF

LABEL_GAP_PX = 3.0  # screen px between a handle's edge and its name
# How far out the second ring of places lies, in name heights: one ring more before hiding.
FAR_RING_STEP = 1.2


def short_words(words: str) -> str:
    """The words before any parenthesis: 'big toe joint (medial bump)' -> 'big toe joint'.
    The full words stay in the tooltip and the list."""
    return words.split(" (", 1)[0].strip()


def _candidates(size: QSizeF, radius: float) -> list[QPointF]:
    """Top-left corners of the name relative to its handle's centre, nearest places first:
    right, left, above, below, the four corners, then the same a little further out."""
    w, h, r = size.width(), size.height(), radius + LABEL_GAP_PX
    places: list[QPointF] = []
    for far in (0.0, FAR_RING_STEP * h):
        d = r + far
        places += [
            QPointF(d, -h / 2),  # right
            QPointF(-d - w, -h / 2),  # left
            QPointF(-w / 2, -d - h),  # above
            QPointF(-w / 2, d),  # below
            QPointF(d * 0.7, -d * 0.7 - h),  # above right
            QPointF(d * 0.7, d * 0.7),  # below right
            QPointF(-d * 0.7 - w, -d * 0.7 - h),  # above left
            QPointF(-d * 0.7 - w, d * 0.7),  # below left
        ]
    return places


def place_labels(
    anchors: Mapping[str, QPointF],
    sizes: Mapping[str, QSizeF],
    radius: float,
    order: Iterable[str],
    bounds: QRectF | None = None,
    always: str | None = None,
) -> dict[str, QPointF | None]:
    """For each name in `order`: the top-left corner of its label relative to its anchor
    (screen px), or None when every place would overlap a label already placed or another
    handle (a disc of `radius` around each anchor). With `bounds`, a place that leaves them
    (the photo's edge, say) is taken only when nothing else is free. The name `always` (the
    selected landmark, placed first) shows even when it must cover a handle."""
    handles = {
        name: QRectF(p.x() - radius, p.y() - radius, 2 * radius, 2 * radius)
        for name, p in anchors.items()
    }
    placed: list[QRectF] = []
    result: dict[str, QPointF | None] = {}
    for name in order:
        anchor, size = anchors[name], sizes[name]
        others = [rect for other, rect in handles.items() if other != name]
        free: list[tuple[QPointF, QRectF]] = []
        for offset in _candidates(size, radius):
            rect = QRectF(anchor + offset, size)
            if any(rect.intersects(r) for r in placed) or any(rect.intersects(r)
                                                              for r in others):
                continue
            free.append((offset, rect))
        inside = [f for f in free if bounds is None or bounds.contains(f[1])]
        chosen = inside[0] if inside else free[0] if free else None
        if chosen is None and name == always:
            first = _candidates(size, radius)[0]
            chosen = (first, QRectF(anchor + first, size))
        if chosen is None:
            result[name] = None
            continue
        result[name] = chosen[0]
        placed.append(chosen[1])
    return result
