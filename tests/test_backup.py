"""Backup and restore: a round trip loses nothing, and any damage is refused whole."""

from __future__ import annotations

import errno
import json
import threading
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from footlog.cli import main
from footlog.demo import build_demo_library
from footlog.domain.runs import Run
from footlog.storage import backup as backup_module
from footlog.storage.backup import (
    MANIFEST_NAME,
    BackupCancelled,
    backup_library,
    restore_library,
)
from footlog.storage.database import LibraryError
from footlog.storage.library import Library
from footlog.storage.run_store import add_event, add_run


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """The demo library, plus a photo in the trash, a hand-made run and a non-ASCII event."""
    root = build_demo_library(tmp_path_factory.mktemp("src") / "library")
    with Library.open(root) as lib:
        person = lib.person()
        with lib.db.atomic():
            lib.db.execute(
                "UPDATE photos SET deleted_at = '2025-06-01T10:00:00+00:00' "
                "WHERE id = (SELECT min(id) FROM photos)"
            )
        add_run(lib, person, Run(start=datetime(2025, 7, 1, 6, tzinfo=UTC), distance_m=4200,
                                 name="=HYPERLINK(\"x\") Łódź run"))
        add_event(lib, person, date(2025, 7, 2), "Heel −2 °C ± 1, Łódź")
    return root


