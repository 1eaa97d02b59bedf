"""Preferences of the open library: for now, the paper put under the foot.

The paper matters only when a photo shows a plain page whose shape cannot tell A4 from US
Letter (an oblique photo without the camera's focal length in its EXIF): its size is then
assumed to be this paper, and the photo's measures say so. The same dialog asks once, at
the first import into a library that has no paper set.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

PAPER_NAMES = {
    "a4": "A4 (210 × 297 mm)",
    "letter": "US Letter (8.5 × 11 in, 216 × 279 mm)",
}
EXPLANATION = (
    "footlog tells A4 from US Letter by the page's shape when the photo lets it (taken "
    "from straight above, or with the camera's focal length in the photo). When it cannot, "
    "it takes the page to be the paper chosen here and says so on the photo."
)


class PreferencesDialog(QDialog):
    """Choose the library's paper. `paper()` is the choice ("a4" or "letter")."""

    def __init__(self, paper: str, parent: QWidget | None = None, first_time: bool = False
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Which paper is under the foot?" if first_time else "Preferences")
        layout = QVBoxLayout(self)
        heading = QLabel("<b>Paper under the foot</b>" + (
            ": choose once for this library (Edit ▸ Preferences… changes it later)"
            if first_time else ""))
        layout.addWidget(heading)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for key, name in PAPER_NAMES.items():
            button = QRadioButton(name)
            button.setChecked(key == paper)
            self.group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
        note = QLabel(EXPLANATION)
        note.setWordWrap(True)
        layout.addWidget(note)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def paper(self) -> str:
        return next(key for key, button in self.buttons.items() if button.isChecked())

    def choose(self, paper: str) -> None:
        self.buttons[paper].setChecked(True)
