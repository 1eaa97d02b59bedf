"""Runs, footwear classes, and the rules that decide what counts toward barefoot mileage."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Footwear(StrEnum):
    BAREFOOT = "barefoot"
    MINIMAL = "minimal"
    SHOD = "shod"
    UNKNOWN = "unknown"


class FootwearSource(StrEnum):
    """How a run's footwear class was decided, in order of precedence."""

    OVERRIDE = "override"  # the person set it on this run
    GEAR = "gear"  # the gear-name mapping
    KEYWORD = "keyword"  # a keyword in the run's name or description
    NONE = "none"  # nothing said; class is unknown


@dataclass
class Run:
    """One activity as read from a run log or entered by hand.

    `start` is timezone-aware (UTC when the source says nothing else); distance in metres,
    duration in seconds; either may be None when the source lacks it.
    `incomplete`: read from a file that ends early (a FIT, GPX or TCX file cut short), so the
    distance and time may be short; a complete copy imported later replaces it.
    `source_line`: the line of `source_file` the run was read from, for messages about it.
    """

    start: datetime
    distance_m: float | None
    duration_s: float | None = None
    activity_type: str = "run"
    name: str = ""
    description: str = ""
    gear: str = ""
    source_file: str = ""
    external_id: str | None = None
    footwear_override: Footwear | None = None
    incomplete: bool = False
    source_line: int | None = None


# --- Activity types ------------------------------------------------------------------------------

#: The small vocabulary every source's activity name is reduced to.
ACTIVITY_TYPES: tuple[str, ...] = ("run", "walk", "hike", "ride", "swim", "other")

#: Activity types whose distance counts toward (barefoot or shod) mileage.
#: Running and walking count. A hike is walking on a trail (Strava and Garmin only tell them apart
#: by terrain), and a barefoot hike loads the foot as much as any walk, so "hike" counts too.
#: Rides, swims and everything else are not time on one's feet.
MILEAGE_TYPES: frozenset[str] = frozenset({"run", "walk", "hike"})

# Exact names, in the form `_activity_key` gives (casefolded, accents dropped, camelCase split,
# `_`/`-` as spaces). Sources: Strava's English and localised type names, Garmin Connect's activity
# types, TCX `Sport`, FIT `sport`/`sub_sport` enum names, and the type numbers Strava writes in GPX
# `<type>` (1 Ride, 4 Hike, 9 Run, 10 Walk, 16 Swim).
_NAMES_BY_TYPE: dict[str, tuple[str, ...]] = {
    "run": (
        "run", "running", "trail run", "trail running", "trail", "virtual run", "treadmill",
        "treadmill running", "indoor running", "track running", "street running", "ultra run",
        "obstacle run", "jog", "jogging", "9",
        "lauf", "laufen", "traillauf", "virtueller lauf",  # de
        "course", "course a pied", "course sur sentier", "course virtuelle",  # fr
        "carrera", "correr", "carrera por montana", "carrera virtual",  # es
        "corsa", "corsa virtuale", "hardlopen", "corrida",  # it, nl, pt
    ),
    "walk": (
        "walk", "walking", "indoor walking", "casual walking", "speed walking", "nordic walking",
        "10", "gehen", "spaziergang", "marche", "marche nordique", "caminata", "caminar",
        "camminata", "wandelen", "wandeling", "caminhada",
    ),
    "hike": (
        "hike", "hiking", "mountaineering", "4", "wandern", "wanderung", "randonnee",
        "excursion", "senderismo", "escursione", "escursionismo", "trilha",
    ),
    "ride": (
        "ride", "cycling", "biking", "bike", "virtual ride", "e bike ride", "ebike ride",
        "e biking", "mountain bike ride", "e mountain bike ride", "gravel ride", "handcycle",
        "velomobile", "road biking", "mountain biking", "gravel cycling", "indoor cycling",
        "virtual cycling", "1", "radfahrt", "radfahren", "fahrrad", "virtuelle radfahrt", "velo",
        "sortie a velo", "bicicleta", "ciclismo", "pedalada", "giro in bici", "fietsen",
        "fietstocht",
    ),
    "swim": (
        "swim", "swimming", "pool swim", "lap swimming", "lap swim", "open water swimming",
        "open water", "16", "schwimmen", "natation", "natacion", "nuoto", "zwemmen", "natacao",
    ),
}  # fmt: skip
_EXACT_TYPES: dict[str, str] = {
    name: kind for kind, names in _NAMES_BY_TYPE.items() for name in names
}

