"""Which foot is which, in a photo showing both feet: each foot's region drawn on the photo
with its "L" / "R" label (the foot being edited drawn bold), and the person's corrections:
swap left and right, say the photo shows one foot or two, or go to the other foot. Each
correction is one undo step of the editor.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen, QUndoCommand
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from footlog.domain.views import Foot
from footlog.library_measuring import recompute_library_measures
from footlog.storage.feet_store import (
    FootItem,
    feet_source,
    original_id,
    photo_feet,
    set_one_foot,
    set_two_feet,
    swap_sides,
)
from footlog.storage.library import Library

CURRENT_COLOUR = QColor(255, 214, 0)  # the foot being edited
OTHER_COLOUR = QColor(120, 200, 255)  # the photo's other foot
LABEL_SHARE = 0.05  # label height, share of the photo's long side
LABELS = {Foot.LEFT: "L", Foot.RIGHT: "R", Foot.UNKNOWN: "?"}


class FeetOverlay:
    """The feet's regions and labels on a canvas's scene (full-resolution px)."""

    def __init__(self, scene: QGraphicsScene) -> None:
        self.scene = scene
        self.items: list = []
        self.labels: dict[int, QGraphicsSimpleTextItem] = {}

    def show(self, feet: list[FootItem], current: int | None, long_side: int) -> None:
        for item in self.items:
            self.scene.removeItem(item)
        self.items, self.labels = [], {}
        if len(feet) < 2:
            return  # one foot: nothing to tell apart
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(12, round(LABEL_SHARE * long_side)))
        for foot in feet:
            if not foot.region:
                continue
            colour = CURRENT_COLOUR if foot.photo_id == current else OTHER_COLOUR
            path = QPainterPath()
            path.moveTo(*foot.region[0])
            for p in foot.region[1:]:
                path.lineTo(*p)
            path.closeSubpath()
            outline = QGraphicsPathItem(path)
            pen = QPen(colour, 4 if foot.photo_id == current else 2)
            pen.setCosmetic(True)
            if foot.photo_id != current:
                pen.setStyle(Qt.PenStyle.DashLine)
            outline.setPen(pen)
            label = QGraphicsSimpleTextItem(LABELS[foot.foot])
            label.setFont(font)
            label.setBrush(QBrush(colour))
            label.setPen(QPen(QColor(0, 0, 0), 0))
            # Above the region's most distal-looking point: its top.
            top = min(foot.region, key=lambda p: p[1])
            label.setPos(top[0] - font.pixelSize() / 3, max(0.0, top[1] - 1.3 * font.pixelSize()))
            for item in (outline, label):
                self.scene.addItem(item)
                self.items.append(item)
            self.labels[foot.photo_id] = label


class FeetCommand(QUndoCommand):
    """One correction of a photo's feet, undone by restoring the split it replaced (the
    sides and regions; the detector measures the feet again)."""

    def __init__(self, lib: Library, photo_id: int, text: str,
                 change: Callable[[], object], after_change: Callable[[int], None]) -> None:
        super().__init__(text)
        # The original's row: the one row of the photo that no correction removes.
        self.lib, self.photo_id = lib, original_id(lib, photo_id)
        self.change, self.after_change = change, after_change
        self.before = [(f.foot, f.region) for f in photo_feet(lib, photo_id)]
        self.source_before = feet_source(lib, photo_id)

    def redo(self) -> None:
        self.change()
        self.after_change(self.photo_id)

    def undo(self) -> None:
        regions = [(foot, region) for foot, region in self.before if region]
        if len(self.before) == 2 and len(regions) == 2:
            set_two_feet(self.lib, self.photo_id, regions, self.source_before or "manual")
        else:
            set_one_foot(self.lib, self.photo_id, self.source_before)
        self.after_change(self.photo_id)


def swap_command(lib: Library, photo_id: int, changed: Callable[[int], None]) -> FeetCommand:
    """'Swap left and right': each foot keeps its region and landmarks and takes the other's
    side; measures are read again with the new side (the sign of the angles)."""
    first = original_id(lib, photo_id)

    def change() -> None:
        swap_sides(lib, first)
        for foot in photo_feet(lib, first):
            recompute_library_measures(lib, foot.photo_id)

    return FeetCommand(lib, photo_id, "Swap left and right", change, changed)


def one_foot_command(lib: Library, photo_id: int, changed: Callable[[int], None]
                     ) -> FeetCommand:
    """'One foot': the photo is one foot again (the other foot's row goes)."""
    first = original_id(lib, photo_id)
    return FeetCommand(lib, first, "Only one foot", lambda: set_one_foot(lib, first), changed)


def two_feet_command(lib: Library, photo_id: int, width: int, height: int,
                     changed: Callable[[int], None]) -> FeetCommand:
    """'Two feet': split the photo down its middle, left half the left foot (as seen by a
    person looking down at their own feet); the detector then measures each half."""
    half = width / 2
    left = [(0.0, 0.0), (half, 0.0), (half, float(height)), (0.0, float(height))]
    right = [(half, 0.0), (float(width), 0.0), (float(width), float(height)),
             (half, float(height))]
    first = original_id(lib, photo_id)
    return FeetCommand(lib, first, "Two feet",
                       lambda: set_two_feet(lib, first, [(Foot.LEFT, left),
                                                            (Foot.RIGHT, right)], "manual"),
                       changed)


def line_split_command(lib: Library, photo_id: int, size: tuple[int, int],
                       start: tuple[float, float], end: tuple[float, float],
                       changed: Callable[[int], None]) -> FeetCommand | None:
    """'Split along a line': the photo's feet (or the whole photo) divided by the line the
    person drew. The part nearer the former left foot stays the left foot (with no former
    split, the part on the left of the picture: a person looking down at their feet).
    None when the line does not divide them."""
    import numpy as np

    from footlog.analysis.two_feet import split_by_line

    first = original_id(lib, photo_id)
    feet = photo_feet(lib, first)
    regions = [np.asarray(f.region, float) for f in feet if f.region]
    parts = split_by_line(regions if len(regions) == len(feet) else [], size, start, end)
    if parts is None:
        return None
    centres = [p.mean(axis=0) for p in parts]
    left = next((np.asarray(f.region, float).mean(axis=0) for f in feet
                 if f.region and f.foot == Foot.LEFT), None)
    if left is None:
        first_left = centres[0][0] <= centres[1][0]
    else:
        first_left = np.linalg.norm(centres[0] - left) <= np.linalg.norm(centres[1] - left)
    a, b = parts if first_left else parts[::-1]
    return FeetCommand(lib, first, "Split along a line",
                       lambda: set_two_feet(lib, first, [(Foot.LEFT, a.tolist()),
                                                         (Foot.RIGHT, b.tolist())], "manual"),
                       changed)


class FeetBar(QWidget):
    """The row of buttons above the photo about its feet."""

    swap_requested = Signal()
    one_requested = Signal()
    two_requested = Signal()
    other_requested = Signal()
    line_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        self.label = QLabel()
        self.swap_button = QPushButton("Swap left/right")
        self.other_button = QPushButton("Other foot")
        self.one_button = QPushButton("Only one foot")
        self.two_button = QPushButton("Two feet")
        self.line_button = QPushButton("Draw the split…")
        self.line_button.setToolTip("Drag a line between the two feet on the photo")
        layout.addWidget(self.label, 1)
        for button, signal in ((self.other_button, self.other_requested),
                               (self.swap_button, self.swap_requested),
                               (self.line_button, self.line_requested),
                               (self.one_button, self.one_requested),
                               (self.two_button, self.two_requested)):
            button.clicked.connect(signal.emit)
            layout.addWidget(button)

    def show_feet(self, feet: list[FootItem], current: int | None) -> None:
        two = len(feet) == 2
        mine = next((f for f in feet if f.photo_id == current), None)
        if two and mine is not None:
            self.label.setText(f"This photo shows both feet: editing the {mine.foot} foot"
                               f" ({LABELS[mine.foot]}, outlined in yellow)")
        else:
            self.label.setText("This photo shows one foot")
        for button in (self.swap_button, self.other_button, self.one_button):
            button.setVisible(two)
        self.two_button.setVisible(not two)
