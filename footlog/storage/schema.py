"""The library's schema, as numbered sqlite-utils migrations.

Each migration is a function applied once, inside a transaction together with the record
of it having been applied. Never edit a released migration: add a new one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("footlog")

# Statements are executed one at a time: executescript() would COMMIT the transaction
# that Migrations.apply() wraps around each migration.
_INITIAL_SCHEMA = [
    """
    CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE photos (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
        file_name TEXT NOT NULL,              -- name inside photos/: <sha256>.<ext>
        original_name TEXT NOT NULL,
        original_path TEXT,
        format TEXT NOT NULL,
        byte_size INTEGER NOT NULL,
        taken_at TEXT NOT NULL,               -- wall-clock time where taken, ISO 8601
        taken_at_source TEXT NOT NULL
            CHECK (taken_at_source IN ('exif', 'filename', 'file_time', 'user')),
        utc_offset_min INTEGER,               -- minutes east of UTC, when known
        foot TEXT NOT NULL DEFAULT 'unknown' CHECK (foot IN ('left', 'right', 'unknown')),
        view TEXT NOT NULL DEFAULT 'unknown'
            CHECK (view IN ('dorsal', 'medial', 'plantar', 'unknown')),
        width INTEGER NOT NULL,               -- upright pixels, EXIF orientation applied
        height INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'ok', 'review', 'failed', 'manual')),
        auto_status TEXT NOT NULL DEFAULT 'pending'  -- the detector's own verdict
            CHECK (auto_status IN ('pending', 'ok', 'review', 'failed')),
        warnings TEXT NOT NULL DEFAULT '[]',  -- JSON array of sentences
        scale_mm_per_px REAL,
        calibration TEXT,                     -- which scale was used, and its residual
        outline TEXT,                         -- JSON [[x, y], ...]: the foot's outline, px
        detector_version TEXT,
        measured_at TEXT
    )
    """,
    "CREATE INDEX photos_person_taken ON photos(person_id, taken_at)",
    """
    CREATE TABLE landmarks (
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        x REAL NOT NULL,                      -- full-resolution upright pixels
        y REAL NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('auto', 'manual')),
        auto_x REAL,                          -- the detector's position, to reset to
        auto_y REAL,
        detector_version TEXT,
        PRIMARY KEY (photo_id, name)
    )
    """,
    """
    CREATE TABLE measures (
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        detector_version TEXT,
        PRIMARY KEY (photo_id, name)
    )
    """,
    """
    CREATE TABLE gear (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        name TEXT NOT NULL COLLATE NOCASE,
        footwear TEXT NOT NULL CHECK (footwear IN ('barefoot', 'minimal', 'shod', 'unknown')),
        UNIQUE (person_id, name)
    )
    """,
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        start TEXT NOT NULL,                  -- ISO 8601 with offset (UTC when unknown)
        distance_m REAL,
        duration_s REAL,
        activity_type TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        gear TEXT NOT NULL DEFAULT '',
        footwear TEXT NOT NULL CHECK (footwear IN ('barefoot', 'minimal', 'shod', 'unknown')),
        footwear_source TEXT NOT NULL
            CHECK (footwear_source IN ('override', 'gear', 'keyword', 'none')),
        footwear_override TEXT
            CHECK (footwear_override IN ('barefoot', 'minimal', 'shod', 'unknown')),
        counts_toward_mileage INTEGER NOT NULL,
        source_file TEXT NOT NULL DEFAULT '',
        external_id TEXT,
        imported_at TEXT NOT NULL,
        UNIQUE (person_id, external_id)
    )
    """,
    "CREATE INDEX runs_person_start ON runs(person_id, start)",
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        date TEXT NOT NULL,                   -- ISO 8601 date
        text TEXT NOT NULL,
        foot TEXT NOT NULL DEFAULT 'both' CHECK (foot IN ('left', 'right', 'both'))
    )
    """,
    # A photo file being moved into photos/: recorded before the move and removed in the
    # same transaction that adds the photo row, so an import killed in between can be undone
    # exactly, without guessing which files are orphans.
    """
    CREATE TABLE incoming (
        sha256 TEXT PRIMARY KEY,
        file_name TEXT NOT NULL,
        started_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
]


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    for statement in _INITIAL_SCHEMA:
        db.execute(statement)


