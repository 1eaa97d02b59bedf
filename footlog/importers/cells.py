"""Reading the text of run logs: encodings, CSV tables, numbers and durations (dates: `dates`).

Every parser here raises ValueError with a message fit to show the person; the importers add
the file and line and collect it. Nothing here knows any one format.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
import xml.parsers.expat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, TypeVar

from footlog.importers import text_stream
from footlog.importers.streams import ByteSource, Unreadable
from footlog.importers.text_stream import (
    BoundedLines,
    RowTooLong,
    StreamBroken,
    detect_encoding,
    open_text,
)

T = TypeVar("T")

#: Cell values that mean "no value" (Garmin writes "--").
MISSING = frozenset({"", "-", "--", "—", "n/a", "na", "null", "none", "nan"})

CSV_DELIMITERS = (",", ";", "\t")

#: Data rows one CSV file may hold: a run a day for 270 years. A file with more is not a
#: run log (it may be a zip bomb, or a GPS track exported as CSV) and is not read at all.
MAX_ROWS = 100_000


class TooManyRows(ValueError):
    """A CSV file with more than MAX_ROWS data rows; the message says so."""


# --- Text ----------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Bytes of a text file as str: UTF-16 when it starts with a UTF-16 byte-order mark (Excel's
    "Unicode text"), else UTF-8 (with or without BOM), else Windows-1252 (older Excel on Windows).

    Raises ValueError when none fits.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValueError(f"starts like UTF-16 text but is not ({exc.reason})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValueError("is neither UTF-8 nor Windows-1252 text") from exc


def looks_binary(head: bytes) -> bool:
    """True for bytes that are not text: NUL bytes (outside UTF-16) or many control bytes."""
    if not head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return controls > len(head) // 100 + 2


def header_key(cell: str) -> str:
    """A column name in comparable form: "Aktivitäts-ID" -> "aktivitats id",
    "Distance (km)" -> "distance km", "distance_km" -> "distance km"."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", cell).casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+|_", " ", plain).split())


def shown(text: str, limit: int = 40) -> str:
    """A cell value as quoted in an error message: repr, cut short when long."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


# --- CSV -----------------------------------------------------------------------------------------


def sniff_delimiter(first_line: str) -> str:
    """The delimiter among `,` `;` and tab that splits the header line into the most fields.

    Ties go to the comma. Quotes are honoured, so a header like `"Date, UTC";km` splits on `;`.
    """
    best, best_count = ",", 1
    for delimiter in CSV_DELIMITERS:
        fields = next(csv.reader([first_line], delimiter=delimiter), [])
        if len(fields) > best_count:
            best, best_count = delimiter, len(fields)
    return best


@dataclass
class CsvTable:
    """A CSV file's header and an iterator over its data rows as (line number, cells).

    `keys` are the header cells through `header_key`; `header` keeps them as written.
    Blank lines are left out; short rows are returned as they are (see `cell`).
    """

    header: list[str]
    keys: list[str]
    delimiter: str
    rows: Iterator[tuple[int, list[str]]]
    close: Callable[[], None] = lambda: None  # the stream, when rows are not read to the end

    def indices(self, *aliases: str) -> list[int]:
        """Positions of the columns named by the first alias present, in file order."""
        for alias in aliases:
            found = [i for i, key in enumerate(self.keys) if key == alias]
            if found:
                return found
        return []

    def index(self, *aliases: str) -> int | None:
        """Position of the first column named by the first alias present, or None."""
        found = self.indices(*aliases)
        return found[0] if found else None


def cell(row: list[str], index: int | None) -> str:
    """The trimmed text at `index`, or "" when the column is absent or the row is short."""
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def open_csv(data: bytes | ByteSource) -> CsvTable:
    """Open a CSV file and read its header; its rows are read as `CsvTable.rows` is iterated,
    from a stream (the file is never in memory whole). Raises ValueError for an empty or
    binary file, an undecodable or unreadable one, or one with no header."""
    source = data if isinstance(data, ByteSource) else ByteSource.of_bytes(data)
    try:
        head = source.head(4096)
        if not head.strip():
            raise ValueError("the file is empty")
        if looks_binary(head):
            raise ValueError("holds binary data, not CSV text")
        lines = BoundedLines(open_text(source, detect_encoding(source)))
    except Unreadable as exc:
        raise ValueError(f"cannot be read: {exc}") from exc
    try:
        delimiter, first_line = _read_to_header(lines)
        if not first_line:
            raise ValueError("the file has no header line")
        delimiter = delimiter or sniff_delimiter(first_line)
        # strict: an unclosed quote is an error, not a field that swallows the rest of the file.
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        header = _header_row(reader, lines)
    except ValueError:
        lines.close()
        raise
    header = [name.strip().lstrip("\ufeff") for name in header]
    keys = [header_key(name) for name in header]
    return CsvTable(header, keys, delimiter, _data_rows(reader, lines), lines.close)


def _read_to_header(lines: BoundedLines) -> tuple[str | None, str]:
    """The delimiter an Excel "sep=;" first line names (that line is then left out), and
    the first non-blank line, for sniffing; the lines read are given back to `lines`."""
    delimiter: str | None = None
    ahead: list[str] = []
    try:
        for line in lines:
            if not ahead and delimiter is None and _names_delimiter(line):
                delimiter = line.strip()[4]
                lines.next_record()
                continue
            ahead.append(line)
            if line.strip():
                break
    except (RowTooLong, StreamBroken) as exc:
        raise ValueError(f"the header cannot be read ({_why(exc)})") from exc
    lines.push_back(ahead)
    first = ahead[-1].rstrip("\r\n") if ahead and ahead[-1].strip() else ""
    return delimiter, first


def _names_delimiter(line: str) -> bool:
    """Excel writes "sep=;" as a first line when asked to; it names the delimiter."""
    text = line.strip()
    return len(text) == 5 and text.lower().startswith("sep=")


def _header_row(reader: Iterator[list[str]], lines: BoundedLines) -> list[str]:
    """The first non-blank row."""
    try:
        while True:
            lines.next_record()
            row = next(reader, None)
            if row is None:
                raise ValueError("the file has no header line")
            if any(field.strip() for field in row):
                return row
    except (csv.Error, RowTooLong, StreamBroken) as exc:
        raise ValueError(f"the header cannot be read as CSV ({_why(exc)})") from exc


def _why(exc: Exception) -> str:
    if isinstance(exc, RowTooLong):
        return f"a row longer than {text_stream.MAX_ROW_CHARS:,} characters"
    return str(exc)


def _data_rows(
    reader: Iterator[list[str]], lines: BoundedLines
) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank row. A malformed row ends the table with a
    ValueError naming its line (csv cannot resynchronise after a broken quote); more than
    MAX_ROWS rows end it with TooManyRows."""
    count = 0
    try:
        while True:
            lines.next_record()
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = getattr(reader, "line_num", 0)
                raise ValueError(f"line {line}: not readable as CSV ({exc}); stopped here") from exc
            except (RowTooLong, StreamBroken) as exc:
                # The line that could not be read is not counted by the reader yet.
                line = getattr(reader, "line_num", 0) + 1
                raise ValueError(f"line {line}: not readable ({_why(exc)}); stopped here") from exc
            if any(field.strip() for field in row):
                count += 1
                if count > MAX_ROWS:
                    raise TooManyRows(
                        f"holds more than {MAX_ROWS:,} rows, more than any run log; "
                        "none of them was imported"
                    )
                yield getattr(reader, "line_num", 0), row
    finally:
        lines.close()


