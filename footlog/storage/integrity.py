"""A full check of a library: the database, and every photo file against its hash."""

from __future__ import annotations

import sqlite3

from footlog.storage.database import one_line
from footlog.storage.library import INCOMING_DIR, Library, writer_alive
from footlog.storage.photo_store import file_sha256


def check_library(lib: Library, verify_hashes: bool = True) -> list[str]:
    """Return one sentence per problem found; an empty list means consistent."""
    problems: list[str] = []
    try:
        result = [r[0] for r in lib.db.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        result = [str(exc)]
    if result != ["ok"]:
        problems.extend(f"database: {one_line(line)}" for line in result if one_line(line))
    try:
        problems.extend(_row_problems(lib, verify_hashes))
    except sqlite3.DatabaseError as exc:
        problems.append(f"database: the photo records cannot all be read ({exc})")
    return problems


def photo_file_problem(
    lib: Library, file_name: str, sha256: str, verify_hash: bool = True
) -> str | None:
    """What is wrong with a photo's file `file_name` in photos/ (missing, or changed since
    it was imported: not of SHA-256 `sha256`), or None."""
    path = lib.photo_path(file_name)
    if not path.is_file():
        return f"its file {file_name} is missing"
    if verify_hash and file_sha256(path) != sha256:
        return f"its file {file_name} has changed"
    return None


def _row_problems(lib: Library, verify_hashes: bool) -> list[str]:
    problems: list[str] = []
    for table, rowid, parent, _ in lib.db.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"database: row {rowid} of {table} points to a missing {parent}")
    pending = lib.db.execute("SELECT count(*) FROM incoming").fetchone()[0]
    if pending:
        problems.append(f"{pending} interrupted import(s) not yet undone")

    known: set[str] = set()
    for row in lib.db.query("SELECT id, sha256, file_name FROM photos"):
        known.add(row["file_name"])
        problem = photo_file_problem(lib, row["file_name"], row["sha256"], verify_hashes)
        if problem:
            problems.append(f"photo {row['id']}: {problem}")
    for path in lib.photos_dir.iterdir():
        if path.name == INCOMING_DIR:
            stale = [p for p in path.iterdir() if not writer_alive(p.name)]
            if stale:
                problems.append(f"{len(stale)} partial copies left in photos/.incoming")
        elif path.name not in known:
            problems.append(f"photos/{path.name} belongs to no photo")
    return problems
