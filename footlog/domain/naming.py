"""Guessing the foot and the view of a photo from its file and folder names.

Pure Python.  Names are cut into tokens (at every non-alphanumeric character, at camelCase
boundaries, and between letters and digits) and whole tokens are compared with word lists, so
"blue_leather" is not "left" and "laptop" is not "top".  A guess is only made when the name
points one way: naming both feet, or two different views, gives UNKNOWN.

Pass the file name, or its path relative to the folder being imported: every folder in the
string counts, so a home folder called "l" would read as "left".
"""

from __future__ import annotations

import re

from footlog.domain.views import Foot, View

_LEFT_WORDS = frozenset(
    {
        "left",
        "leftfoot",
        "links",  # de, nl
        "linker",
        "linke",
        "linkes",
        "linken",
        "gauche",  # fr
        "izquierdo",  # es
        "izquierda",
        "sinistro",  # it
        "sinistra",
        "esquerdo",  # pt
        "esquerda",
        "venstre",  # da, no
        "vänster",  # sv
        "lewy",  # pl
        "lewa",
    }
)
_RIGHT_WORDS = frozenset(
    {
        "right",
        "rightfoot",
        "rechts",
        "rechter",
        "rechte",
        "rechtes",
        "rechten",
        "droite",
        "droit",  # "pied droit": pied is masculine
        "derecho",
        "derecha",
        "destro",
        "destra",
        "direito",
        "direita",
        "højre",
        "høyre",
        "höger",
        "prawy",
        "prawa",
    }
)
# Abbreviations count only as a whole token ("foot_L", "LFoot", "rf", "Lt"), optionally with
# a short photo number ("L1", "R02").  Longer numbers are refused because cameras name
# files like "R0010001.JPG" (Ricoh).
_SHORT_LEFT = frozenset({"l", "lf", "lt"})
_SHORT_RIGHT = frozenset({"r", "rf", "rt"})
_SHORT_SIDE = re.compile(r"([a-z]{1,2})\d{0,2}")
# A letter glued to a word by case alone ("ScanL", "BallR") is part of that word; only a
# foot word after it makes it a side ("LFoot", "RFuss").
_FOOT_WORDS = frozenset({"foot", "feet", "fuss", "fuß", "pied", "pie", "pe", "voet", "fot"})
# An elided article ("l'orteil", "dell'alluce") is not a side: a letter and an apostrophe
# before a word are dropped before the name is cut into tokens.
_ELISION = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,3}['\u2019](?=[^\W\d_])")

_VIEW_WORDS: dict[View, frozenset[str]] = {
    View.DORSAL: frozenset(
        {"dorsal", "dorsum", "top", "topview", "above", "overhead", "oben", "aufsicht", "dessus"}
    ),
    View.MEDIAL: frozenset(
        {
            "medial",
            "side",
            "sides",
            "sideview",
            "inner",
            "inside",
            "innen",
            "innenseite",
            "seite",
            "seitlich",
            "arch",
            "arches",
            "profile",
            "profil",
        }
    ),
    View.PLANTAR: frozenset(
        {
            "plantar",
            "print",
            "prints",
            "footprint",
            "footprints",
            "sole",
            "soles",
            "podoscope",
            "podoskop",
            "pedograph",
            "bottom",
            "underside",
            "sohle",
            "abdruck",
            "fussabdruck",
            "fußabdruck",
            "planta",
            "empreinte",
        }
    ),
}
# Words naming a view footlog does not measure; with one of them present, "side" or
# "profile" may well mean the outer side, so no view is guessed at all.
_OTHER_VIEW_WORDS = frozenset({"lateral", "outer", "outside", "aussen", "außen", "außenseite"})

_DRIVE = re.compile(r"^[A-Za-z]:")  # "C:\photos\..." must not read as a token "c"


def tokens(name: str) -> list[str]:
    """Lower-case tokens of a file or path name, keeping letter runs and digit runs apart.

    >>> tokens("IMG_1234-leftFoot.JPG")
    ['img', '1234', 'left', 'foot', 'jpg']
    """
    return [t.lower() for part in _parts(name) for t in _split_letters_digits(part)]


def guess_foot(name: str) -> Foot:
    """LEFT or RIGHT when the name says so in one way only, otherwise UNKNOWN.

    A name is a weak hint: the detectors tell the foot from its anatomy and the name is used
    only when they cannot. A single letter counts only as a token of its own ("foot_L",
    "L1", "LFoot"), never inside a word ("ball", "ScanL") nor as an elided article
    ("l'orteil")."""
    left = right = False
    for chunk in re.split(r"[\W_]+", _ELISION.sub(" ", _DRIVE.sub("", str(name)))):
        pieces = [p for p in _split_camel(chunk) if p]
        for i, part in enumerate(pieces):
            glued = len(pieces) > 1 and not (
                i + 1 < len(pieces) and pieces[i + 1].lower() in _FOOT_WORDS)
            l_, r_ = _side_of(part, abbreviation_allowed=not glued)
            left |= l_
            right |= r_
    if left == right:  # neither, or both feet named
        return Foot.UNKNOWN
    return Foot.LEFT if left else Foot.RIGHT


def _side_of(part: str, abbreviation_allowed: bool) -> tuple[bool, bool]:
    """(names left, names right) for one alphanumeric part of a name."""
    left = right = False
    if abbreviation_allowed:
        short = _SHORT_SIDE.fullmatch(part.lower())
        if short is not None:
            left |= short[1] in _SHORT_LEFT
            right |= short[1] in _SHORT_RIGHT
    for word in _split_letters_digits(part):
        word = word.lower()
        left |= word in _LEFT_WORDS
        right |= word in _RIGHT_WORDS
    return left, right


def view_from_name(name: str) -> View:
    """DORSAL, MEDIAL or PLANTAR when the name names exactly one of them, otherwise UNKNOWN."""
    words = set(tokens(name))
    if words & _OTHER_VIEW_WORDS:
        return View.UNKNOWN
    named = [view for view, vocabulary in _VIEW_WORDS.items() if words & vocabulary]
    return named[0] if len(named) == 1 else View.UNKNOWN


def _parts(name: str) -> list[str]:
    """Split at non-alphanumerics and camelCase boundaries; letters and digits stay together.

    "LFoot" -> "L", "Foot"; "leftFoot" -> "left", "Foot"; "R0010001" stays whole.
    """
    name = _DRIVE.sub("", str(name))
    parts: list[str] = []
    for chunk in re.split(r"[\W_]+", name):
        parts.extend(_split_camel(chunk))
    return [p for p in parts if p]


def _split_camel(chunk: str) -> list[str]:
    """ "leftFoot" -> ["left", "Foot"], "LFoot" -> ["L", "Foot"], "IMG" -> ["IMG"]."""
    pieces: list[str] = []
    start = 0
    for i in range(1, len(chunk)):
        prev, cur = chunk[i - 1], chunk[i]
        nxt = chunk[i + 1] if i + 1 < len(chunk) else ""
        lower_to_upper = prev.islower() and cur.isupper()
        acronym_end = prev.isupper() and cur.isupper() and nxt.islower()
        if lower_to_upper or acronym_end:
            pieces.append(chunk[start:i])
            start = i
    pieces.append(chunk[start:])
    return pieces


def _split_letters_digits(part: str) -> list[str]:
    """ "left2" -> ["left", "2"]: words glued to photo numbers are still words."""
    return re.findall(r"\d+|[^\W\d_]+", part)
