"""Reading foot photos: check that a file is a photo footlog can use, and decode it upright.

Every pixel array returned here is H x W x 3, dtype uint8, RGB, *upright*: the EXIF orientation
has been applied, so the picture looks the way the person saw it on their phone.

Coordinates are continuous pixel coordinates of that upright picture: (0, 0) is the top-left
corner of the top-left pixel, x grows to the right, y downwards, and the centre of the pixel in
column i, row j is (i + 0.5, j + 0.5).  In this convention a reduced picture maps onto the full
resolution one by a single multiplication, `full_xy = reduced_xy * scale` (see `ReducedImage`).

Colour profiles (ICC) are ignored: geometry is what footlog measures, not colour. Deep
pictures (16-bit, 32-bit integer and float grey) become 8-bit (`rgb_strips.deep_range`).

Memory is bounded by bytes as well as by Pillow's pixel limit: before decoding, the peak a
read would need is estimated from the header (`decode_budget`), and a photo that would need
more than the budget is refused with a PhotoError that says so. Big pictures are converted
and shrunk a strip at a time, and the decoded pixels are released as soon as they are used.
"""

from __future__ import annotations

import importlib
import math
import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
from PIL import ExifTags, Image, UnidentifiedImageError

from footlog.imaging import decode_budget, rgb_strips
from footlog.imaging.exif_values import per_mm, positive, safe_exif, safe_ifd, text, whole


def _heif_opener() -> object | None:
    """Teach Pillow to read HEIC/HEIF: with pillow-heif (the dependency), or with pi-heif,
    its decode-only twin from the same project, which the desktop bundle ships because it
    leaves out the GPL-licensed x265 encoder footlog never uses. None when neither is there:
    a HEIC photo is then refused with a clear message."""
    for name in ("pillow_heif", "pi_heif"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        module.register_heif_opener()
        return module
    return None


heif = _heif_opener()

# Pillow format name -> footlog format name.  Phones save many JPEGs as "MPO" (a JPEG with a
# second picture, such as a depth map, appended); for footlog those are plain JPEGs.
_FORMATS: dict[str, str] = {
    "JPEG": "jpeg",
    "MPO": "jpeg",
    "PNG": "png",
    "TIFF": "tiff",
    "WEBP": "webp",
    "HEIF": "heic",  # also Fujifilm's and Canon's `.hif`, the same format
    "AVIF": "avif",  # Pillow's own reader (Pillow >= 11.3)
}
_JPEG_FORMATS = frozenset({"JPEG", "MPO"})

# Camera RAW files are TIFF underneath; Pillow would open them and silently return the small
# embedded preview instead of the photo, so they are refused by name before opening.
_RAW_SUFFIXES = frozenset({
    ".dng", ".cr2", ".cr3", ".crw", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".orf", ".rw2",
    ".raf", ".pef", ".srw", ".x3f", ".3fr", ".iiq", ".erf", ".kdc", ".mrw", ".raw",
})  # fmt: skip
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})

DAMAGED = "the file is truncated or damaged"
NO_MEMORY = "not enough memory to decode it"
EMPTY = "empty file"
HEIC_MISSING = "HEIC support missing (install the pillow-heif package)"
_SUPPORTED_LIST = "use JPEG, PNG, TIFF, WebP, HEIC or AVIF"

T = TypeVar("T")

# Pillow warns of a possible decompression bomb above Image.MAX_IMAGE_PIXELS and refuses
# above twice that. Between the two, footlog's own byte budget (`decode_budget`), which
# also counts bytes per pixel, decides: the warning would only be noise on the terminal.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

_DEPTH_WORDS = {"F": "32-bit float", "I": "32-bit integer"} | {
    mode: "16-bit" for mode in ("I;16", "I;16B", "I;16L", "I;16N")
}

# Stored -> upright turn of an H x W x C array (a view, no copy) for each EXIF orientation
# value (EXIF 2.32, tag 0x0112).
_TURN_ARRAY: dict[int, Callable[[np.ndarray], np.ndarray]] = {
    1: lambda a: a,
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1],
    5: lambda a: a.swapaxes(0, 1),
    6: lambda a: np.rot90(a, -1),
    7: lambda a: a.swapaxes(0, 1)[::-1, ::-1],
    8: lambda a: np.rot90(a, 1),
}
# Each orientation's turn undone: 6 and 8 undo each other, every other turn undoes itself.
_INVERSE = {6: 8, 8: 6}


