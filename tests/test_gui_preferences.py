"""Edit ▸ Preferences… and the first import ask which paper goes under the foot; changing
it offers to measure again the photos whose page size was assumed."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QDialog, QMessageBox
from test_gui_safety import menu_action

from footlog.library_measuring import library_paper
from footlog.measuring import PAPER_SETTING
from footlog.storage.photo_store import import_photo, photos_with_assumed_paper


def _assume_paper(lib, photo_id: int, paper: str) -> None:
    """Store a calibration as a plain page whose size was assumed (as measuring does)."""
    cal = {"method": paper, "paper_size": "assumed", "mm_per_px": 0.2, "warnings": []}
    with lib.db.atomic():
        lib.db.execute("UPDATE photos SET calibration = ? WHERE id = ?",
                       [json.dumps(cal), photo_id])


def test_photos_with_assumed_paper_are_listed_by_paper(window, photo_files):
    lib = window.session.library
    ids = [import_photo(lib, p, lib.person()).photo_id for p in photo_files]
    _assume_paper(lib, ids[0], "a4")
    _assume_paper(lib, ids[1], "letter")
    assert photos_with_assumed_paper(lib) == ids[:2]
    assert photos_with_assumed_paper(lib, "a4") == [ids[0]]
    assert photos_with_assumed_paper(lib, "letter") == [ids[1]]


def test_preferences_set_the_paper_and_offer_to_measure_again(window, qtbot, photo_files,
                                                              monkeypatch):
    from footlog.gui.preferences_dialog import PreferencesDialog

    lib = window.session.library
    photo_id = import_photo(lib, photo_files[0], lib.person()).photo_id
    _assume_paper(lib, photo_id, "a4")
    asked: list[str] = []

    def exec_choosing_letter(dialog: PreferencesDialog) -> int:
        assert dialog.paper() == "a4"  # the library's paper (unset: A4) is preselected
        dialog.choose("letter")
        return QDialog.DialogCode.Accepted

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(PreferencesDialog, "exec", exec_choosing_letter)
    monkeypatch.setattr(QMessageBox, "question", question)
    action = menu_action(window, "Edit", "Preferences…")
    assert action.shortcut().toString() == "Ctrl+,"
    action.trigger()
    assert library_paper(lib) == "letter"
    assert len(asked) == 1 and "1 photo(s)" in asked[0] and "US Letter" in asked[0]
    qtbot.waitUntil(lambda: window.worker is None, timeout=60000)
    # Measured again: its calibration is no longer the assumed A4.
    assert photos_with_assumed_paper(lib, "a4") == []


def test_cancelled_preferences_change_nothing(window, monkeypatch):
    from footlog.gui.preferences_dialog import PreferencesDialog

    def exec_cancel(dialog: PreferencesDialog) -> int:
        dialog.choose("letter")
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(PreferencesDialog, "exec", exec_cancel)
    menu_action(window, "Edit", "Preferences…").trigger()
    assert window.session.library.setting(PAPER_SETTING) is None


def test_first_import_asks_the_paper_once(window, qtbot, photo_files, monkeypatch):
    from footlog.gui.import_dialog import ImportDialog

    offered: list[str | None] = []

    def exec_choosing(dialog: ImportDialog) -> int:
        offered.append(None if dialog.paper_choice is None else dialog.chosen_paper())
        if dialog.paper_choice is not None:
            dialog.paper_choice.setCurrentIndex(dialog.paper_choice.findData("letter"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportDialog, "exec", exec_choosing)
    window.import_photos(photo_files[:1])
    qtbot.waitUntil(lambda: window.worker is None, timeout=60000)
    assert offered[0] in ("a4", "letter")  # asked, the locale's paper preselected
    assert library_paper(window.session.library) == "letter"
    window.import_photos(photo_files[1:2])
    qtbot.waitUntil(lambda: window.worker is None, timeout=60000)
    assert offered[1] is None  # not asked again


def test_a_read_only_library_keeps_its_paper(window, monkeypatch):
    from footlog.gui.preferences_dialog import PreferencesDialog

    warned: list[str] = []
    monkeypatch.setattr(window.session.library.db, "read_only_reason", "it is read only")
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _p, _t, text, *a, **k: warned.append(text))
    monkeypatch.setattr(PreferencesDialog, "exec", lambda d: (d.choose("letter"),
                                                              QDialog.DialogCode.Accepted)[1])
    menu_action(window, "Edit", "Preferences…").trigger()
    assert warned and window.session.library.setting(PAPER_SETTING) is None


@pytest.mark.parametrize(("country", "paper"), [("UnitedStates", "letter"), ("France", "a4")])
def test_the_locale_suggests_the_paper_until_the_library_has_one(window, country, paper):
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, getattr(QLocale.Country, country)))
    try:
        assert window.suggested_paper() == paper
        window.set_library_paper("a4" if paper == "letter" else "letter")
        assert window.suggested_paper() != paper  # the library's own setting wins
    finally:
        QLocale.setDefault(before)


def test_the_calibration_sheet_is_saved_on_the_library_paper(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.set_library_paper("letter")
    menu_action(window, "File", "Print Calibration Sheet…").trigger()
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    # US Letter is 612 x 792 points; A4 would be 595.3 x 841.9.
    assert b"MediaBox [ 0 0 612 792 ]" in data