@MIGRATIONS()
def m002_trash_and_incomplete_runs(db: Database) -> None:
    """Deleted photos go to a trash (row and file kept) until it is emptied; a run read from
    a truncated file is marked incomplete, so that a later complete copy replaces it."""
    # NULL: the photo is in the library; otherwise when it was moved to the trash (UTC).
    db.execute("ALTER TABLE photos ADD COLUMN deleted_at TEXT")
    db.execute("CREATE INDEX photos_deleted ON photos(deleted_at)")
    # The process measuring a photo just added (NULL once measured, or when none is): a
    # photo left `pending` by a process that is gone is measured again on the next open.
    db.execute("ALTER TABLE photos ADD COLUMN measuring_pid INTEGER")
    # 1: the file the run was read from ended early, so distance and time may be short.
    db.execute(
        "ALTER TABLE runs ADD COLUMN incomplete INTEGER NOT NULL DEFAULT 0 "
        "CHECK (incomplete IN (0, 1))"
    )


# Which views each table feeds: a window reloads only what another process changed.
CHANGE_GROUPS = {
    "photos": ("photos", "landmarks", "measures"),
    "runs": ("runs", "gear"),
    "events": ("events",),
    "people": ("people",),
}


@MIGRATIONS()
def m003_change_counters(db: Database) -> None:
    """A counter per group of tables, raised by triggers on every row written, so that a
    window can tell which of its views another process changed without reading them."""
    db.execute("CREATE TABLE change_counters (name TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    for group, tables in CHANGE_GROUPS.items():
        db.execute("INSERT INTO change_counters (name, version) VALUES (?, 0)", [group])
        for table in tables:
            for event in ("INSERT", "UPDATE", "DELETE"):
                db.execute(
                    f"CREATE TRIGGER count_{table}_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN UPDATE change_counters SET version = version + 1 "
                    f"WHERE name = '{group}'; END"
                )


# Columns of `photos` after m002, in order: m004 rebuilds the table with them.
_PHOTO_COLUMNS = (
    "id, person_id, sha256, file_name, original_name, original_path, format, byte_size, "
    "taken_at, taken_at_source, utc_offset_min, foot, view, width, height, imported_at, note, "
    "status, auto_status, warnings, scale_mm_per_px, calibration, outline, detector_version, "
    "measured_at, deleted_at, measuring_pid"
)


@MIGRATIONS(transactional=False)
def m004_feet_of_one_photo(db: Database) -> None:
    """A photo showing both feet holds two measurable feet: each a row of `photos` of its
    own (side, landmarks, measures, status), the second linked to the row holding the
    original file by `original_id`, each with its region of the photo. The original is
    stored once, so a file's SHA-256 is unique among originals only.

    Dropping a UNIQUE constraint means rebuilding the table, which SQLite allows only with
    foreign keys off (with them on, dropping the old table would delete every landmark and
    measure through ON DELETE CASCADE), and that pragma cannot change inside a
    transaction: so this migration runs its own. It is one transaction, and a rerun after a
    kill between its commit and the record of it having been applied does nothing."""
    if "original_id" in {c.name for c in db["photos"].columns}:
        return
    _without_foreign_keys(db, lambda: _rebuild_photos(db))


def _without_foreign_keys(db: Database, change: Callable[[], None]) -> None:
    """Run a table rebuild in one transaction of its own, with foreign keys off (with them
    on, dropping the old table would delete every row that refers to it through ON DELETE
    CASCADE; the pragma cannot change inside a transaction), checking them before commit."""
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            change()
            problems = db.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:3]}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    finally:
        db.execute("PRAGMA foreign_keys = ON")


def _rebuild_photos(db: Database) -> None:
    """SQLite's documented 12-step table change, for `photos` (see m004)."""
    old = db.execute("SELECT sql FROM sqlite_master WHERE name = 'photos'").fetchone()[0]
    new = old.replace("CREATE TABLE photos", "CREATE TABLE photos_new", 1)
    new = new.replace("sha256 TEXT NOT NULL UNIQUE", "sha256 TEXT NOT NULL", 1)
    new = new.rstrip().rstrip(")") + (
        ",\n        -- NULL: this row holds the original; else the row that holds it (this\n"
        "        -- row is another foot of the same photo, sharing its file)\n"
        "        original_id INTEGER REFERENCES photos(id) ON DELETE CASCADE,\n"
        "        region TEXT,  -- JSON [[x, y], ...]: this foot's region, px; NULL: the photo\n"
        "        feet_source TEXT CHECK (feet_source IN ('auto', 'manual'))\n"
        "            -- who split the photo into feet (on its original's row); NULL: not yet\n"
        "    )"
    )
    db.execute(new)
    db.execute(f"INSERT INTO photos_new ({_PHOTO_COLUMNS}) SELECT {_PHOTO_COLUMNS} FROM photos")
    db.execute("DROP TABLE photos")
    db.execute("ALTER TABLE photos_new RENAME TO photos")
    db.execute("CREATE INDEX photos_person_taken ON photos(person_id, taken_at)")
    db.execute("CREATE INDEX photos_deleted ON photos(deleted_at)")
    db.execute("CREATE INDEX photos_original ON photos(original_id)")
    db.execute("CREATE UNIQUE INDEX photos_original_sha256 ON photos(sha256) "
               "WHERE original_id IS NULL")
    for event in ("INSERT", "UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER count_photos_{event.lower()} AFTER {event} ON photos "
            f"BEGIN UPDATE change_counters SET version = version + 1 "
            f"WHERE name = 'photos'; END"
        )