class PhotoError(Exception):
    """A file footlog cannot use as a photo; `reason` says why in words a person understands."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


@dataclass(frozen=True)
class PhotoFileInfo:
    """What `probe` learnt about a photo file that decodes completely.

    `width` and `height` are the upright size in pixels (EXIF orientation applied).
    `orientation` is the EXIF orientation value written in the file (1-8, 1 when absent), for
    information only: width, height and every `read_*` result already have it applied, never
    apply it again.  EXIF texts are kept as written (e.g. "2021:03:04 10:11:12", "+02:00");
    `footlog.imaging.capture_date` interprets them.
    """

    path: Path
    format: str  # "jpeg", "png", "tiff", "webp", "heic" or "avif"
    width: int  # px, upright
    height: int  # px, upright
    orientation: int
    file_size: int  # bytes
    datetime_original: str | None = None  # EXIF DateTimeOriginal (0x9003), local wall clock
    offset_time_original: str | None = None  # EXIF OffsetTimeOriginal (0x9011), "+HH:MM"
    datetime_digitized: str | None = None  # EXIF DateTimeDigitized (0x9004)
    offset_time_digitized: str | None = None  # EXIF OffsetTimeDigitized (0x9012)
    camera_make: str | None = None
    camera_model: str | None = None
    # The lens, as EXIF states it (interpreted by `footlog.imaging.camera_focal`):
    focal_length_mm: float | None = None  # FocalLength (0x920A)
    focal_length_35mm: float | None = None  # FocalLengthIn35mmFilm (0xA405)
    focal_plane_px_per_mm: float | None = None  # FocalPlaneXResolution (0xA20E) with its unit
    exif_pixel_width: int | None = None  # PixelXDimension (0xA002): the width those refer to
    stored_width: int | None = None  # px, width as stored (before the orientation)


@dataclass(frozen=True, eq=False)
class ReducedImage:
    """An upright picture decoded at reduced size, and how it maps to full resolution.

    `scale` is full-resolution pixels per reduced pixel (>= 1.0; 1.0 when the photo already
    fits).  It is the same along x and y, so `full_xy = reduced_xy * scale` in the continuous
    coordinates of this module.  To keep one exact scale, up to one reduced pixel's worth of
    the full photo may be left out at the right or bottom edge (never at the top or left).
    """

    pixels: np.ndarray  # H x W x 3 uint8 RGB, upright
    scale: float  # full-resolution px per reduced px
    full_width: int  # px, upright full-resolution size
    full_height: int

    def to_full(self, x: float, y: float) -> tuple[float, float]:
        """Reduced-picture coordinates (px) -> full-resolution upright coordinates (px)."""
        return x * self.scale, y * self.scale

    def to_reduced(self, x: float, y: float) -> tuple[float, float]:
        """Full-resolution upright coordinates (px) -> reduced-picture coordinates (px)."""
        return x / self.scale, y / self.scale


def probe(path: str | os.PathLike[str], *, verify: bool = True) -> PhotoFileInfo:
    """Identify a photo, read its EXIF facts and check that it decodes completely.

    Raises PhotoError when the file is missing, empty, not a supported image, truncated or
    damaged.  JPEGs are verified by decoding at 1/8 scale, which still reads every byte of
    compressed data (so truncation is caught) at about half the cost of a full decode.
    With `verify=False` only the header is read (a quick preview before importing; the
    upright size may then be wrong for TIFF and HEIC, whose decoders rotate).
    `probe_and_read` verifies with the decode measuring needs instead.
    """
    path = Path(path)
    with _open(path) as im:
        # TIFF and HEIC decoders apply the orientation themselves and then drop the tag, so
        # the value written in the file has to be read before loading.
        written = _written_orientation(im)
        stored_size = im.size
        if verify:
            if im.format in _JPEG_FORMATS:
                im.draft(None, (1, 1))
            # Verifying decodes everything: it is bound by the same budget as reading.
            with _budget_for(im, path, (1, 1)):
                _load(im, path)
        return _info(im, path, written, stored_size)


def probe_and_read(path: str | os.PathLike[str], max_side: int
                   ) -> tuple[PhotoFileInfo, ReducedImage]:
    """`probe` and `read_reduced(path, max_side)` from one decode: the decode that verifies
    the file (every byte of its compressed data is read, as by `probe`) is the picture
    measuring works on, so an imported photo is not decoded a second time."""
    if max_side < 1:
        raise ValueError(f"max_side must be a positive number of pixels, not {max_side}")
    reduced, info = _read(Path(path), max_side, with_info=True)
    assert info is not None
    return info, reduced


def _info(im: Image.Image, path: Path, written: int | None, stored_size: tuple[int, int]
          ) -> PhotoFileInfo:
    """The `PhotoFileInfo` of an opened picture (loaded, for TIFF and HEIC whose decoders turn
    it: their upright size is known only then); `written`: `_written_orientation` read
    before loading, `stored_size`: its size before any draft."""
    applied = _orientation_tag(im)
    width, height = _upright_size(stored_size, applied)
    exif = safe_exif(im)
    exif_ifd = safe_ifd(exif, ExifTags.IFD.Exif)
    return PhotoFileInfo(
        path=path,
        format=_FORMATS[im.format or ""],
        width=width,
        height=height,
        orientation=written if written is not None else applied,
        file_size=path.stat().st_size,
        datetime_original=text(exif_ifd.get(ExifTags.Base.DateTimeOriginal)),
        offset_time_original=text(exif_ifd.get(ExifTags.Base.OffsetTimeOriginal)),
        datetime_digitized=text(exif_ifd.get(ExifTags.Base.DateTimeDigitized)),
        offset_time_digitized=text(exif_ifd.get(ExifTags.Base.OffsetTimeDigitized)),
        camera_make=text(exif.get(ExifTags.Base.Make)),
        camera_model=text(exif.get(ExifTags.Base.Model)),
        focal_length_mm=positive(exif_ifd.get(ExifTags.Base.FocalLength)),
        focal_length_35mm=positive(exif_ifd.get(ExifTags.Base.FocalLengthIn35mmFilm)),
        focal_plane_px_per_mm=per_mm(
            exif_ifd.get(ExifTags.Base.FocalPlaneXResolution),
            exif_ifd.get(ExifTags.Base.FocalPlaneResolutionUnit, 2),
        ),
        exif_pixel_width=whole(exif_ifd.get(ExifTags.Base.ExifImageWidth)),
        stored_width=stored_size[0],
    )


def read_full(path: str | os.PathLike[str]) -> np.ndarray:
    """The whole photo at full resolution: H x W x 3 uint8 RGB, upright.

    Refused (PhotoError) when the full-size array would not fit the decode budget; use
    `read_reduced` for anything that does not need every pixel.
    """
    return _read(Path(path), None)[0].pixels


def read_upright(path: str | os.PathLike[str], max_side: int | None = None) -> np.ndarray:
    """H x W x 3 uint8 RGB upright pixels, no side longer than `max_side` px when given.

    Use `read_reduced` instead when positions found in the picture must be mapped back to
    the full-resolution photo; it returns the scale as well.
    """
    if max_side is None:
        return read_full(path)
    return read_reduced(path, max_side).pixels


def read_reduced(path: str | os.PathLike[str], max_side: int) -> ReducedImage:
    """The photo upright, shrunk so that its longer side is `max_side` px (never enlarged).

    JPEGs are decoded in draft mode at 1/2, 1/4 or 1/8 scale (libjpeg's scaled IDCT, an area
    average) to the smallest size still at least as large as the result, then resampled, which
    makes a 12-megapixel photo several times faster to read than `read_full`.
    """
    if max_side < 1:
        raise ValueError(f"max_side must be a positive number of pixels, not {max_side}")
    return _read(Path(path), max_side)[0]


# --- decoding ---------------------------------------------------------------------------------


def _read(path: Path, max_side: int | None, with_info: bool = False
          ) -> tuple[ReducedImage, PhotoFileInfo | None]:
    """Decode upright RGB, reduced to `max_side` when given (JPEG draft mode when possible),
    within the decode budget (`decode_budget`); with `with_info`, its `PhotoFileInfo` too."""
    with _open(path) as im:
        written = _written_orientation(im)  # before loading: see probe
        stored_size = im.size
        draft_box: tuple[float, float, float, float] | None = None
        if max_side is not None and im.format in _JPEG_FORMATS:
            orientation = _orientation_tag(im)  # JPEG keeps its tag through loading
            fit = _fit(*_upright_size(stored_size, orientation), max_side)
            if fit is not None:
                out_w, out_h, _ = fit
                wanted = (out_h, out_w) if orientation >= 5 else (out_w, out_h)
                drafted = im.draft("RGB", wanted)
                if drafted is not None:
                    # Pillow reports the full photo's extent in drafted pixels, e.g.
                    # (0, 0, 4001/8, 3001/8): the last drafted pixel may be partial.
                    draft_box = drafted[1]
        # The result's size does not depend on the orientation, only which side is which.
        fit = _fit(*stored_size, max_side) if max_side is not None else None
        with _budget_for(im, path, fit[:2] if fit is not None else None):
            _load(im, path)
            # Read after loading (and before the decoded picture is released): see probe.
            info = _info(im, path, written, stored_size) if with_info else None
            # Read after loading: TIFF and HEIC decoders apply the orientation themselves
            # and then remove the tag, JPEG, PNG and WebP leave it to us.
            orientation = _orientation_tag(im)
            full_w, full_h = _upright_size(stored_size, orientation)
            upright_fit = _fit(full_w, full_h, max_side) if max_side is not None else None
            if upright_fit is None:
                return ReducedImage(_upright_array(im, orientation, path), 1.0, full_w,
                                    full_h), info
            stored = _reduced_stored(im, orientation, draft_box, full_w, upright_fit, path)
            if stored is not im:
                im.close()  # releases the decoded pixels before the result's array is made
            pixels = _upright_array(stored, orientation, path)
            return ReducedImage(pixels, upright_fit[2], full_w, full_h), info


def _reduced_stored(
    im: Image.Image,
    orientation: int,
    draft_box: tuple[float, float, float, float] | None,
    full_w: int,
    fit: tuple[int, int, float],
    path: Path,
) -> Image.Image:
    """The loaded picture resampled to the upright size `fit` gives, but still as stored.

    Resampling as stored and turning only the small result spares a full-size turned copy.
    """
    out_w, out_h, scale = fit
    decoded_size = im.size
    upright_w, upright_h = _upright_size(decoded_size, orientation)
    # The part of the decoded picture that covers the full photo, in decoded pixels: the
    # whole picture, except after a JPEG draft decode whose last pixels may be partial.
    valid = draft_box if draft_box is not None else (
        0.0, 0.0, float(decoded_size[0]), float(decoded_size[1]))
    x0, y0, x1, _ = _upright_rect(valid, decoded_size, orientation)
    per_full = (x1 - x0) / full_w  # decoded px per full-resolution px
    box = (
        x0,
        y0,
        min(x0 + out_w * scale * per_full, upright_w),
        min(y0 + out_h * scale * per_full, upright_h),
    )
    # The same part in stored (decoded) pixels, by the inverse turn.
    stored_box = _upright_rect(box, (upright_w, upright_h), _INVERSE.get(orientation, orientation))
    stored_out = (out_h, out_w) if orientation >= 5 else (out_w, out_h)
    if stored_box == (0, 0, *decoded_size) and stored_out == decoded_size:
        return im  # draft mode already hit the size exactly
    return _converted(path, lambda: rgb_strips.reduced_rgb(im, stored_out, stored_box))


def _upright_array(picture: Image.Image, orientation: int, path: Path) -> np.ndarray:
    """A loaded picture as a writable, C-contiguous H x W x 3 uint8 RGB array, upright.

    The picture is closed (its pixels released) as soon as its array exists, before the
    array is turned.
    """
    stored = _converted(path, lambda: rgb_strips.full_array(picture))
    picture.close()
    if orientation == 1:
        return stored
    return np.ascontiguousarray(_TURN_ARRAY[orientation](stored))


def _converted(path: Path, convert: Callable[[], T]) -> T:
    """Run a colour conversion, turning its failures into PhotoError."""
    try:
        return convert()
    except MemoryError as exc:
        raise PhotoError(path, NO_MEMORY) from exc
    except ValueError as exc:  # e.g. a mode Pillow cannot convert to RGB
        raise PhotoError(path, DAMAGED) from exc


@contextmanager
def _budget_for(im: Image.Image, path: Path, out_size: tuple[int, int] | None) -> Iterator[None]:
    """Hold the memory a read of `im` needs (see `decode_budget`), or refuse the photo.

    Also refuses, before decoding, a colour mode that cannot become RGB.
    """
    try:
        rgb_strips.check_mode(im.mode)
    except rgb_strips.UnsupportedMode:
        raise PhotoError(path, f"unsupported colour mode ({im.mode})") from None
    need = decode_budget.decode_cost(im, out_size)
    if not decode_budget.fits(need):
        raise PhotoError(path, _over_budget(im, need))
    with decode_budget.reserve(need):
        yield


def _over_budget(im: Image.Image, need: int) -> str:
    """Why a photo is refused for the memory it would take, in words a person understands."""
    width, height = im.size
    depth = _DEPTH_WORDS.get(im.mode, "8-bit " + ("grey" if im.mode in ("L", "1") else "colour"))
    limit = decode_budget.megabytes(decode_budget.capacity())
    return (
        f"too large to decode ({width} x {height} px, {depth}: about "
        f"{decode_budget.megabytes(need)} of memory, more than footlog's {limit}); "
        "save it as an 8-bit JPEG"
    )


def _open(path: Path) -> Image.Image:
    """Open (not decode) a supported image, turning every failure into a PhotoError."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise PhotoError(path, "file not found") from None
    except OSError as exc:
        raise PhotoError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    if not path.is_file():
        raise PhotoError(path, "not a file")
    if stat.st_size == 0:
        raise PhotoError(path, EMPTY)
    if path.suffix.lower() in _RAW_SUFFIXES:
        raise PhotoError(
            path, "not an image footlog can read (a camera RAW file; export it as JPEG first)"
        )
    _ignore_exif_warnings()
    try:
        im = Image.open(path, formats=_openable_formats())
    except UnidentifiedImageError:
        raise PhotoError(path, _unidentified_reason(path)) from None
    except _BOMB as exc:
        raise PhotoError(path, _too_large()) from exc
    except MemoryError as exc:
        raise PhotoError(path, NO_MEMORY) from exc
    except OSError as exc:
        if exc.errno is None:  # raised by a decoder (a damaged header), not by the disk
            raise PhotoError(path, DAMAGED) from exc
        raise PhotoError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    except Exception as exc:  # a damaged header can make any plugin raise almost anything
        raise PhotoError(path, DAMAGED) from exc
    if im.format not in _FORMATS:  # cannot happen with `formats=`; kept as a guard
        im.close()
        raise PhotoError(path, f"not an image footlog can read ({im.format}; {_SUPPORTED_LIST})")
    return im


