"""Run logs read as streams, within bounds: rows, row length, archive members, nesting, sizes.

Each bound is lowered here so that the files stay small; the command-line runs on full-size
hostile files, with their peak memory, are in test_hostile_inputs.py.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_run_importers import make_fit

from footlog.importers import archives, cells, fit, read_run_files, streams, text_stream
from footlog.importers.base import ImportOptions
from footlog.importers.gpx import GpxImporter

STRAVA_HEAD = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
IN_UTC = ImportOptions(local_tz=UTC)


def plain_rows(count: int) -> str:
    """Rows of a plain CSV log: a date and a distance in km."""
    return "".join(
        f"2024-01-01T07:{i // 60 % 60:02d}:{i % 60:02d},{5 + i % 7}\n" for i in range(count)
    )


def zipped(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def nested(depth: int, inner: dict[str, bytes]) -> bytes:
    """A zip holding `inner`, inside `depth - 1` more zips."""
    members = inner
    for level in range(depth, 0, -1):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
        members = {f"level{level}.zip": buffer.getvalue()}
    return members["level1.zip"]


# --- streaming ------------------------------------------------------------------------------------


def test_a_zip_member_is_read_in_chunks_never_whole(tmp_path: Path, monkeypatch):
    content = ("date,km\n" + plain_rows(40_000)).encode()  # ~1.1 MB, more than one chunk
    archive = zipped(tmp_path / "log.zip", {"log.csv": content})
    asked: list[int] = []
    real_read = zipfile.ZipExtFile.read

    def spy(self, n=-1):
        asked.append(n)
        return real_read(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", spy)
    result = read_run_files([archive])
    assert len(result.runs) == 40_000 and result.errors == []
    assert asked and all(0 < n <= streams.CHUNK_BYTES for n in asked)
    assert len(asked) >= 2 * len(content) // streams.CHUNK_BYTES  # two passes: encoding, rows


def test_the_encoding_is_settled_by_the_whole_file_not_its_first_chunk(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(streams, "CHUNK_BYTES", 64)
    monkeypatch.setattr(text_stream, "CHUNK_BYTES", 64)
    lines = "date;km;name\n" + "2024-01-01;5;plain\n" * 20 + "2024-01-02;6;barfuß\n"
    path = tmp_path / "log.csv"
    path.write_bytes(lines.encode("cp1252"))  # the ß is the only non-ASCII byte, far down
    result = read_run_files([path], IN_UTC)
    assert result.errors == [] and result.runs[-1].name == "barfuß"

    path.write_bytes(lines.encode("cp1252") + b"2024-01-03;7;\x81\n")  # undefined in both
    result = read_run_files([path], IN_UTC)
    assert result.runs == []
    assert result.errors == [f"{path}: is neither UTF-8 nor Windows-1252 text"]


def test_damage_far_into_a_member_is_reported_once_it_is_known_as_a_run_log(tmp_path: Path):
    content = ("date,km\n" + plain_rows(120_000)).encode()  # 3 MB: beyond the first chunks
    archive = zipped(tmp_path / "log.zip", {"log.csv": content}, zipfile.ZIP_STORED)
    data = bytearray(archive.read_bytes())
    far = data.rindex(b"2024-01-01T07:30:00")  # stored: the text is in the archive as is
    data[far : far + 4] = b"XXXX"  # the CRC no longer matches: found at the member's end
    archive.write_bytes(bytes(data))
    result = read_run_files([archive])
    assert result.runs == []  # the encoding pass reads to the end first and meets the damage
    assert result.errors == [
        f"{archive}/log.csv: cannot be read: a damaged zip member (Bad CRC-32 for file 'log.csv')"
    ]


def test_a_gzip_bomb_in_a_zip_stops_at_the_size_bound(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(streams, "MAX_DECOMPRESSED_BYTES", 2 * streams.CHUNK_BYTES)
    bomb = gzip.compress(b"date,km\n" + b"2024-01-01,5\n" * 400_000)  # 5.2 MB unpacked
    archive = zipped(tmp_path / "export.zip", {"activities/log.csv.gz": bomb})
    result = read_run_files([archive])
    assert result.runs == []
    assert "decompresses to more than" in result.errors[0]


# --- rows -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "header", "row"),
    [
        ("log.csv", "date,km\n", "2024-01-01,5\n"),
        ("activities.csv", STRAVA_HEAD, '1,"Jan 1, 2024, 7:00:00 AM",Run,Run,1800,5.0\n'),
        ("Activities.csv", "Activity Type,Date,Title,Distance\n", "Running,2024-01-01,Run,5\n"),
    ],
)
def test_a_file_with_too_many_rows_is_not_read_at_all(
    tmp_path: Path, monkeypatch, name: str, header: str, row: str
):
    monkeypatch.setattr(cells, "MAX_ROWS", 50)
    big = tmp_path / "big" / name
    big.parent.mkdir()
    big.write_text(header + row * 51)
    fine = tmp_path / "fine.csv"
    fine.write_text("date,km\n" + plain_rows(50))
    result = read_run_files([big, fine], IN_UTC)
    assert len(result.runs) == 50 and {r.source_file for r in result.runs} == {str(fine)}
    assert result.errors == [
        f"{big}: holds more than 50 rows, more than any run log; none of them was imported"
    ]


def test_identical_rows_within_the_bound_stay_apart_and_count_once_each(tmp_path: Path):
    path = tmp_path / "same.csv"
    path.write_text("date,km\n" + "2024-01-01,5\n" * 2000)
    result = read_run_files([path], IN_UTC)
    ids = [r.external_id for r in result.runs]
    assert len(ids) == len(set(ids)) == 2000


def test_a_row_longer_than_the_bound_stops_the_file_there(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(text_stream, "MAX_ROW_CHARS", 1000)
    path = tmp_path / "log.csv"
    long_row = "2024-01-02,5," + "x" * 5000
    path.write_text(f"date,km,name\n2024-01-01,5,a\n{long_row}\n2024-01-03,5,c\n")
    result = read_run_files([path], IN_UTC)
    assert [r.start.day for r in result.runs] == [1]
    assert result.errors == [
        f"{path}: line 3: not readable (a row longer than 1,000 characters); stopped here"
    ]


def test_an_open_quote_cannot_swallow_more_than_one_row_bound(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(text_stream, "MAX_ROW_CHARS", 1000)
    path = tmp_path / "log.csv"
    path.write_text('date,km,name\n2024-01-01,5,a\n2024-01-02,5,"b\n' + "2024-01-03,5,c\n" * 500)
    result = read_run_files([path], IN_UTC)
    assert [r.start.day for r in result.runs] == [1]
    assert "a row longer than 1,000 characters" in result.errors[0]


def test_a_header_beyond_the_row_bound_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(text_stream, "MAX_ROW_CHARS", 1000)
    path = tmp_path / "log.csv"
    path.write_text("date,km," + ",".join(f"c{i}" for i in range(400)) + "\n2024-01-01,5\n")
    result = read_run_files([path], IN_UTC)
    assert result.runs == []
    assert "the header cannot be read" in result.errors[0]


# --- archives -------------------------------------------------------------------------------------


def test_zips_inside_zips_are_read_three_levels_deep(tmp_path: Path):
    log = {"log.csv": ("date,km\n" + plain_rows(3)).encode()}
    three = tmp_path / "three.zip"
    three.write_bytes(nested(3, log))  # three.zip > level2.zip > level3.zip > log.csv
    result = read_run_files([three], IN_UTC)
    assert len(result.runs) == 3 and result.errors == []
    assert result.runs[0].source_file == f"{three}/level2.zip/level3.zip/log.csv"

    four = tmp_path / "four.zip"
    four.write_bytes(nested(4, log))
    result = read_run_files([four], IN_UTC)
    assert result.runs == []
    assert result.errors == [
        f"{four}/level2.zip/level3.zip/level4.zip: an archive inside 3 archives: not opened "
        "(footlog opens archives 3 levels deep)"
    ]


def test_a_deeply_nested_zip_bomb_stops_at_the_depth_bound(tmp_path: Path):
    deep = tmp_path / "deep.zip"
    deep.write_bytes(nested(60, {"log.csv": b"date,km\n2024-01-01,5\n"}))
    result = read_run_files([deep])
    assert result.runs == [] and len(result.errors) == 1
    assert "an archive inside 3 archives: not opened" in result.errors[0]


def test_an_unreadable_zip_inside_a_zip_is_a_note_not_a_stop(tmp_path: Path):
    archive = zipped(
        tmp_path / "export.zip",
        {"media.zip": b"not a zip at all", "log.csv": ("date,km\n" + plain_rows(2)).encode()},
    )
    result = read_run_files([archive], IN_UTC)
    assert len(result.runs) == 2 and result.errors == []
    skipped = f"{archive}/media.zip: skipped: not opened"
    assert any(note.startswith(skipped) for note in result.notes)


def test_too_many_members_all_archives_together(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_MEMBERS", 10)
    many = zipped(tmp_path / "many.zip", {f"f{i}.txt": b"" for i in range(11)})
    result = read_run_files([many])
    assert result.errors == [
        f"{many}: holds more than 10 files (with the archives around or beside it): more than "
        "any export; not opened"
    ]
    # Nine files beside an archive of two: eleven for the path given.
    outer = zipped(
        tmp_path / "outer.zip",
        {**{f"f{i}.txt": b"" for i in range(9)}, "in.zip": nested(1, {"a.csv": b"", "b.csv": b""})},
    )
    result = read_run_files([outer])
    assert f"{outer}/in.zip: skipped: not opened: holds more than 10 files" in "".join(result.notes)


def test_a_huge_list_of_files_is_refused_before_it_is_read(tmp_path: Path, monkeypatch):
    many = zipped(tmp_path / "many.zip", {f"file{i:05d}.txt": b"" for i in range(100)})
    assert archives._central_directory_bytes(many) == 100 * (46 + len("file00000.txt"))
    monkeypatch.setattr(archives, "MAX_CENTRAL_DIRECTORY_BYTES", 2000)
    opened: list[object] = []
    monkeypatch.setattr(zipfile.ZipFile, "infolist", lambda self: opened.append(self) or [])
    result = read_run_files([many])
    assert opened == []
    assert result.errors[0].startswith(f"{many}: its list of files alone takes 0 MB")


def test_the_zip64_end_record_is_followed(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for i in range(0x10000):  # one more than the classic end record can count
            zf.writestr(zipfile.ZipInfo(f"{i}"), b"")
    path = tmp_path / "big64.zip"
    path.write_bytes(buffer.getvalue())
    assert buffer.getvalue().find(b"PK\x06\x06") > 0
    with zipfile.ZipFile(path) as zf:
        listed = sum(46 + len(info.filename) + len(info.extra) for info in zf.infolist())
    assert archives._central_directory_bytes(path) == listed


# --- whole-file formats ---------------------------------------------------------------------------


def test_xml_run_logs_larger_than_their_parser_can_hold_are_refused(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(GpxImporter, "max_bytes", 100)
    path = tmp_path / "track.gpx"
    path.write_text("<gpx>" + " " * 200 + "</gpx>")
    result = read_run_files([path])
    assert result.errors == [f"{path}: larger than 0 MB, more than any GPX file footlog reads"]


def test_an_archive_is_opened_once_however_many_files_it_holds(tmp_path: Path, monkeypatch):
    # Opening a zip reads its whole list of files: once per member made big exports quadratic.
    notes = {f"notes/{i}.txt": b"a note, not a run log\n" for i in range(300)}
    archive = zipped(tmp_path / "export.zip", {**notes, "log.csv": b"date,km\n2024-01-01,5\n"})
    opened: list[object] = []
    real_init = zipfile.ZipFile.__init__

    def counting(self, *args, **kwargs):
        opened.append(args[0])
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting)
    result = read_run_files([archive], IN_UTC)
    assert len(result.runs) == 1 and result.skipped == 300
    assert opened == [archive]


def fit_with(messages: list[int]) -> bytes:
    """A FIT file of the given messages (global numbers), each with a timestamp and a start
    time (fields 253 and 2)."""
    writer = make_fit.FitWriter()
    t0 = make_fit.fit_time(datetime(2024, 1, 1, tzinfo=UTC))
    for i, number in enumerate(messages):
        stamp = make_fit.Field(253, make_fit.UINT32, t0 + i)
        writer.message(number, [stamp, make_fit.Field(2, make_fit.UINT32, t0 + i)])
    return writer.to_bytes()


def test_fit_files_with_more_sessions_or_laps_than_any_activity(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(fit, "MAX_SESSIONS", 3)
    monkeypatch.setattr(fit, "MAX_LAPS", 5)
    sessions, laps = tmp_path / "sessions.fit", tmp_path / "laps.fit"
    sessions.write_bytes(fit_with([make_fit.SESSION] * 3))
    assert len(read_run_files([sessions]).runs) == 3  # a multisport file: one run each
    sessions.write_bytes(fit_with([make_fit.SESSION] * 4))
    laps.write_bytes(fit_with([make_fit.LAP] * 6))
    result = read_run_files([sessions, laps])
    assert result.runs == []
    assert result.errors == [
        f"{sessions}: holds more than 3 sessions, more than any activity file; not read",
        f"{laps}: holds more than 5 laps, more than any activity file; not read",
    ]