@MIGRATIONS()
def m005_proximal_line(db: Database) -> None:
    """Which proximal line a dorsal photo's hallux angle was drawn from (docs/MEASURES.md):
    `heel_tangent` (the clinical line, the heel in view) or `refined_window` (the fallback
    when the heel is hidden). The two mean different things, so the timeline compares an
    angle only with angles drawn from the same line. NULL: not a dorsal photo with a hallux
    angle, or measured before footlog recorded it."""
    db.execute("ALTER TABLE photos ADD COLUMN proximal_line TEXT")


@MIGRATIONS()
def m006_confirmed_photos(db: Database) -> None:
    """A person confirms a photo's landmarks after checking them: when and by whom. The
    photo then reads as `confirmed` (footlog.storage.confirm_store) whatever the detector
    said, and measuring it again keeps every landmark where it is. `status` keeps the
    measurement's own verdict underneath, so that withdrawing the confirmation restores it."""
    db.execute("ALTER TABLE photos ADD COLUMN confirmed_at TEXT")  # UTC, ISO 8601
    db.execute("ALTER TABLE photos ADD COLUMN confirmed_by TEXT")


@MIGRATIONS()
def m007_carried_landmarks(db: Database) -> None:
    """Landmarks carried from the person's confirmed photos (footlog.carrying): the photo
    each came from (NULL: the detector's own, or placed by the person), and a cache of the
    grey neighbourhood of each confirmed photo's toes, which carrying matches in new photos
    (decoding every confirmed photo again for every new one would cost more than measuring).
    The cache is rebuilt from the original whenever it is missing or does not cover the
    landmarks, so losing it loses nothing."""
    db.execute("ALTER TABLE landmarks ADD COLUMN carried_from INTEGER")
    db.execute(
        """
        CREATE TABLE template_images (
            photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
            scale REAL NOT NULL,       -- full-resolution px per pixel of the image
            origin_x REAL NOT NULL,    -- full px of the image's top-left corner
            origin_y REAL NOT NULL,
            png BLOB NOT NULL          -- 8-bit grey PNG
        )
        """
    )


_SOURCES_BEFORE_M008 = "'exif', 'filename', 'file_time', 'user'"


@MIGRATIONS(transactional=False)
def m008_sidecar_dates(db: Database) -> None:
    """A photo's capture time may come from the JSON sidecar that Google Photos Takeout
    writes beside each photo (`taken_at_source` 'sidecar'): Takeout sets every file's time
    to the day of the export, and many of its photos have lost their EXIF date. Widening
    the CHECK constraint means rebuilding the table (SQLite's 12 steps, as m004), in one
    transaction of its own; a rerun after a kill between its commit and its record finds
    the new constraint and does nothing."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'photos'").fetchone()[0]
    if _SOURCES_BEFORE_M008 not in sql:
        return
    _without_foreign_keys(db, lambda: _rebuild_table(db, "photos", lambda text: text.replace(
        _SOURCES_BEFORE_M008, "'exif', 'filename', 'file_time', 'sidecar', 'user'", 1)))


def _rebuild_table(db: Database, table: str, change: Callable[[str], str]) -> None:
    """SQLite's documented 12-step table change: a new table made from `table`'s own
    CREATE statement changed by `change`, the rows copied, the old one dropped, the new one
    renamed, and the old one's indexes and triggers made again from their own statements.
    Call inside `_without_foreign_keys`."""
    old = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                     [table]).fetchone()[0]
    new = change(old)
    if new == old:
        raise RuntimeError(f"the change leaves the table {table} as it was")
    # After a rename SQLite stores the name quoted: CREATE TABLE "photos" (...).
    new, made = re.subn(rf'^CREATE TABLE\s+"?{table}"?', f"CREATE TABLE {table}_new", new,
                        count=1)
    if made != 1:
        raise RuntimeError(f"unexpected CREATE statement of {table}: {old[:60]}")
    extras = [sql for (sql,) in db.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL", [table])]
    columns = ", ".join(c.name for c in db[table].columns)
    db.execute(new)
    db.execute(f"INSERT INTO {table}_new ({columns}) SELECT {columns} FROM {table}")
    db.execute(f"DROP TABLE {table}")
    db.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
    for sql in extras:
        db.execute(sql)
