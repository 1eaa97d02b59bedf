"""benchmarks/speed.py: the 12 MP re-encode it times (stretched to 4:3, or in the photo's
own shape with --keep-aspect)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import speed


def _photo(path: Path, size: tuple[int, int]) -> Path:
    Image.fromarray(np.full((size[1], size[0], 3), 128, np.uint8)).save(path)
    return path


def test_default_re_encode_is_4_by_3(tmp_path: Path) -> None:
    src = _photo(tmp_path / "tall.png", (90, 160))
    out = speed._twelve_mp(src, tmp_path)
    with Image.open(out) as im:
        assert im.size == (3000, 4000)


def test_keep_aspect_keeps_the_shape_at_12_mp(tmp_path: Path) -> None:
    src = _photo(tmp_path / "tall.png", (90, 160))
    out = speed._twelve_mp(src, tmp_path, keep_aspect=True)
    with Image.open(out) as im:
        w, h = im.size
    assert abs(w / h - 90 / 160) < 1e-3
    assert abs(w * h - 12e6) < 0.01 * 12e6
