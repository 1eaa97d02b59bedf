"""The empty library's welcome: how to start, and how to take the photos footlog measures.

Shown in the Photos tab while the person's library holds no photo. Three ways to start, each
a button: import photos, drop them on the window, or open the demo library to look around
first; and the few things that make a photo measurable.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

PANEL_MAX_WIDTH = 640  # px: short lines read more easily than the window's full width

WELCOME = (
    "<h2>Welcome to footlog</h2>"
    "<p>footlog measures photos of your feet (the big-toe angle, how the toes spread, the "
    "arch) and shows how they change over the months, beside your barefoot mileage.</p>"
    "<p><b>To start</b>, import photos of your feet, or drag photos or folders onto this "
    "window. Not ready yet? Open the demo library: real photos and made-up runs to look "
    "around with.</p>"
)

HOW_TO_PHOTOGRAPH = (
    "<p><b>Taking the photos</b></p><ul>"
    "<li>Stand on the printed calibration sheet (<i>File ▸ Print Calibration Sheet…</i>) "
    "or a plain A4 or Letter page, <b>heel on the line</b>.</li>"
    "<li>Hold the camera <b>straight above</b> the foot, the whole foot and the heel in view "
    "(or ask someone to take it).</li>"
    "<li>Take <b>two or three photos</b> each time: their differences show how far footlog's "
    "measures can be trusted.</li></ul>"
)


class FirstRunPanel(QWidget):
    """A short, friendly panel for the empty library."""

    import_requested = Signal()
    demo_requested = Signal()
    help_requested = Signal()  # the person wants the whole capture protocol

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card = QFrame()
        card.setObjectName("first_run_card")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(PANEL_MAX_WIDTH)
        self.words = QLabel(WELCOME)
        self.words.setWordWrap(True)
        self.import_button = QPushButton("Import Photos…")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.import_requested)
        self.demo_button = QPushButton("Open the Demo Library")
        self.demo_button.setToolTip("A library of real foot photos and made-up runs, in a "
                                    "temporary folder: nothing of yours is changed")
        self.demo_button.clicked.connect(self.demo_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        self.how_to = QLabel(HOW_TO_PHOTOGRAPH)
        self.how_to.setWordWrap(True)
        self.help_button = QPushButton("How to Take Photos…")
        self.help_button.clicked.connect(self.help_requested)
        self.help_button.hide()  # shown when the window has a page to open (set_help_available)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 16, 24, 20)
        inner.addWidget(self.words)
        inner.addLayout(buttons)
        inner.addSpacing(8)
        inner.addWidget(self.how_to)
        inner.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignLeft)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 10)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def set_help_available(self, available: bool) -> None:
        self.help_button.setVisible(available)
