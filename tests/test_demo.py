"""`footlog demo` builds a library a newcomer can explore at once."""

from __future__ import annotations

from pathlib import Path

from footlog.cli import main
from footlog.demo import DEMO_PHOTOS, demo_runs
from footlog.storage.integrity import check_library
from footlog.storage.library import Library
from footlog.storage.photo_store import list_photos
from footlog.storage.run_store import list_events, list_runs


def test_demo_runs_grow_barefoot() -> None:
    runs = demo_runs()
    first_year = [r for r in runs if r.start.year == 2019]
    last_year = [r for r in runs if r.start.year == 2025]
    assert len(runs) > 900

    def barefoot_share(rs) -> float:
        return sum(1 for r in rs if not r.gear) / len(rs)

    assert barefoot_share(first_year) < 0.3 < 0.5 < barefoot_share(last_year)


def test_demo_library_is_built_from_the_bundled_photos(tmp_path: Path, capsys) -> None:
    root = tmp_path / "demo"
    assert main(["--library", str(root), "demo", "--no-window"]) == 0
    assert capsys.readouterr().out.strip() == str(root)
    with Library.open(root) as lib:
        photos = list_photos(lib)
        assert len(photos) == len(DEMO_PHOTOS)
        assert {p.taken_at[:4] for p in photos} >= {"2019", "2021", "2025"}
        assert all(p.status != "pending" for p in photos)
        assert len(list_runs(lib)) > 900
        assert len(list_events(lib)) == 4
        assert check_library(lib) == []


def test_the_demo_window_shows_at_once_and_measures_in_the_background(qtbot, tmp_path) -> None:
    """`footlog demo` builds the library unmeasured (a fraction of a second), and the window
    measures its photos in the background with its progress bar."""
    import pytest

    pytest.importorskip("pytestqt")
    from gui_helpers import temp_settings

    from footlog.demo import build_demo_library
    from footlog.gui.main_window import MainWindow
    from footlog.gui.session import LibrarySession

    root = build_demo_library(tmp_path / "demo", measure=False)
    with Library.open(root) as lib:
        assert {p.status for p in list_photos(lib)} == {"pending"}
    session = LibrarySession.open(root)
    window = MainWindow(session, temp_settings(tmp_path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.worker is not None, timeout=5000)
    assert window.progress.isVisible()
    qtbot.waitUntil(lambda: window.worker is None, timeout=180000)
    with Library.open(root) as lib:
        assert "pending" not in {p.status for p in list_photos(lib)}
    session.close()