@pytest.fixture(scope="module")
def archive(source: Path, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("backups") / "library.zip"
    with Library.open(source) as lib:
        backup_library(lib, target)
    return target


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def leftovers(folder: Path) -> list[str]:
    """Hidden work folders or files a backup or restore left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- the round trip ---------------------------------------------------------------------------


def test_round_trip_gives_an_identical_export_and_a_consistent_library(
    source: Path, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "backup.zip"
    code, out, err = run_cli(capsys, "--library", str(source), "backup", str(target))
    assert code == 0, err
    assert out.strip() == str(target)
    assert "13 photos (1 in the trash)" in err

    restored = tmp_path / "restored"
    code, out, err = run_cli(capsys, "restore", str(target), str(restored))
    assert code == 0, err
    assert out.strip() == str(restored)
    assert leftovers(tmp_path) == []

    for lib, folder in ((source, "csv-source"), (restored, "csv-restored")):
        code, _, err = run_cli(capsys, "--library", str(lib), "export", "csv",
                               str(tmp_path / folder))
        assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "csv-source").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "csv-restored").iterdir())
    assert len(names) == 8  # photos, measures, runs, events, sessions, statistics,
    # landmarks, calibration
    for name in names:
        original = (tmp_path / "csv-source" / name).read_bytes()
        assert (tmp_path / "csv-restored" / name).read_bytes() == original, name
    assert "Łódź".encode() in (tmp_path / "csv-restored" / "events.csv").read_bytes()

    code, out, _ = run_cli(capsys, "--library", str(restored), "check")
    assert code == 0 and "library is consistent" in out
    with Library.open(restored, create=False) as lib:
        trashed = lib.db.execute("SELECT file_name FROM photos WHERE deleted_at IS NOT NULL")
        (file_name,) = trashed.fetchone()
        assert lib.photo_path(file_name).is_file()


def test_the_manifest_lists_every_file_with_its_size_and_hash(
    source: Path, archive: Path
) -> None:
    import hashlib

    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read(MANIFEST_NAME))
        infos = {i.filename: i for i in zf.infolist()}
        for entry in manifest["files"]:
            data = zf.read(entry["path"])
            assert len(data) == entry["size"]
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert manifest["format"] == "footlog-backup"
    assert manifest["footlog_version"]
    from sqlite_utils import Database

    from footlog.storage.database import pending_migrations

    # Every migration this footlog knows (all are pending on an empty database).
    assert manifest["migrations"] == pending_migrations(Database(memory=True))
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    paths = [e["path"] for e in manifest["files"]]
    photos = sorted(p.name for p in (source / "photos").iterdir() if p.is_file())
    assert paths[0] == "footlog.db"
    assert sorted(p.removeprefix("photos/") for p in paths[1:]) == photos
    assert set(infos) == {*paths, MANIFEST_NAME}  # no cache/, no photos/.incoming
    # Photos are stored as they are; the database is deflated.
    assert infos["footlog.db"].compress_type == zipfile.ZIP_DEFLATED
    assert infos["footlog.db"].compress_size < infos["footlog.db"].file_size
    assert {infos[p].compress_type for p in paths[1:]} == {zipfile.ZIP_STORED}


def test_progress_counts_files_and_a_thread_with_its_own_library_can_run_it(
    source: Path, tmp_path: Path
) -> None:
    calls: list[tuple[int, int, str]] = []
    outcome: list[object] = []

    def job() -> None:
        with Library.open(source, create=False) as lib:
            outcome.append(backup_library(lib, tmp_path / "b.zip",
                                          progress=lambda *a: calls.append(a)))

    worker = threading.Thread(target=job)
    worker.start()
    worker.join(60)
    assert outcome and outcome[0].photos == 13
    assert calls[0] == (0, 14, "database") and calls[-1] == (14, 14, "done")
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)

    calls.clear()
    restore_library(tmp_path / "b.zip", tmp_path / "r", progress=lambda *a: calls.append(a))
    assert calls[-1] == (14, 14, "done") and len(calls) == 15


# -- backing up -------------------------------------------------------------------------------


def test_a_backup_while_another_connection_writes_holds_only_committed_rows(
    source: Path, tmp_path: Path, capsys
) -> None:
    with Library.open(source) as writer, Library.open(source) as reader:
        before = writer.db.execute("SELECT count(*) FROM runs").fetchone()[0]
        writer.db.execute("BEGIN IMMEDIATE")
        writer.db.execute(
            "INSERT INTO runs (person_id, start, activity_type, footwear, footwear_source, "
            "counts_toward_mileage, imported_at) "
            "VALUES (1, '2025-08-01T07:00:00+00:00', 'run', 'shod', 'none', 1, 'now')"
        )
        try:
            backup_library(reader, tmp_path / "b.zip")
        finally:
            writer.db.execute("ROLLBACK")
    restore_library(tmp_path / "b.zip", tmp_path / "r")
    with Library.open(tmp_path / "r", create=False) as lib:
        assert lib.db.execute("SELECT count(*) FROM runs").fetchone()[0] == before
    assert run_cli(capsys, "--library", str(tmp_path / "r"), "check")[0] == 0



def test_a_full_disk_removes_the_partial_backup_and_keeps_the_old_one(
    source: Path, archive: Path, tmp_path: Path, monkeypatch
) -> None:
    target = tmp_path / "nightly.zip"
    target.write_bytes(archive.read_bytes())
    original = target.read_bytes()
    real_add = backup_module._add_file
    written: list[str] = []

    def fill_up(zf, path, name, compression):
        if len(written) == 3:  # the database and two photos fit, the third does not
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(name)
        return real_add(zf, path, name, compression)

    monkeypatch.setattr(backup_module, "_add_file", fill_up)
    with Library.open(source) as lib, pytest.raises(LibraryError, match="is full"):
        backup_library(lib, target)
    assert target.read_bytes() == original
    assert leftovers(tmp_path) == []


def test_too_little_free_space_is_refused_before_writing(
    source: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    import shutil

    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage._replace(free=1000))
    code, _, err = run_cli(capsys, "--library", str(source), "backup", str(tmp_path / "b.zip"))
    assert code == 1
    assert err.startswith("footlog: not enough free space") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_cancelling_a_backup_writes_nothing(source: Path, tmp_path: Path) -> None:
    done: list[int] = []
    with Library.open(source) as lib, pytest.raises(BackupCancelled):
        backup_library(lib, tmp_path / "b.zip", progress=lambda d, _t, _w: done.append(d),
                       cancelled=lambda: len(done) >= 4)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_or_changed_photo_file_stops_the_backup(
    tmp_path: Path, photo_files: list[Path], capsys
) -> None:
    lib_dir = tmp_path / "lib"
    run_cli(capsys, "--library", str(lib_dir), "import", "--no-measure",
            *map(str, photo_files[:2]))
    stored = sorted(p for p in (lib_dir / "photos").iterdir() if p.is_file())
    stored[0].write_bytes(stored[0].read_bytes() + b"changed")
    code, _, err = run_cli(capsys, "--library", str(lib_dir), "backup", str(tmp_path / "b.zip"))
    assert code == 1 and "has changed" in err and err.count("\n") == 1
    stored[0].unlink()
    code, _, err = run_cli(capsys, "--library", str(lib_dir), "backup", str(tmp_path / "b.zip"))
    assert code == 1 and "is missing" in err
    assert not (tmp_path / "b.zip").exists() and leftovers(tmp_path) == []


def test_a_photo_file_dated_before_1980_is_backed_up(
    tmp_path: Path, photo_files: list[Path], capsys
) -> None:
    import os

    lib_dir = tmp_path / "lib"
    run_cli(capsys, "--library", str(lib_dir), "import", "--no-measure", str(photo_files[0]))
    stored = next(p for p in (lib_dir / "photos").iterdir() if p.is_file())
    os.utime(stored, (0, 0))  # 1970: zip's dates start in 1980
    code, _, err = run_cli(capsys, "--library", str(lib_dir), "backup", str(tmp_path / "b.zip"))
    assert code == 0, err
    assert run_cli(capsys, "restore", str(tmp_path / "b.zip"), str(tmp_path / "r"))[0] == 0
    assert (tmp_path / "r" / "photos" / stored.name).read_bytes() == stored.read_bytes()


def test_backup_refuses_bad_targets_and_a_missing_library(
    source: Path, tmp_path: Path, capsys
) -> None:
    other = tmp_path / "notes.zip"
    other.write_text("my notes")
    cases = {
        "not a footlog backup": other,
        "a .zip file": tmp_path / "b.tar",
        "does not exist": tmp_path / "no" / "such" / "b.zip",
        "photos folder": source / "photos" / "b.zip",
    }
    for words, target in cases.items():
        code, _, err = run_cli(capsys, "--library", str(source), "backup", str(target))
        assert code == 1 and words in err and err.count("\n") == 1, (words, err)
    assert other.read_text() == "my notes"
    code, _, err = run_cli(capsys, "--library", str(tmp_path / "none"), "backup",
                           str(tmp_path / "b.zip"))
    assert code == 1 and "no footlog library" in err
    assert not (tmp_path / "none").exists()


# -- restoring --------------------------------------------------------------------------------


def test_restore_refuses_a_folder_that_is_not_empty(
    archive: Path, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "lib"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    code, _, err = run_cli(capsys, "restore", str(archive), str(target))
    assert code == 1 and "is not empty" in err and err.count("\n") == 1
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    # An empty folder is fine.
    (target / "keep.txt").unlink()
    assert run_cli(capsys, "restore", str(archive), str(target))[0] == 0
    assert (target / "footlog.db").is_file()


def rewrite(archive: Path, out: Path, change: Callable[[dict, dict], None]) -> Path:
    """Copy a backup, letting `change(members, manifest)` edit its files and manifest."""
    with zipfile.ZipFile(archive) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != MANIFEST_NAME}
        manifest = json.loads(zf.read(MANIFEST_NAME))
    change(members, manifest)
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr(MANIFEST_NAME, json.dumps(manifest))
    return out


def _first_photo(members: dict) -> str:
    return next(n for n in members if n.startswith("photos/"))


def _drop_photo_everywhere(members: dict, manifest: dict) -> None:
    name = _first_photo(members)
    del members[name]
    manifest["files"] = [f for f in manifest["files"] if f["path"] != name]


def _flip_a_byte(members: dict, _manifest: dict) -> None:
    name = _first_photo(members)
    data = bytearray(members[name])
    data[len(data) // 2] ^= 0xFF
    members[name] = bytes(data)


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flip_a_stored_byte(data: bytes) -> bytes:
    """Damage the zip itself (as a failing disk would): its CRC no longer matches."""
    middle = bytearray(data)
    middle[len(data) // 2] ^= 0xFF
    return bytes(middle)


DAMAGE = {
    "truncated": (_truncate, "not a zip file, or is damaged"),
    "bit rot": (_flip_a_stored_byte, "is damaged"),
    "flipped byte": (_flip_a_byte, "does not match its manifest"),
    "wrong hash": (lambda m, man: man["files"][1].update(sha256="0" * 64),
                   "does not match its manifest"),
    "missing member": (lambda m, man: m.pop(_first_photo(m)), "is listed but missing"),
    "photo row without file": (_drop_photo_everywhere, "is missing; nothing was restored"),
    "parent path": (lambda m, man: m.update({"../evil.txt": b"x"}), "unsafe path '../evil.txt'"),
    "absolute path": (lambda m, man: man["files"].append(
        {"path": "/tmp/evil.txt", "size": 1, "sha256": "0" * 64}), "unsafe path '/tmp/evil.txt'"),
    "deep traversal": (lambda m, man: m.update({"photos/../../x": b"x"}), "unsafe path"),
    "no manifest": (lambda m, man: man.clear(), "not a footlog backup"),
    "newer schema": (lambda m, man: man["migrations"].append("m099_future"), "newer footlog"),
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_or_forged_backup_is_refused_with_one_line(
    kind: str, archive: Path, tmp_path: Path, capsys
) -> None:
    change, words = DAMAGE[kind]
    bad = tmp_path / "bad.zip"
    if change in (_truncate, _flip_a_stored_byte):
        bad.write_bytes(change(archive.read_bytes()))
    else:
        rewrite(archive, bad, change)
    target = tmp_path / "restored"
    code, out, err = run_cli(capsys, "restore", str(bad), str(target))
    assert out == ""
    assert code == 1
    assert words in err, err
    assert err.startswith("footlog: ") and err.count("\n") == 1 and "Traceback" not in err
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip"]
    assert not (tmp_path.parent / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_cancelling_a_restore_leaves_nothing(archive: Path, tmp_path: Path) -> None:
    done: list[int] = []
    with pytest.raises(BackupCancelled):
        restore_library(archive, tmp_path / "r", progress=lambda d, _t, _w: done.append(d),
                        cancelled=lambda: len(done) >= 3)
    assert list(tmp_path.iterdir()) == []


def test_restore_of_a_missing_file_or_a_folder_says_so(tmp_path: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "restore", str(tmp_path / "none.zip"), str(tmp_path / "r"))
    assert code == 1 and "no such backup" in err
    code, _, err = run_cli(capsys, "restore", str(tmp_path), str(tmp_path / "r"))
    assert code == 1 and "is a folder" in err
