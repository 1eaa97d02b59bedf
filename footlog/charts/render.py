"""An Agg canvas that remembers the pixels of each text it has drawn.

Matplotlib 3.11 lays out and rasterises text one glyph at a time through FreeType on every
draw: about 0.25 ms a character here, so the ~650 characters of the timeline (ticks,
legends, title, event key) cost ~150 ms of a ~290 ms draw, most of it the same strings as
the draw before. `CachedTextRendererAgg` lets matplotlib draw a string once into a
recorder, keeps the glyph bitmaps merged into one alpha image, and afterwards stamps that
image with the current colour: one C call per string instead of a layout and a FreeType
rendering per glyph.

Only the origin is snapped to the whole pixel (matplotlib <= 3.10 did the same); the
glyphs, hinting, kerning and fallback fonts are matplotlib's own. Anything the recorder
does not understand (mathtext, a future renderer that draws text otherwise) is drawn
uncached, so the cache can only make drawing faster, never different in content.

`TextCacheCanvasMixin` goes in front of FigureCanvasAgg or FigureCanvasQTAgg;
`FigureCanvasCachedAgg` is the plain one (files, benchmarks).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import fontManager, get_font

MAX_ENTRIES = 4000  # a few MB at most: a string's alpha image is a few kB
# The cache reaches into matplotlib's private text path (`_get_font_height_metrics`, the
# renderer's `draw_text_image` calls). Only the versions it was tested with use it; on any
# other, charts are drawn the plain way (slower, never wrong).
TESTED_MATPLOTLIB = ((3, 11),)

_CACHE: OrderedDict[tuple, tuple[str, Any]] = OrderedDict()
_HEIGHT_METRICS: dict[tuple, tuple[float | None, float | None, float | None]] = {}


def clear_text_cache() -> None:
    """Forget every cached string (benchmarks measure the cold case with it)."""
    _CACHE.clear()
    _HEIGHT_METRICS.clear()


def text_cache_size() -> int:
    return len(_CACHE)


def text_cache_usable(version: tuple[int, ...] | None = None) -> bool:
    """Whether this matplotlib (or `version`, major and minor) is one the cache was tested
    with."""
    if version is None:
        version = tuple(matplotlib.__version_info__[:2])
    return tuple(version[:2]) in TESTED_MATPLOTLIB


class _Recorder:
    """Stands in for the C++ renderer while matplotlib draws one string."""

    def __init__(self) -> None:
        self.calls: list[tuple[np.ndarray, int, int, float]] = []

    def draw_text_image(self, image: Any, x: float, y: float, angle: float, gc: Any) -> None:
        self.calls.append((np.array(image, dtype=np.uint8, copy=True), int(x), int(y),
                           float(angle)))


def _font_height_metrics(prop: Any, dpi: float) -> tuple[float | None, ...]:
    """What `Text._get_layout` (matplotlib 3.11) reads from the font's tables for every
    text on every draw: ascent, descent and line gap at this size."""
    font = get_font(fontManager._find_fonts_by_props(prop))
    os2, hhea = font.get_sfnt_table("OS/2"), font.get_sfnt_table("hhea")
    # (ascent, descent, line gap) in font units: OS/2's typographic ones, else hhea's.
    if os2 is not None:
        units = os2["sTypoAscender"], os2["sTypoDescender"], os2["sTypoLineGap"]
    elif hhea is not None:
        units = hhea["ascent"], hhea["descent"], hhea["lineGap"]
    else:
        return None, None, None
    head = font.get_sfnt_table("head")
    if head is None:  # no em size to scale by: not a usable sfnt font
        return None, None, None
    scale = prop.get_size_in_points() * dpi / 72 / head["unitsPerEm"]
    return units[0] * scale, -units[1] * scale, units[2] * scale


def _merge(calls: list[tuple[np.ndarray, int, int, float]]) -> tuple[np.ndarray, int, int]:
    """Glyph images (x = left column, y = row below the bottom, rows growing downwards)
    merged into one alpha image. Where antialiased edges of neighbouring glyphs overlap the
    stronger one wins (as FreeType bitmaps were merged before matplotlib 3.11)."""
    left = min(x for _img, x, _y, _a in calls)
    bottom = max(y for _img, _x, y, _a in calls)
    right = max(x + img.shape[1] for img, x, _y, _a in calls)
    top = min(y - img.shape[0] for img, _x, y, _a in calls)
    merged = np.zeros((max(bottom - top, 1), max(right - left, 1)), dtype=np.uint8)
    for img, x, y, _a in calls:
        h, w = img.shape[:2]
        region = merged[y - h - top:y - top, x - left:x - left + w]
        np.maximum(region, img, out=region)
    return merged, left, bottom


class CachedTextRendererAgg(RendererAgg):
    """RendererAgg whose `draw_text` reuses the pixels of strings drawn before."""

    def _get_font_height_metrics(self, prop):
        # Hook of Text._get_layout (matplotlib 3.11); None makes it read the font itself.
        key = (hash(prop), prop.get_size_in_points(), self.dpi)
        if key not in _HEIGHT_METRICS:
            try:
                _HEIGHT_METRICS[key] = _font_height_metrics(prop, self.dpi)
            except (AttributeError, KeyError, TypeError, ValueError):
                _HEIGHT_METRICS[key] = (None, None, None)
        return _HEIGHT_METRICS[key]

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not s:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        # Snap the origin so that the same string always gives the same pixels; y is
        # counted downwards from the top, FreeType's upwards from the bottom: snap that one.
        xs = float(round(x))
        ys = self.height - round(self.height - y)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (
            s, hash(prop), prop.get_size_in_points(), self.dpi, round(float(angle), 3),
            bool(gc.get_antialiased()), round(self.height % 1.0, 4),
            matplotlib.rcParams["text.hinting"],
            tuple(features) if features else None, language,
        )
        entry = _CACHE.get(key)
        if entry is None:
            entry = self._record(gc, xs, ys, s, prop, angle, mtext)
            if entry is None:  # drawn directly, not cacheable
                return None
            _CACHE[key] = entry
            if len(_CACHE) > MAX_ENTRIES:
                _CACHE.popitem(last=False)
        else:
            _CACHE.move_to_end(key)
        kind, payload = entry
        dx, dy = int(xs), round(ys)
        if kind == "merged":
            image, rx, ry = payload
            self._renderer.draw_text_image(image, rx + dx, ry + dy, 0, gc)
        else:
            for image, rx, ry, a in payload:
                self._renderer.draw_text_image(image, rx + dx, ry + dy, a, gc)
        return None

    def _record(self, gc, xs, ys, s, prop, angle, mtext):
        real = self._renderer
        recorder = _Recorder()
        self._renderer = recorder
        try:
            super().draw_text(gc, xs, ys, s, prop, angle, False, mtext)
        except AttributeError:
            # The text was drawn with something other than draw_text_image: draw it the
            # ordinary way and do not cache it.
            self._renderer = real
            super().draw_text(gc, xs, ys, s, prop, angle, False, mtext)
            return None
        finally:
            self._renderer = real
        dx, dy = int(xs), round(ys)
        calls = [(img, cx - dx, cy - dy, a) for img, cx, cy, a in recorder.calls]
        if not calls:
            return ("calls", [])
        if all(a == 0 and img.ndim == 2 for img, _x, _y, a in calls):
            return ("merged", _merge(calls))
        return ("calls", calls)


class TextCacheCanvasMixin:
    """Put before an Agg-based canvas class to draw with `CachedTextRendererAgg` (with the
    canvas's own renderer on a matplotlib the cache was not tested with)."""

    def get_renderer(self):
        if not text_cache_usable():
            return super().get_renderer()
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if getattr(self, "_lastKey", None) != key:
            self.renderer = CachedTextRendererAgg(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


class FigureCanvasCachedAgg(TextCacheCanvasMixin, FigureCanvasAgg):
    """FigureCanvasAgg with the text cache."""