def all_rows(table: CsvTable) -> tuple[list[tuple[int, list[str]]], str | None]:
    """Every data row that can be read, and why reading stopped early (None if it did not).
    TooManyRows is raised, not returned: such a file is not read at all."""
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in table.rows:
            rows.append(row)
    except TooManyRows:
        raise
    except ValueError as exc:
        return rows, str(exc)
    return rows, None


def open_table_rows(
    data: bytes | ByteSource,
    source: str,
    report: Callable[[str, str], None],
    find_columns: Callable[[CsvTable], T | None],
    needs: str,
) -> tuple[CsvTable, T, list[tuple[int, list[str]]]] | None:
    """Open a CSV, find its columns and read its rows, reporting problems to `report`
    (source, sentence). None when the file cannot be used at all; `needs` says which
    columns are required, and the file's own header is added to it."""
    try:
        table = open_csv(data)
    except ValueError as exc:
        report(source, str(exc))
        return None
    columns = find_columns(table)
    if columns is None:
        table.close()
        report(source, f"{needs}; its header is: {', '.join(table.header[:12])}")
        return None
    try:
        rows, stopped = all_rows(table)
    except TooManyRows as exc:
        report(source, str(exc))
        return None
    if stopped:
        report(source, stopped)
    return table, columns, rows


def first_csv_row(head: bytes) -> list[str] | None:
    """The header keys of a CSV file from its first bytes, or None if it is not CSV text.

    For `recognises()`: cheap, never raises.
    """
    if not head.strip() or looks_binary(head):
        return None
    try:
        text = decode_text(head)
    except ValueError:
        # The head may cut a multi-byte character in two; what is before it is enough.
        text = head.decode("utf-8", errors="ignore")
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    if lines and lines[0].strip().lower().startswith("sep="):
        lines = lines[1:]
    if not lines:
        return None
    first = lines[0]
    try:
        row = next(csv.reader([first], delimiter=sniff_delimiter(first)), [])
    except csv.Error:
        return None
    return [header_key(name) for name in row]