# When no exact name matches: English word roots, tried in this order. Only English, because
# short roots in other languages collide ("Langlauf" is cross-country skiing, not running).
_TYPE_ROOTS: tuple[tuple[str, str], ...] = (
    ("swim", "swim"),
    ("hik", "hike"),
    ("walk", "walk"),
    ("run", "run"),
    ("jog", "run"),
    ("cycl", "ride"),
    ("bik", "ride"),
    ("ride", "ride"),
)

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_\-/]+")


def _activity_key(raw: str) -> str:
    """`"TrailRun"`, `"trail_run"` and `" Trail-Run "` all become `"trail run"`."""
    text = _CAMEL_BOUNDARY.sub(" ", unicodedata.normalize("NFKC", raw).strip())
    return _SEPARATORS.sub(" ", _plain_text(text)).strip()


def normalise_activity_type(raw: str | None) -> str:
    """Reduce a source's activity name to one of `ACTIVITY_TYPES`.

    Accepts Strava types in any layout ("Run", "TrailRun", "Trail Run", "Virtual Run", "Lauf",
    "Course à pied"...), Garmin Connect types ("Treadmill Running", "Walking", "Cycling"), TCX
    `Sport` ("Running", "Biking", "Other"), FIT `sport` enum names ("running", "e_biking") and
    GPX `<type>` text. Unknown or empty names give "other"; a name already in the vocabulary is
    returned unchanged.
    """
    if not raw:
        return "other"
    key = _activity_key(raw)
    if key in _EXACT_TYPES:
        return _EXACT_TYPES[key]
    squashed = key.replace(" ", "")
    if squashed in _EXACT_TYPES:
        return _EXACT_TYPES[squashed]
    words = key.split()
    for root, kind in _TYPE_ROOTS:
        if any(word.startswith(root) for word in words):
            return kind
    return "other"


def counts_toward_mileage(activity_type: str | None) -> bool:
    """True when the activity's distance counts toward mileage: running and walking.

    Hikes count as walking (see `MILEAGE_TYPES`). Raw source names are normalised first, so
    `counts_toward_mileage("Trail Run")` is True and `counts_toward_mileage("Ride")` is False.
    """
    return normalise_activity_type(activity_type) in MILEAGE_TYPES


# --- Footwear ------------------------------------------------------------------------------------

# Keywords are matched on text that is NFKC-normalised, casefolded ("ß" -> "ss") and stripped of
# accents ("descalço" -> "descalco"), so each is written here in that plain form.
# Words must start at a word boundary: "Vivobarefoot" is a shoe, not a barefoot run.
_BAREFOOT_WORDS = re.compile(
    r"\b(?:"
    r"bare[ -]?foot(?:ed|ing|er|ers)?\b"  # English
    r"|barfuss\w*"  # German, including compounds: Barfußlauf, barfüßig
    r"|descal[zc][oa]s?\b"  # Spanish descalzo/a, Portuguese descalço/a
    r"|pieds?[ -]nus\b"  # French
    r"|scalz[oaie]\b|a piedi nudi\b"  # Italian
    r"|blote voeten\b|blootsvoets\b"  # Dutch
    r"|(?:na)?boso\b"  # Polish boso, Czech/Slovak naboso
    r")"
)
# "BF" is matched case-sensitively, as a whole word: lowercase "bf" is everyday shorthand for
# boyfriend / best friend, and "BFF" or "BF5" are not the abbreviation.
_BF_WORD = re.compile(r"(?<![^\W_])BF(?![^\W_])")
# Minimal shoes whose names contain a barefoot word: matched first and blanked out, so that
# "Vivo Barefoot" or "barefoot shoes" say minimal, not barefoot.
_MINIMAL_SHOE_PHRASES = re.compile(
    r"\bvivo ?barefoot\b|\bbare[ -]?foot[ -]?shoes?\b|\bbarfuss-?schuh\w*"
)
_MINIMAL_WORDS = re.compile(
    r"\b(?:"
    r"minimal(?:ist|ista|istas|iste|istes|istic|schuh\w*)?\b"
    r"|huaraches?\b"
    r"|sandal(?:s|e|en|es|ias?|ias)?\b"
    r"|vibrams?\b"
    r"|five[ -]?fingers?\b"
    r"|xero(?: shoes?)?\b"
    r")"
)


