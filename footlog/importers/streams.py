"""The bytes of one run-log file, read as a stream: from disk, from a zip member, through gzip.

A `ByteSource` opens its file afresh for each pass (a CSV is read twice: once to settle its
encoding, once for its rows), never holds it whole unless asked (`read_all`), and stops
past `MAX_DECOMPRESSED_BYTES`. Whatever goes wrong underneath (a damaged zip member, a
truncated gzip, a disk error) comes out as `Unreadable`, a ValueError whose message says
why in words for the person.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import IO, cast

#: Decompressed size beyond which a file, `.gz` file or zip member is refused (a run log is
#: never this large; a "zip bomb" is).
MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024

#: Bytes read from the layer below at a time.
CHUNK_BYTES = 1024 * 1024

#: Opens the raw stream, registering what must be closed with it on the ExitStack.
Opener = Callable[[ExitStack], IO[bytes]]

TOO_LARGE = f"decompresses to more than {MAX_DECOMPRESSED_BYTES // 2**20} MB; not a run log"


class Unreadable(ValueError):
    """The bytes cannot be read (damaged archive or gzip data, a disk error, too large)."""


class ByteSource:
    """One file's bytes, opened as a fresh stream each time (`open`)."""

    def __init__(self, opener: Opener, describe: Callable[[Exception], str]) -> None:
        self._opener = opener
        self._describe = describe

    @classmethod
    def of_bytes(cls, data: bytes) -> ByteSource:
        """Bytes already in memory (an importer called with `read_bytes`)."""
        return cls(lambda _stack: io.BytesIO(data), _damaged)

    @classmethod
    def of_file(cls, path: Path) -> ByteSource:
        """A file on disk; one larger than MAX_DECOMPRESSED_BYTES is refused when opened."""

        def opener(stack: ExitStack) -> IO[bytes]:
            if path.stat().st_size > MAX_DECOMPRESSED_BYTES:
                raise Unreadable(f"larger than {MAX_DECOMPRESSED_BYTES // 2**20} MB; not a run log")
            return stack.enter_context(path.open("rb"))

        return cls(opener, _disk_error)

    @classmethod
    def of_zip_member(cls, zips: OpenZips, archive: Path, info: zipfile.ZipInfo) -> ByteSource:
        """A member of a zip archive on disk, opened through `zips`."""

        def opener(stack: ExitStack) -> IO[bytes]:
            if info.file_size > MAX_DECOMPRESSED_BYTES:
                raise Unreadable(TOO_LARGE)
            return stack.enter_context(zips.get(archive).open(info))

        return cls(opener, _zip_error)

    def gunzipped(self) -> ByteSource:
        """The same bytes decompressed as gzip (`123.fit.gz` -> the FIT file)."""

        def opener(stack: ExitStack) -> IO[bytes]:
            inner = stack.enter_context(self.open())
            unzipped = stack.enter_context(gzip.GzipFile(fileobj=inner, mode="rb"))
            # A binary file object, which typeshed does not declare GzipFile to be.
            return cast(IO[bytes], unzipped)

        return ByteSource(opener, _gzip_error)

    def open(self) -> io.BufferedReader:
        """A fresh binary stream of the bytes, from the start. Reading it raises Unreadable for
        damaged data, and once more than MAX_DECOMPRESSED_BYTES have been read."""
        stack = ExitStack()
        try:
            raw = self._opener(stack)
        except Unreadable:
            stack.close()
            raise
        except Exception as exc:  # zipfile, gzip and the disk raise many kinds of errors
            stack.close()
            raise Unreadable(self._describe(exc)) from exc
        return io.BufferedReader(_Guarded(raw, stack, self._describe), CHUNK_BYTES)

    def head(self, size: int) -> bytes:
        """The first `size` bytes (fewer for a shorter file)."""
        with self.open() as stream:
            return stream.read(size)

    def read_all(self, limit: int = MAX_DECOMPRESSED_BYTES) -> bytes:
        """Every byte, in memory, for parsers that need the whole file at once; reading stops
        once more than `limit` bytes are read (a result that long says the file is too large).
        Read a chunk at a time: `read(limit)` would reserve `limit` bytes up front."""
        gathered = io.BytesIO()  # getvalue() hands over its buffer without a copy
        with self.open() as stream:
            while gathered.tell() <= limit and (chunk := stream.read(CHUNK_BYTES)):
                gathered.write(chunk)
        return gathered.getvalue()


class OpenZips:
    """Zip archives kept open while a batch is read, the last few used. Opening a zip reads
    its whole list of files: opened again for each member, an export of n files would take
    n * n steps to read. A member being read keeps its archive's file open even after the
    archive is closed here (zipfile counts the references)."""

    def __init__(self, keep: int = 8) -> None:
        self._keep = keep
        self._open: OrderedDict[Path, zipfile.ZipFile] = OrderedDict()

    def get(self, archive: Path) -> zipfile.ZipFile:
        """The open archive (opened now if it is not). Raises what zipfile raises."""
        zf = self._open.pop(archive, None) or zipfile.ZipFile(archive)
        self._open[archive] = zf
        while len(self._open) > self._keep:
            self._open.popitem(last=False)[1].close()
        return zf

    def close(self) -> None:
        while self._open:
            self._open.popitem()[1].close()


class _Guarded(io.RawIOBase):
    """A raw stream over another, counting what it delivers and turning its errors into
    Unreadable; closing it closes everything the opener registered."""

    def __init__(self, inner: IO[bytes], stack: ExitStack, describe: Callable[[Exception], str]):
        super().__init__()
        self._inner = inner
        self._stack = stack
        self._describe = describe
        self._delivered = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except Unreadable:
            raise
        except Exception as exc:
            raise Unreadable(self._describe(exc)) from exc
        self._delivered += len(data)
        if self._delivered > MAX_DECOMPRESSED_BYTES:
            raise Unreadable(TOO_LARGE)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._stack.close()
        super().close()


def _damaged(exc: Exception) -> str:
    return f"damaged ({exc})"


def _disk_error(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"cannot be read from disk ({exc.strerror or exc})"
    return _damaged(exc)


def _zip_error(exc: Exception) -> str:
    if isinstance(exc, RuntimeError):  # zipfile's word for "encrypted"
        return f"cannot be unpacked ({exc})"
    if isinstance(exc, NotImplementedError):  # a compression method Python lacks
        return f"packed in a way footlog cannot unpack ({exc})"
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return f"a damaged zip member ({exc})"
    return _disk_error(exc)


def _gzip_error(exc: Exception) -> str:
    if isinstance(exc, OSError | EOFError | zlib.error):
        return f"not a readable gzip file ({exc})"
    return _damaged(exc)
