"""The library folder and its database: creation, pragmas, migrations, people, settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from footlog.storage import schema
from footlog.storage.database import LibraryError, open_database
from footlog.storage.library import Library


def test_new_library_has_its_folders_and_pragmas(library: Library) -> None:
    assert (library.root / "footlog.db").is_file()
    assert library.photos_dir.is_dir()
    assert library.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert library.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert library.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert {
        "people",
        "photos",
        "landmarks",
        "measures",
        "runs",
        "gear",
        "events",
        "settings",
    } <= set(library.db.table_names())


def test_foreign_keys_are_enforced(library: Library) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        library.db.execute(
            "INSERT INTO events (person_id, date, text) VALUES (999, '2020-01-01', 'x')"
        )


def test_pending_migration_backs_up_the_database_first(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "lib"
    with Library.open(root) as lib:
        lib.add_person("Ana")
    calls: list[str] = []

    @schema.MIGRATIONS(name="m999_test_only")
    def m999(db) -> None:  # pragma: no cover - runs once below
        calls.append("ran")
        db.execute("ALTER TABLE people ADD COLUMN nickname TEXT")

    try:
        db = open_database(root / "footlog.db")
        db.close()
    finally:
        schema.MIGRATIONS._migrations = [
            m for m in schema.MIGRATIONS._migrations if m.name != "m999_test_only"
        ]
    backups = list(root.glob("footlog.db.before-migration-*"))
    assert calls == ["ran"]
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert [r[1] for r in old.execute("PRAGMA table_info(people)")] == ["id", "name", "created_at"]
    assert old.execute("SELECT name FROM people").fetchall() == [("Ana",)]
    old.close()


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    conn = sqlite3.connect(root / "footlog.db")
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="not a footlog library"):
        Library.open(root)


def test_garbage_database_gives_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "footlog.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match="not a footlog database"):
        Library.open(root)


def test_a_folder_with_other_files_is_not_taken_over(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(LibraryError, match="already holds other files"):
        Library.open(tmp_path)


def test_people(library: Library) -> None:
    me = library.person()
    assert me.name == "Me"
    ana = library.add_person("Ana")
    with pytest.raises(LibraryError, match="several people"):
        library.person()
    assert library.person("ana") == ana
    with pytest.raises(LibraryError, match="no person called"):
        library.person("Bob")
    with pytest.raises(LibraryError, match="already a person"):
        library.add_person("ANA")


def test_settings_roundtrip(library: Library) -> None:
    assert library.setting("units", "km") == "km"
    library.set_setting("units", "mi")
    library.set_setting("units", "km")
    assert library.setting("units") == "km"