# --- Numbers and durations -----------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS_GROUPS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def parse_number(
    text: str, *, single_comma: Literal["decimal", "thousands"] = "decimal"
) -> float | None:
    """A number as sources write it: "10.02", "10,02", "1,234.5", "1.234,5", "1 234,5".

    None for a missing value ("", "--"). When both `,` and `.` appear, the later one is the
    decimal mark. A lone comma is a decimal mark unless `single_comma="thousands"` and it is
    followed by exactly three digits ("1,234" in an English Garmin export).
    Raises ValueError for anything else.
    """
    raw = text.strip()
    if _PLAIN_NUMBER.fullmatch(raw):  # "10.02", "3000": most cells, no separators to weigh
        return float(raw)
    if raw.casefold() in MISSING:
        return None
    value = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif value.count(",") > 1 or (
        single_comma == "thousands" and _THOUSANDS_GROUPS.fullmatch(value)
    ):
        value = value.replace(",", "")
    elif "," in value:
        value = value.replace(",", ".")
    elif value.count(".") > 1:
        value = value.replace(".", "")  # "1.234.567": dots as thousands separators
    if not _NUMBER.fullmatch(value) or not math.isfinite(number := float(value)):
        raise ValueError(f"{shown(raw)} is not a number")
    return number


_CLOCK = re.compile(
    r"(?:(?P<days>\d+)[d.]\s*)?(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:[.,]\d+)?)"
)


def parse_duration(text: str) -> float | None:
    """Seconds from "3723", "3723.4", "01:02:03", "1:02:03.5", "45:12" (minutes:seconds) or
    "1d 02:03:04". None for a missing value; ValueError for anything else or a negative time."""
    raw = text.strip()
    if raw.casefold() in MISSING:
        return None
    match = _CLOCK.fullmatch(raw)
    if match:
        seconds = float(match["s"].replace(",", "."))
        minutes = int(match["m"])
        hours = int(match["h"] or 0) + 24 * int(match["days"] or 0)
        if seconds >= 60 or (match["h"] is not None and minutes >= 60):
            raise ValueError(f"{shown(raw)} is not a duration")
        return hours * 3600 + minutes * 60 + seconds
    try:
        value = parse_number(raw)
    except ValueError:
        raise ValueError(f"{shown(raw)} is not a duration (seconds or hh:mm:ss)") from None
    if value is None or value < 0:
        raise ValueError(f"{shown(raw)} is not a duration")
    return value


def fit_seconds(value: float | timedelta | None) -> float | None:
    """Seconds from a number or timedelta (fitdecode gives either), or None."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


# --- XML -----------------------------------------------------------------------------------------

_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def xml_text(data: bytes) -> str:
    """An XML file's text, decoded by its declared encoding (else UTF-8, else Windows-1252),
    with any byte-order mark and leading blank space removed: Strava's TCX files start with
    spaces, which XML parsers reject ("XML declaration not at start of entity")."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data).lstrip("\ufeff \t\r\n")
    stripped = data.lstrip(b"\xef\xbb\xbf").lstrip()
    declared = _XML_ENCODING.match(stripped)
    if declared:
        try:
            return stripped.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(stripped)


def close_cut_xml(text: str) -> str | None:
    """A document that ends early, closed after its last complete element, or None.

    Returns the text up to the end tag of the last element that ended (inside the root),
    followed by end tags for the elements still open there: a well-formed document holding
    everything that was whole. None when `text` is not a document cut short: it is whole, or
    it is broken before its end (then the reader's own error says what is wrong).
    """
    data = text.encode("utf-8", "surrogatepass")
    # No namespace processing: the raw names ("ns3:TPX") are what the end tags must repeat.
    # The encoding given overrides the declared one: `text` is already decoded.
    parser = xml.parsers.expat.ParserCreate(encoding="utf-8")
    open_now: list[str] = []
    cut: tuple[int, list[str]] | None = None

    def start(name: str, _attributes: object) -> None:
        open_now.append(name)

    def end(_name: str) -> None:
        nonlocal cut
        open_now.pop()
        at = parser.CurrentByteIndex
        # An empty-element tag (<a/>) ends where it starts; only "</a>" gives a clean cut.
        if open_now and data.startswith(b"</", at):
            after = data.find(b">", at)
            if after >= 0:
                cut = (after + 1, list(open_now))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, False)
    except (xml.parsers.expat.ExpatError, ValueError):
        return None  # broken before its end, not only cut short
    try:
        parser.Parse(b"", True)
    except (xml.parsers.expat.ExpatError, ValueError):
        pass  # what a document cut short gives
    else:
        return None  # whole
    if cut is None:
        return None
    position, still_open = cut
    closing = "".join(f"</{name}>" for name in reversed(still_open))
    return data[:position].decode("utf-8", "surrogatepass") + closing
