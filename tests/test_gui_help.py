"""Help ▸ Measures, Taking Photos and Keyboard Shortcuts, opened from the menu; measure
tooltips in the editor."""

from __future__ import annotations

from gui_helpers import menu_action, photo_with_landmarks
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from footlog.domain.measure_guide import GUIDES
from footlog.gui.help_pages import shortcut_rows


def _image(page, name: str):
    return page.browser.document().resource(QTextDocument.ResourceType.ImageResource,
                                            QUrl(name))


def test_help_measures_explains_every_measure_with_a_picture(window, qtbot) -> None:
    menu_action(window, "Help", "Measures").trigger()
    page = window.help_page
    qtbot.waitExposed(page)
    text = page.browser.toPlainText()
    for g in GUIDES.values():
        assert g.label in text, g.name
        image = _image(page, f"measure:{g.name}")
        assert image is not None and not image.isNull() and image.width() > 150, g.name
    assert "negative" in text and "6.9°" in text and "MDC95 (minimal detectable change)" in text
    page.close()


def test_help_taking_photos_shows_the_protocol(window, qtbot) -> None:
    menu_action(window, "Help", "Taking Photos").trigger()
    page = window.help_page
    qtbot.waitExposed(page)
    text = page.browser.toPlainText()
    for words in ("Heel on the line", "Camera straight above", "70 cm",
                  "Two or three photos each time", "100 mm"):
        assert words in text, words
    for name in ("capture:sheet", "capture:camera"):
        assert not _image(page, name).isNull()
    window.close()  # the page closes with its window
    assert not page.isVisible()


def test_keyboard_shortcuts_are_read_off_the_actions(window, qtbot) -> None:
    menu_action(window, "Help", "Keyboard Shortcuts").trigger()
    page = window.help_page
    text = page.browser.toPlainText()
    rows = shortcut_rows(window)
    assert ("File", "Import Photos", "Ctrl+I") in rows
    assert ("Photo", "Review Photos", "F7") in rows
    undo = next(keys for where, what, keys in rows if (where, what) == ("Edit", "Undo"))
    assert "Ctrl+Z" in undo and "F14" not in undo  # not Qt's extra keys (F14, Sun's Undo)
    assert any(where == "Runs tab" for where, _what, _keys in rows)  # a tab's own actions
    # A changed shortcut shows on the page: nothing is written down twice.
    menu_action(window, "File", "Import Photos…").setShortcut("Ctrl+Alt+J")
    menu_action(window, "Help", "Keyboard Shortcuts").trigger()
    assert "Ctrl+Alt+J" in window.help_page.browser.toPlainText()
    assert "Ctrl+Alt+J" not in text and "Import Photos" in text


def test_each_measure_in_the_editor_has_its_tooltip(window, qtbot, tmp_path) -> None:
    from PIL import Image

    path = tmp_path / "foot.png"
    Image.new("RGB", (64, 48), (200, 150, 120)).save(path)
    photo_id = photo_with_landmarks(window.session.library, path)
    window.session.photos_changed.emit()
    window.open_photo(photo_id)
    value = window.editor.panel.findChild(QLabel, "measure_hallux_angle")
    assert value is not None
    assert value.toolTip().startswith("Hallux angle: how far the big toe turns")
    assert "Larger: positive" in value.toolTip()
    form = window.editor.panel.measures_form
    names = [form.itemAt(r, form.ItemRole.LabelRole).widget() for r in range(form.rowCount())]
    assert all(n.toolTip() for n in names)