def _ignore_exif_warnings() -> None:
    """Silence the warnings of Pillow's EXIF and TIFF tag reader ("Corrupt EXIF data ...").

    It warns about damaged tags it skips, even while only opening a file; footlog treats
    damaged EXIF as absent already, so the warning would only reach the person's terminal
    as noise. A filter rather than `catch_warnings`, which is not safe in the window's
    worker threads; added before each use (adding it again only moves it to the front), as
    a `catch_warnings` block elsewhere may have dropped it.
    """
    warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.TiffImagePlugin")


def _openable_formats() -> list[str]:
    """The supported Pillow formats that are actually registered (HEIF needs pillow-heif)."""
    Image.init()
    return [name for name in _FORMATS if name in Image.OPEN]


def _load(im: Image.Image, path: Path) -> None:
    """Decode the pixels; a truncated or corrupt file raises PhotoError.

    Pillow's ImageFile.LOAD_TRUNCATED_IMAGES must stay False (its default) for this to
    catch truncated files; footlog never changes it.
    """
    try:
        im.load()
    except MemoryError as exc:
        raise PhotoError(path, NO_MEMORY) from exc
    except _BOMB as exc:
        raise PhotoError(path, _too_large()) from exc
    except Exception as exc:  # decoders report damage as OSError, SyntaxError, ValueError...
        raise PhotoError(path, DAMAGED) from exc


