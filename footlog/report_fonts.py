"""The fonts of the PDF report: DejaVu Sans, embedded, with a fallback per character.

reportlab's built-in Helvetica knows only Latin-1 (and draws ■ for "Łódź" or "−"); DejaVu
Sans, which matplotlib ships, covers Latin, Greek, Cyrillic and most symbols. It has no CJK
glyphs: a character it lacks is drawn with the first font on this system (as matplotlib's
font manager lists them) that has it and that reportlab can embed, or else shown as the
replacement character �, so the reader sees that something is missing.
"""

from __future__ import annotations

import functools
import itertools
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

REPLACEMENT = "\ufffd"
_DEJAVU_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
}
# A font that draws a placeholder for every code point: it "covers" all, and helps none.
_NOT_FALLBACKS = ("Last Resort", "DejaVu Sans")


@dataclass
class ReportFonts:
    """Registered font names, and how to write any text so that every character shows."""

    regular: str
    bold: str
    covered: frozenset[int]  # code points both the regular and the bold face can draw
    _fallbacks: dict[str, str | None] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def markup(self, text: str) -> str:
        """`text` as reportlab Paragraph markup: escaped, with characters DejaVu lacks set
        in a fallback font, or replaced by � when no font here can draw them."""
        parts = []
        # Invisible controls and joiners have nothing to draw: leaving them out is exact.
        text = "".join(
            c for c in text if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf")
        )
        for font, run in itertools.groupby(text, key=self._font_for):
            chunk = "".join(run)
            if font == "":
                parts.append(escape(chunk))
            elif font is None:
                parts.append(REPLACEMENT * len(chunk))
            else:
                parts.append(f'<font face="{font}">{escape(chunk)}</font>')
        return "".join(parts)

    def _font_for(self, char: str) -> str | None:
        """The main font (as ''), a fallback font's name, or None when nothing can draw it."""
        if ord(char) in self.covered or char.isspace():
            return ""
        with self._lock:  # the window may write a report from a worker thread
            if char not in self._fallbacks:
                self._fallbacks[char] = _fallback_font(ord(char))
            return self._fallbacks[char]


def dejavu_path(face: str = "regular") -> Path:
    """The DejaVu Sans file matplotlib ships (`face`: regular, bold, italic, bold_italic)."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / _DEJAVU_FILES[face]


@functools.cache
def report_fonts() -> ReportFonts:
    """Register DejaVu Sans with reportlab (once per process) and return the fonts."""
    names = {face: f"FootlogSans-{face}" for face in _DEJAVU_FILES}
    faces = {face: TTFont(names[face], str(dejavu_path(face))) for face in _DEJAVU_FILES}
    for font in faces.values():
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(
        names["regular"],
        normal=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        boldItalic=names["bold_italic"],
    )
    covered = frozenset(faces["regular"].face.charToGlyph) & frozenset(
        faces["bold"].face.charToGlyph
    )
    return ReportFonts(regular=names["regular"], bold=names["bold"], covered=covered)


# -- fallback fonts ----------------------------------------------------------------------------

_registered: dict[tuple[str, int], str | None] = {}  # font file and face -> reportlab name


def _fallback_font(code_point: int) -> str | None:
    """The reportlab name of the first system font that has `code_point` and can be
    embedded (TrueType outlines; reportlab cannot embed CFF/OpenType ones), or None."""
    for fname, index in _candidates():
        if code_point not in _charmap(fname, index):
            continue
        name = _register(fname, index)
        if name is not None:
            return name
    return None


@functools.cache
def _candidates() -> tuple[tuple[str, int], ...]:
    """Font files matplotlib knows, regular faces first, in a stable order."""
    from matplotlib import font_manager

    entries = [
        e
        for e in font_manager.fontManager.ttflist
        if not e.name.startswith(_NOT_FALLBACKS)
        and Path(e.fname).suffix.lower() in (".ttf", ".ttc")
    ]
    entries.sort(key=lambda e: (e.style != "normal", e.weight != 400, e.name, e.fname))
    return tuple(dict.fromkeys((e.fname, e.index) for e in entries))


@functools.cache
def _charmap(fname: str, index: int) -> frozenset[int]:
    from matplotlib import ft2font

    try:
        # FreeType reads the cmap in C: fast enough to look at every font on the system.
        return frozenset(ft2font.FT2Font(fname, face_index=index).get_charmap())
    except (OSError, RuntimeError, TypeError, ValueError):
        return frozenset()


def _register(fname: str, index: int) -> str | None:
    key = (fname, index)
    if key not in _registered:
        name = f"FootlogFallback{len(_registered)}"
        try:
            pdfmetrics.registerFont(TTFont(name, fname, subfontIndex=index))
        except (TTFError, OSError, ValueError, KeyError, AssertionError):
            _registered[key] = None  # e.g. CFF outlines, which reportlab cannot embed
        else:
            # A family of one face, so that <b> around it does not look for a bold variant.
            pdfmetrics.registerFontFamily(
                name, normal=name, bold=name, italic=name, boldItalic=name
            )
            _registered[key] = name
    return _registered[key]
