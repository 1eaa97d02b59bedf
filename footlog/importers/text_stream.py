"""Text files read as streams: their encoding, and their lines, each of bounded length.

`detect_encoding` reads a file once, a chunk at a time, to settle its encoding by the same
rule as `cells.decode_text` (UTF-16 with a byte-order mark, else UTF-8, else Windows-1252),
without holding its text. `BoundedLines` then feeds `csv.reader` one physical line at a
time and stops a record (one row, which quoted line breaks may spread over several lines)
that grows past `MAX_ROW_CHARS`, so that no row can fill memory.
"""

from __future__ import annotations

import codecs
import io
import re
from collections import deque
from collections.abc import Iterable

from footlog.importers.streams import CHUNK_BYTES, ByteSource, Unreadable

#: Characters one CSV record may hold. A Strava row with a long description holds a few
#: thousand; csv itself refuses a single cell past csv.field_size_limit() (131072).
MAX_ROW_CHARS = 1_000_000

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Bytes that Windows-1252 leaves undefined (Python's cp1252 codec refuses them).
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


class RowTooLong(Exception):
    """A CSV record went past MAX_ROW_CHARS."""


class StreamBroken(Exception):
    """The text cannot be read further: damaged data, or bytes that are not its encoding."""


def detect_encoding(data: ByteSource) -> str:
    """The codec that reads the whole file: "utf-16" when it starts with a UTF-16 byte-order
    mark, else "utf-8-sig" (UTF-8, with or without BOM), else "cp1252".

    Raises ValueError (Unreadable for damaged data) when none fits.
    """
    with data.open() as stream:
        first = stream.read(CHUNK_BYTES)
        if first.startswith(_UTF16_BOMS):
            if _decodes(first, stream, "utf-16"):
                return "utf-16"
            raise ValueError("starts like UTF-16 text but is not")
        utf8 = codecs.getincrementaldecoder("utf-8")()
        utf8_ok = cp1252 = True
        chunk = first
        while chunk:
            if utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            cp1252 = cp1252 and not _CP1252_UNDEFINED.search(chunk)
            if not (utf8_ok or cp1252):
                break
            chunk = stream.read(CHUNK_BYTES)
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)  # a multi-byte character cut off at the end
        except UnicodeDecodeError:
            utf8_ok = False
    if utf8_ok:
        return "utf-8-sig"
    if cp1252:
        return "cp1252"
    raise ValueError("is neither UTF-8 nor Windows-1252 text")


def _decodes(first: bytes, rest: io.BufferedReader, encoding: str) -> bool:
    """Whether `first` and the rest of the stream decode as `encoding`."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        chunk = first
        while chunk:
            decoder.decode(chunk)
            chunk = rest.read(CHUNK_BYTES)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def open_text(data: ByteSource, encoding: str) -> io.TextIOWrapper:
    """The file as text in `encoding`, with line endings kept as written (as csv wants)."""
    return io.TextIOWrapper(data.open(), encoding=encoding, newline="")


class BoundedLines:
    """The physical lines of a text stream, for csv.reader, each record at most MAX_ROW_CHARS.

    Call `next_record` before reading each record. Lines already read ahead can be given
    back with `push_back`. Reading raises RowTooLong for a record past the bound, and
    StreamBroken when the text cannot be read further.
    """

    def __init__(self, text: io.TextIOWrapper) -> None:
        self.text = text
        self._pending: deque[str] = deque()
        self._record_chars = 0

    def __iter__(self) -> BoundedLines:
        return self

    def __next__(self) -> str:
        if self._pending:
            line = self._pending.popleft()
        else:
            line = self._read_line()
            if not line:
                raise StopIteration
        self._record_chars += len(line)
        if self._record_chars > MAX_ROW_CHARS:
            raise RowTooLong
        return line

    def _read_line(self) -> str:
        try:
            # One past the bound: a longer line is cut there, and refused by __next__.
            return self.text.readline(MAX_ROW_CHARS + 1 - self._record_chars)
        except Unreadable as exc:
            raise StreamBroken(str(exc)) from exc
        except UnicodeDecodeError as exc:
            raise StreamBroken(f"not {self.text.encoding} text ({exc.reason})") from exc

    def next_record(self) -> None:
        """Start counting a new record."""
        self._record_chars = 0

    def push_back(self, lines: Iterable[str]) -> None:
        """Lines read ahead, to be read again first, in order."""
        self._pending.extend(lines)

    def close(self) -> None:
        self.text.close()