# The warning is an exception only when a warnings filter says so (python -W error).
_BOMB = (Image.DecompressionBombError, Image.DecompressionBombWarning)


def _too_large() -> str:
    """Why a photo beyond Pillow's pixel limit (twice Image.MAX_IMAGE_PIXELS) is refused."""
    limit = 2 * (Image.MAX_IMAGE_PIXELS or 0) / 1e6
    return f"the image is too large (more than {limit:.0f} megapixels)"


def _unidentified_reason(path: Path) -> str:
    """Why Pillow could not identify the file, guessed from its first bytes."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
    except OSError:
        return DAMAGED
    brand = head[8:12] if head[4:8] == b"ftyp" else b""
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")) or (
        head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    ):
        return DAMAGED  # the right signature, but the header does not parse
    if brand in _HEIF_BRANDS:
        return DAMAGED if heif is not None else HEIC_MISSING
    if brand in (b"avif", b"avis"):
        return f"not an image footlog can read (AVIF; {_SUPPORTED_LIST})"
    if brand:
        return "not an image footlog can read (a video or other media file)"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return f"not an image footlog can read (GIF; {_SUPPORTED_LIST})"
    if head.startswith(b"BM"):
        return f"not an image footlog can read (BMP; {_SUPPORTED_LIST})"
    if head.startswith(b"%PDF"):
        return "not an image footlog can read (a PDF document)"
    if _looks_like_text(head):
        return "not an image footlog can read (it is a text file)"
    return "not an image footlog can read (unknown format)"


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # The 64-byte window may cut a multi-byte character; retry without its tail.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return all(ch.isprintable() or ch in "\r\n\t\f" for ch in text.lstrip("\ufeff"))


# --- orientation geometry ---------------------------------------------------------------------


def _orientation_tag(im: Image.Image) -> int:
    """The EXIF orientation still to apply to the decoded pixels (1 when none)."""
    value = safe_exif(im).get(ExifTags.Base.Orientation, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _written_orientation(im: Image.Image) -> int | None:
    """The orientation value written in the file when the decoder will apply it itself."""
    original = im.info.get("original_orientation")  # set by pillow-heif, which resets the tag
    if isinstance(original, int) and 1 <= original <= 8:
        return original
    tags = getattr(im, "tag_v2", None)  # TIFF: Pillow transposes on load and drops the tag
    if tags is not None:
        value = tags.get(ExifTags.Base.Orientation)
        if isinstance(value, int) and 1 <= value <= 8:
            return value
    return None


def _upright_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """Stored (w, h) -> upright (w, h): orientations 5-8 swap width and height."""
    return (size[1], size[0]) if orientation >= 5 else size


def _to_upright_point(
    x: float, y: float, size: tuple[int, int], orientation: int
) -> tuple[float, float]:
    """A stored-picture point -> the same point after the orientation's transposition."""
    w, h = size
    return {
        1: (x, y),
        2: (w - x, y),
        3: (w - x, h - y),
        4: (x, h - y),
        5: (y, x),
        6: (h - y, x),
        7: (h - y, w - x),
        8: (y, w - x),
    }[orientation]


def _upright_rect(
    rect: tuple[float, float, float, float], size: tuple[int, int], orientation: int
) -> tuple[float, float, float, float]:
    """A stored-picture rectangle (x0, y0, x1, y1) -> the rectangle after transposition."""
    ax, ay = _to_upright_point(rect[0], rect[1], size, orientation)
    bx, by = _to_upright_point(rect[2], rect[3], size, orientation)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _fit(width: int, height: int, max_side: int) -> tuple[int, int, float] | None:
    """Reduced (w, h) and scale (full px per reduced px) for `max_side`; None if it fits."""
    longest = max(width, height)
    if longest <= max_side:
        return None
    scale = longest / max_side
    # The shorter side is rounded down, so that `scale` holds exactly on both axes and the
    # resampling box stays inside the photo.
    if width >= height:
        return max_side, max(1, math.floor(height / scale + 1e-9)), scale
    return max(1, math.floor(width / scale + 1e-9)), max_side, scale


# --- EXIF -------------------------------------------------------------------------------------