def _plain_text(text: str) -> str:
    """NFKC, casefold, then drop accents: the form footwear keywords are written in."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def footwear_from_text(text: str) -> Footwear | None:
    """The footwear a run's name or description states by keyword, or None if it states none.

    Barefoot keywords: barefoot (bare foot, barefooting...), uppercase "BF" as a whole word,
    barfuß/barfuss (and German compounds), descalzo/descalza, descalço, pieds nus / pieds-nus,
    scalzo, a piedi nudi, blote voeten, blootsvoets, boso, naboso.
    Minimal keywords: minimal(ist), huarache(s), sandal(s), Vibram, Five Fingers, Xero,
    Vivobarefoot, "barefoot shoes".
    When a text has both (e.g. "barefoot, then huaraches"), barefoot wins: the keyword says the
    feet were bare for at least part of the run, and it is the class footlog exists to follow.
    """
    if not text:
        return None
    plain = _plain_text(text)
    has_minimal_shoe = bool(_MINIMAL_SHOE_PHRASES.search(plain))
    remainder = _MINIMAL_SHOE_PHRASES.sub(" ", plain) if has_minimal_shoe else plain
    if _BAREFOOT_WORDS.search(remainder):
        return Footwear.BAREFOOT
    # BF is checked on the original case; blank out minimal-shoe phrases there too is not
    # needed, since no such phrase contains "BF".
    if _BF_WORD.search(unicodedata.normalize("NFKC", text)):
        return Footwear.BAREFOOT
    if has_minimal_shoe or _MINIMAL_WORDS.search(remainder):
        return Footwear.MINIMAL
    return None


def normalise_gear_name(name: str) -> str:
    """The form gear names are compared in: NFKC, casefolded, trimmed, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def classify_footwear(
    run: Run, gear_map: Mapping[str, Footwear]
) -> tuple[Footwear, FootwearSource]:
    """Decide a run's footwear, and say how it was decided.

    Precedence: the run's own override, then the gear-name mapping (names compared with
    `normalise_gear_name`, so case and surrounding spaces do not matter), then keywords in the
    run's name or description (`footwear_from_text`), else `(UNKNOWN, NONE)`.

    An override of UNKNOWN is kept (the person said they do not know); a gear mapped to UNKNOWN
    is treated as saying nothing, so keywords still get their turn.
    """
    if run.footwear_override is not None:
        return Footwear(run.footwear_override), FootwearSource.OVERRIDE
    if run.gear and gear_map:
        wanted = normalise_gear_name(run.gear)
        for gear_name, footwear in gear_map.items():
            if normalise_gear_name(gear_name) == wanted and footwear != Footwear.UNKNOWN:
                return Footwear(footwear), FootwearSource.GEAR
    stated = footwear_from_text(f"{run.name}\n{run.description}")
    if stated is not None:
        return stated, FootwearSource.KEYWORD
    return Footwear.UNKNOWN, FootwearSource.NONE
