"""Reading photos: formats, damage, EXIF orientation and the reduced-size coordinate mapping."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import ExifTags, Image, ImageDraw, ImageFile, JpegImagePlugin

from footlog.imaging import photo_io
from footlog.imaging.photo_io import (
    PhotoError,
    probe,
    read_full,
    read_reduced,
    read_upright,
)

# --- helpers ----------------------------------------------------------------------------------


def gradient(width: int, height: int) -> np.ndarray:
    """A smooth RGB picture (compresses like a photo), H x W x 3 uint8."""
    y, x = np.mgrid[0:height, 0:width]
    r = 40 + 150 * x / max(width - 1, 1)
    g = 40 + 150 * y / max(height - 1, 1)
    b = np.full_like(r, 120.0)
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def dotted(width: int, height: int, dots: list[tuple[int, int]], radius: int) -> np.ndarray:
    """A grey upright picture with red discs centred near the given (x, y) pixel positions."""
    im = Image.new("RGB", (width, height), (128, 128, 128))
    draw = ImageDraw.Draw(im)
    for x, y in dots:
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(230, 20, 20))
    return np.asarray(im).copy()


def red_centroids(pixels: np.ndarray, boxes: list[tuple[float, float, float, float]]):
    """Centroid (continuous px) of the red in each (x0, y0, x1, y1) search box."""
    rgb = pixels.astype(np.float64)
    redness = np.clip(rgb[..., 0] - (rgb[..., 1] + rgb[..., 2]) / 2 - 30, 0, None)
    centres = []
    for x0, y0, x1, y1 in boxes:
        ix0, iy0 = max(int(x0), 0), max(int(y0), 0)
        w = redness[iy0 : int(np.ceil(y1)), ix0 : int(np.ceil(x1))]
        ys, xs = np.mgrid[0 : w.shape[0], 0 : w.shape[1]]
        total = w.sum()
        assert total > 0, "no red found"
        centres.append(((w * (xs + ix0 + 0.5)).sum() / total, (w * (ys + iy0 + 0.5)).sum() / total))
    return centres


# Stored picture = upright picture put through the inverse of what each EXIF orientation
# asks a viewer to do (EXIF 2.32, tag 0x0112), written independently of photo_io's tables.
STORE_FOR_ORIENTATION = {
    1: lambda a: a,
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1, :],
    5: lambda a: a.swapaxes(0, 1),
    6: lambda a: np.rot90(a, 1),  # viewer turns it 90 degrees clockwise
    7: lambda a: a[::-1, ::-1].swapaxes(0, 1),
    8: lambda a: np.rot90(a, -1),  # viewer turns it 90 degrees anticlockwise
}


def save_oriented(upright: np.ndarray, path: Path, orientation: int, **save: object) -> Path:
    """Store `upright` so that a viewer honouring `orientation` shows it upright again."""
    stored = np.ascontiguousarray(STORE_FOR_ORIENTATION[orientation](upright))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    Image.fromarray(stored).save(path, exif=exif.tobytes(), **save)
    return path


def write_png16_rgb(path: Path, rgb16: np.ndarray) -> None:
    """A 48-bit RGB PNG written by hand (Pillow cannot write one)."""
    height, width, _ = rgb16.shape
    rows = b"".join(b"\x00" + rgb16[y].astype(">u2").tobytes() for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# --- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "suffix", "expected"),
    [
        ("JPEG", ".jpg", "jpeg"),
        ("PNG", ".png", "png"),
        ("TIFF", ".tif", "tiff"),
        ("WEBP", ".webp", "webp"),
        ("HEIF", ".heic", "heic"),
        ("HEIF", ".hif", "heic"),
        ("AVIF", ".avif", "avif"),
    ],
)
def test_each_format_probes_and_reads(tmp_path: Path, fmt: str, suffix: str, expected: str):
    picture = gradient(64, 48)
    path = tmp_path / f"photo{suffix}"
    Image.fromarray(picture).save(path, fmt, quality=95)

    info = probe(path)
    assert (info.format, info.width, info.height, info.orientation) == (expected, 64, 48, 1)
    assert info.file_size == path.stat().st_size

    pixels = read_full(path)
    assert pixels.shape == (48, 64, 3)
    assert pixels.dtype == np.uint8
    assert pixels.flags.writeable and pixels.flags.c_contiguous
    lossy_tolerance = 0 if fmt in ("PNG", "TIFF") else 12
    assert np.abs(pixels.astype(int) - picture).mean() <= lossy_tolerance


def test_mpo_from_a_phone_is_a_jpeg(tmp_path: Path):
    # Phones often append a depth map or preview, making Pillow call the file "MPO".
    path = tmp_path / "portrait.jpg"
    main, extra = Image.fromarray(gradient(80, 60)), Image.new("RGB", (20, 15))
    main.save(path, "MPO", save_all=True, append_images=[extra])
    with Image.open(path) as im:
        assert im.format == "MPO"
    assert probe(path).format == "jpeg"
    assert read_reduced(path, 40).pixels.shape == (30, 40, 3)


def test_pillow_keeps_refusing_truncated_images():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


# --- modes ------------------------------------------------------------------------------------


def test_16_bit_grey_png_and_tiff_keep_their_range(tmp_path: Path):
    values = np.array([[0, 257 * 128, 65535, 1000]], dtype=np.uint16)
    for suffix in (".png", ".tif"):
        path = tmp_path / f"deep{suffix}"
        Image.fromarray(values).save(path)
        pixels = read_full(path)
        assert pixels.shape == (1, 4, 3)
        assert pixels[0, :, 0].tolist() == [0, 128, 255, 4]
        assert (pixels[..., 0] == pixels[..., 2]).all()


def test_16_bit_rgb_png(tmp_path: Path):
    rgb16 = np.array([[[65535, 0, 32896], [256, 512, 768]]], dtype=np.uint16)
    path = tmp_path / "deep_rgb.png"
    write_png16_rgb(path, rgb16)
    assert probe(path).format == "png"
    assert read_full(path).tolist() == [[[255, 0, 128], [1, 2, 3]]]


def test_rgba_png_is_composited_on_white(tmp_path: Path):
    rgba = np.zeros((1, 3, 4), dtype=np.uint8)
    rgba[0, 0] = (0, 0, 0, 0)  # fully transparent black -> white
    rgba[0, 1] = (255, 0, 0, 128)  # half-transparent red -> pink
    rgba[0, 2] = (0, 0, 255, 255)  # opaque blue stays blue
    path = tmp_path / "alpha.png"
    Image.fromarray(rgba, "RGBA").save(path)
    pixels = read_full(path)
    assert pixels[0, 0].tolist() == [255, 255, 255]
    assert pixels[0, 1, 0] == 255 and 120 <= pixels[0, 1, 1] <= 135
    assert pixels[0, 2].tolist() == [0, 0, 255]


def test_grey_cmyk_palette_and_bilevel(tmp_path: Path):
    grey = tmp_path / "grey.jpg"
    Image.new("L", (16, 8), 200).save(grey, quality=95)
    assert np.abs(read_full(grey).astype(int) - 200).max() <= 2

    cmyk = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (16, 8), (0, 255, 255, 0)).save(cmyk, quality=95)  # pure red ink
    red = read_full(cmyk)[4, 8]
    assert red[0] > 240 and red[1] < 15 and red[2] < 15

    palette = tmp_path / "palette.png"
    adaptive = Image.new("RGB", (16, 8), (10, 200, 30)).convert("P", palette=Image.Palette.ADAPTIVE)
    adaptive.save(palette)
    assert read_full(palette)[0, 0].tolist() == [10, 200, 30]

    see_through = tmp_path / "palette_transparent.png"
    p = Image.new("P", (4, 4), 0)
    p.putpalette([0, 0, 0, 255, 0, 0])
    p.putpixel((1, 1), 1)
    p.save(see_through, transparency=0)
    pixels = read_full(see_through)
    assert pixels[0, 0].tolist() == [255, 255, 255] and pixels[1, 1].tolist() == [255, 0, 0]

    bilevel = tmp_path / "bilevel.png"
    Image.new("1", (4, 4), 1).save(bilevel)
    assert read_full(bilevel).min() == 255


# --- damaged and wrong files ------------------------------------------------------------------


def test_truncated_jpeg_is_refused_by_every_reader(tmp_path: Path):
    whole = tmp_path / "whole.jpg"
    Image.fromarray(gradient(400, 300)).save(whole, quality=90)
    data = whole.read_bytes()
    for keep in (len(data) // 2, len(data) - 200):
        cut = tmp_path / f"cut{keep}.jpg"
        cut.write_bytes(data[:keep])
        for reader in (probe, read_full, lambda p: read_reduced(p, 100)):
            with pytest.raises(PhotoError) as caught:
                reader(cut)
            assert caught.value.reason == photo_io.DAMAGED
            assert cut.name in str(caught.value)


def test_truncated_png_and_heic_are_refused(tmp_path: Path):
    for fmt, suffix in (("PNG", ".png"), ("HEIF", ".heic")):
        whole = tmp_path / f"whole{suffix}"
        Image.fromarray(np.random.default_rng(1).integers(0, 255, (64, 64, 3), np.uint8)).save(
            whole, fmt
        )
        cut = tmp_path / f"cut{suffix}"
        cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
        with pytest.raises(PhotoError, match="truncated or damaged"):
            probe(cut)


def test_truncated_webp_is_damaged_not_unreadable(tmp_path: Path):
    # Pillow's WebP plugin reports a cut file as a bare OSError while opening it; that is
    # damage in the file, not a disk or permission problem.
    whole = tmp_path / "whole.webp"
    Image.fromarray(gradient(64, 48)).save(whole, "WEBP")
    cut = tmp_path / "cut.webp"
    cut.write_bytes(whole.read_bytes()[:20])
    with pytest.raises(PhotoError) as caught:
        probe(cut)
    assert caught.value.reason == photo_io.DAMAGED


def test_corrupt_exif_is_read_as_absent_without_warnings(tmp_path: Path):
    import struct
    import warnings

    plain = tmp_path / "plain.jpg"
    Image.fromarray(gradient(64, 48)).save(plain)
    data = plain.read_bytes()
    segment = b"Exif\x00\x00II*\x00\xff\xff\xff\x7f" + bytes(16)  # IFD far past the end
    path = tmp_path / "far-exif.jpg"
    path.write_bytes(data[:2] + b"\xff\xe1" + struct.pack(">H", len(segment) + 2) + segment
                     + data[2:])
    with warnings.catch_warnings(record=True) as caught:
        info = probe(path)
        read_reduced(path, 32)
    assert (info.width, info.height, info.orientation, info.datetime_original) == (64, 48, 1, None)
    assert [str(w.message) for w in caught] == []


def test_text_file_named_jpg(tmp_path: Path):
    path = tmp_path / "notes.jpg"
    path.write_text("left foot, March: 42 km barefoot\n")
    with pytest.raises(PhotoError) as caught:
        probe(path)
    assert caught.value.reason.startswith("not an image footlog can read")
    assert "text" in caught.value.reason


def test_empty_and_missing_files(tmp_path: Path):
    empty = tmp_path / "empty.jpg"
    empty.touch()
    with pytest.raises(PhotoError, match="empty file"):
        probe(empty)
    with pytest.raises(PhotoError, match="file not found"):
        read_full(tmp_path / "nowhere.jpg")
    with pytest.raises(PhotoError, match="not a file"):
        probe(tmp_path)


def test_unsupported_formats_say_what_they_are(tmp_path: Path):
    gif = tmp_path / "foot.gif"
    Image.new("RGB", (8, 8)).save(gif)
    with pytest.raises(PhotoError, match=r"GIF; use JPEG, PNG, TIFF, WebP, HEIC or AVIF"):
        probe(gif)
    # A RAW file is TIFF inside: Pillow would return its small preview as if it were the photo.
    raw = tmp_path / "foot.dng"
    Image.fromarray(gradient(16, 16)).save(raw, "TIFF")
    with pytest.raises(PhotoError, match="camera RAW"):
        probe(raw)


# --- EXIF ------------------------------------------------------------------------------------


def test_probe_reads_camera_and_dates(tmp_path: Path):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.Base.Model] = "iPhone 12\x00"
    ifd = exif.get_ifd(ExifTags.IFD.Exif)
    ifd[ExifTags.Base.DateTimeOriginal] = "2021:03:04 10:11:12"
    ifd[ExifTags.Base.OffsetTimeOriginal] = "+02:00"
    ifd[ExifTags.Base.DateTimeDigitized] = "2021:03:04 10:11:13"
    path = tmp_path / "exif.jpg"
    Image.fromarray(gradient(32, 24)).save(path, exif=exif)

    info = probe(path)
    assert (info.camera_make, info.camera_model) == ("Apple", "iPhone 12")
    assert info.datetime_original == "2021:03:04 10:11:12"
    assert info.offset_time_original == "+02:00"
    assert info.datetime_digitized == "2021:03:04 10:11:13"
    assert info.offset_time_digitized is None


# --- orientation ------------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize(
    ("suffix", "save"),
    [
        (".png", {"format": "PNG"}),
        (".tif", {"format": "TIFF"}),
        # Pillow turns TIFFs upright itself and drops the tag; compressed ones go through libtiff
        (".tif", {"format": "TIFF", "compression": "tiff_lzw"}),
    ],
)
def test_every_orientation_is_undone_exactly(tmp_path: Path, orientation: int, suffix, save):
    # Lossless, and asymmetric: any mirror or wrong turn changes some pixel.
    upright = np.random.default_rng(orientation).integers(0, 255, (6, 10, 3), dtype=np.uint8)
    path = save_oriented(upright, tmp_path / f"o{orientation}{suffix}", orientation, **save)
    info = probe(path)
    assert (info.width, info.height, info.orientation) == (10, 6, orientation)
    assert np.array_equal(read_full(path), upright)


@pytest.mark.parametrize("orientation", [6, 8])
@pytest.mark.parametrize(
    ("fmt", "suffix"), [("JPEG", ".jpg"), ("HEIF", ".heic"), ("WEBP", ".webp")]
)
def test_rotated_photo_dot_lands_where_the_person_saw_it(
    tmp_path: Path, orientation: int, fmt: str, suffix: str
):
    # HEIC stores the turn as a transform that libheif applies; JPEG and WebP leave it to us.
    dots = [(90, 40), (250, 170)]  # upright (x, y): upper left and lower right
    upright = dotted(320, 200, dots, radius=8)
    truth = red_centroids(upright, [(x - 15, y - 15, x + 15, y + 15) for x, y in dots])
    path = tmp_path / f"turned{orientation}{suffix}"
    save_oriented(upright, path, orientation, format=fmt, quality=95)

    info = probe(path)
    assert (info.width, info.height, info.orientation) == (320, 200, orientation)
    full = read_full(path)
    assert full.shape == (200, 320, 3)
    found = red_centroids(full, [(x - 15, y - 15, x + 15, y + 15) for x, y in dots])
    np.testing.assert_allclose(found, truth, atol=0.5)

    reduced = read_reduced(path, 160)
    assert reduced.pixels.shape == (100, 160, 3)
    assert reduced.scale == pytest.approx(2.0)
    boxes = [((x - 15) / 2, (y - 15) / 2, (x + 15) / 2, (y + 15) / 2) for x, y in dots]
    mapped = [reduced.to_full(x, y) for x, y in red_centroids(reduced.pixels, boxes)]
    np.testing.assert_allclose(mapped, truth, atol=0.5)


# --- reduced reading --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_jpeg(tmp_path_factory: pytest.TempPathFactory):
    """A 4000 x 3000 photo-like JPEG with red dots at known places, and their true centres."""
    dots = [(120, 100), (3880, 2900), (2000, 1500), (3500, 400), (600, 2600)]
    picture = dotted(4000, 3000, dots, radius=40)
    truth = red_centroids(picture, [(x - 60, y - 60, x + 60, y + 60) for x, y in dots])
    path = tmp_path_factory.mktemp("big") / "IMG_4000x3000.jpg"
    Image.fromarray(picture).save(path, quality=90)
    return path, dots, truth


def test_draft_mode_4000x3000_maps_back_exactly(big_jpeg, monkeypatch: pytest.MonkeyPatch):
    path, dots, truth = big_jpeg
    requested: list[tuple[int, int] | None] = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        requested.append(size)
        return real_draft(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    reduced = read_reduced(path, 1000)
    assert requested == [(1000, 750)]  # decoded at 1/4 scale, not at full size
    assert reduced.pixels.shape == (750, 1000, 3)
    assert reduced.scale == 4.0
    assert (reduced.full_width, reduced.full_height) == (4000, 3000)
    boxes = [((x - 60) / 4, (y - 60) / 4, (x + 60) / 4, (y + 60) / 4) for x, y in dots]
    mapped = [reduced.to_full(x, y) for x, y in red_centroids(reduced.pixels, boxes)]
    np.testing.assert_allclose(mapped, truth, atol=1.0)  # full-resolution px


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("max_side", [300, 511])
def test_draft_with_partial_blocks_and_rotation(tmp_path: Path, orientation: int, max_side: int):
    # 1603 x 1205 is no multiple of 8: the last drafted pixel covers only part of a block.
    # Turned by most orientations that partial pixel comes first, at the top or left.
    dots = [(60, 50), (1540, 1150), (800, 600), (1540, 60), (60, 1150)]
    upright = dotted(1603, 1205, dots, radius=24)
    truth = red_centroids(upright, [(x - 40, y - 40, x + 40, y + 40) for x, y in dots])
    path = save_oriented(upright, tmp_path / f"odd{orientation}.jpg", orientation, quality=95)

    reduced = read_reduced(path, max_side)
    height, width, _ = reduced.pixels.shape
    assert width == max_side
    assert reduced.scale == pytest.approx(1603 / max_side)
    assert height == int(1205 / reduced.scale)  # shorter side rounded down
    s = reduced.scale
    boxes = [((x - 40) / s, (y - 40) / s, (x + 40) / s, (y + 40) / s) for x, y in dots]
    mapped = [reduced.to_full(x, y) for x, y in red_centroids(reduced.pixels, boxes)]
    # Found within 0.01-0.02 reduced px; mapping through the rounded-up drafted size instead of
    # the true extent is off by 0.2-0.6 reduced px.
    np.testing.assert_allclose(mapped, truth, atol=0.1 * s)


def test_reduced_png_uses_the_same_mapping(tmp_path: Path):
    dots = [(30, 20), (370, 270)]
    upright = dotted(401, 301, dots, radius=10)
    truth = red_centroids(upright, [(x - 20, y - 20, x + 20, y + 20) for x, y in dots])
    path = save_oriented(upright, tmp_path / "odd6.png", 6, format="PNG")
    reduced = read_reduced(path, 150)
    assert reduced.pixels.shape == (112, 150, 3)
    s = reduced.scale
    boxes = [((x - 20) / s, (y - 20) / s, (x + 20) / s, (y + 20) / s) for x, y in dots]
    mapped = [reduced.to_full(x, y) for x, y in red_centroids(reduced.pixels, boxes)]
    np.testing.assert_allclose(mapped, truth, atol=0.1 * s)


def test_small_photos_are_not_enlarged(tmp_path: Path):
    path = tmp_path / "small.jpg"
    Image.fromarray(gradient(120, 90)).save(path)
    reduced = read_reduced(path, 1000)
    assert reduced.scale == 1.0 and reduced.pixels.shape == (90, 120, 3)
    assert reduced.to_reduced(*reduced.to_full(3.5, 7.25)) == (3.5, 7.25)
    assert read_upright(path).shape == (90, 120, 3)
    assert read_upright(path, max_side=60).shape == (45, 60, 3)
    with pytest.raises(ValueError):
        read_reduced(path, 0)


@pytest.mark.parametrize("orientation", [1, 6, 8, 3])
@pytest.mark.parametrize(("fmt", "suffix"), [("JPEG", ".jpg"), ("PNG", ".png"),
                                             ("TIFF", ".tif"), ("HEIF", ".heic")])
def test_probe_and_read_is_probe_and_read_reduced_from_one_decode(
        tmp_path: Path, orientation: int, fmt: str, suffix: str):
    """The import's one decode (verify and keep the picture measuring needs) gives what
    verifying and reading apart gave, turned upright the same way."""
    from footlog.imaging.photo_io import probe_and_read

    path = save_oriented(gradient(320, 200), tmp_path / f"o{orientation}{suffix}", orientation,
                         format=fmt, quality=95)
    info, reduced = probe_and_read(path, 100)
    alone = read_reduced(path, 100)
    assert info == probe(path)
    assert np.array_equal(reduced.pixels, alone.pixels)
    assert (reduced.scale, reduced.full_width, reduced.full_height) == (
        alone.scale, alone.full_width, alone.full_height)
    assert reduced.pixels.shape[:2] == (62, 100)  # upright, whatever the file stores
