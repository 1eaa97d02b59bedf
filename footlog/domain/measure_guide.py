"""What each measure means, in plain words: for tooltips, Help ▸ Measures, the report.

One place for the words, so the window, the report and the command line say the same thing.
How each measure is drawn, landmark by landmark, is `footlog.domain.methods` (the report's
methods page) and docs/MEASURES.md (the reference); this module adds what a reader needs to
read a value: a name anyone understands, what a larger or a negative value means, and how
far a change can be trusted.

Figures of trust come from docs/MEASURES.md ("Known error of the method": the published
minimal detectable change) and, for measures without a published figure, from footlog's own
series of repeat photos of one foot (docs/DETECTOR.md, carpet series of 7 photos).
"""

from __future__ import annotations

from dataclasses import dataclass

from footlog.domain.methods import MEASURE_METHODS
from footlog.domain.statistics import MDC_FACTOR, PUBLISHED_MDC
from footlog.domain.views import MEASURES

# Spread (SD) of footlog's own reading over 7 photos of one foot taken the same way on
# one floor (docs/DETECTOR.md, carpet series), in each measure's unit. Not a published
# figure: one person, one photographer; it gives the order of a change that may be noise.
SAME_FOOT_SD: dict[str, float] = {
    "toe_splay": 3.97,  # deg
    "toe_spread_ratio": 0.041,  # ratio
    "forefoot_width": 4.9,  # mm
}
SAME_FOOT_PHOTOS = 7

# What "learn your own figure" takes (statistics.MIN_REPEAT_SESSIONS and _DF), in words.
OWN_FIGURE_ADVICE = (
    "footlog learns how much a person's own photos vary from days with two or three photos "
    "of the same foot, and uses that figure once it has enough of them."
)

MDC95_IN_ONE_LINE = (
    "MDC95 (minimal detectable change): the smallest change between two photos that is "
    "larger than the difference between repeat photos of the same foot 95 times in 100; "
    "a smaller change may be noise."
)


@dataclass(frozen=True)
class MeasureGuide:
    """The plain words of one measure. `name` is the stable id of docs/MEASURES.md."""

    name: str
    plain_name: str  # what a person would call it, lower case: "big-toe angle"
    what: str  # one sentence: what it is
    larger: str  # what a larger (or positive) value means
    smaller: str  # what a smaller (or negative) value means
    trust: str = ""  # how far a change can be trusted; "" -> from the figures below

    @property
    def label(self) -> str:
        """The name the charts and lists show ("Hallux angle")."""
        return MEASURES[self.name].label

    @property
    def unit(self) -> str:
        return MEASURES[self.name].unit

    @property
    def sign(self) -> str:
        """What the sign of a value means ("" for a measure never negative)."""
        return MEASURES[self.name].sign

    @property
    def drawn_between(self) -> tuple[tuple[str, str], ...]:
        """The landmark pairs its lines join on a photo."""
        return MEASURES[self.name].lines

    @property
    def how_drawn(self) -> str:
        """How it is drawn from the landmarks (the report's methods text)."""
        return MEASURE_METHODS.get(self.name, "")

    def trust_text(self) -> str:
        """How far a change can be trusted, with the figure it rests on."""
        if self.trust:
            return self.trust
        if self.name in PUBLISHED_MDC:
            mdc, reference = PUBLISHED_MDC[self.name]
            return (
                f"Photos a person takes of their own foot differ from one to the next: a "
                f"change smaller than {mdc:g}{_unit(self.name)} (the published MDC95 of "
                f"self-taken photos, {reference}) may be noise. {OWN_FIGURE_ADVICE}"
            )
        if self.name in SAME_FOOT_SD:
            sd = SAME_FOOT_SD[self.name]
            digits = 3 if self.unit == "1" else 1
            return (
                f"No published figure. On {SAME_FOOT_PHOTOS} photos of one foot taken the "
                f"same way, footlog's readings spread by {sd:.{digits}f}{_unit(self.name)} "
                f"(SD): a change under about {MDC_FACTOR * sd:.{digits}f}{_unit(self.name)} "
                f"may be noise. {OWN_FIGURE_ADVICE}"
            )
        return f"No published figure. {OWN_FIGURE_ADVICE}"

    def tooltip(self) -> str:
        """A few lines for a tooltip: what it is, what larger and smaller mean."""
        return (f"{self.label}: {self.what}\nLarger: {self.larger}\nSmaller: {self.smaller}\n"
                "Help ▸ Measures explains how far it can be trusted.")


def _unit(name: str) -> str:
    return {"deg": "°", "mm": " mm"}.get(MEASURES[name].unit, "")


GUIDES: dict[str, MeasureGuide] = {
    g.name: g
    for g in (
        MeasureGuide(
            "hallux_angle", "big-toe angle",
            "how far the big toe turns away from the line of the foot's inner edge, seen "
            "from above.",
            "positive: the big toe turns toward the second toe (the direction of a bunion, "
            "hallux valgus); the larger, the more it turns.",
            "near 0: the big toe continues the foot's inner edge; negative: it turns away "
            "from the other toes, toward the inner side.",
        ),
        MeasureGuide(
            "toe_splay", "toe splay",
            "the angle between the big toe's inner edge and the little toe's outer edge, "
            "seen from above: how far the toes fan out.",
            "positive: the two edges open toward the tips, the toes fan out.",
            "negative: the edges close toward the tips, as in a forefoot shaped by pointed "
            "shoes; a negative toe splay is common and is not an error.",
        ),
        MeasureGuide(
            "toe_spread_ratio", "toe spread",
            "how wide the toes spread compared with the ball of the foot: the width across "
            "the big and little toes divided by the width across the ball.",
            "above 1: the toes spread wider than the ball of the foot.",
            "below 1: the toes are narrower than the ball of the foot.",
        ),
        MeasureGuide(
            "forefoot_width", "forefoot width",
            "the width of the foot across the ball, from the big-toe joint's bump to the "
            "little-toe joint's bump, in millimetres (needs the sheet, a page or a card).",
            "a wider forefoot.", "a narrower forefoot.",
        ),
        MeasureGuide(
            "foot_length", "foot length",
            "from the back of the heel to the tip of the longest toe, in millimetres.",
            "a longer foot (a flatter arch lengthens the foot a little).", "a shorter foot.",
        ),
        MeasureGuide(
            "arch_height_index", "arch height index",
            "side photo: the height of the top of the foot at half its length, divided by "
            "the length from the heel to the ball of the big toe.",
            "a higher arch.", "a lower, flatter arch.",
            trust=("No published figure for photos. On two real side photos footlog read it "
                   f"within 0.02 of hand-placed landmarks. {OWN_FIGURE_ADVICE}"),
        ),
        MeasureGuide(
            "arch_height_ratio", "arch height ratio",
            "side photo: the height of the highest point of the inner arch above the floor, "
            "divided by the foot's length.",
            "a higher arch.", "a lower, flatter arch.",
            trust=("No published figure for photos. On two real side photos footlog read it "
                   f"within 0.01 of hand-placed landmarks. {OWN_FIGURE_ADVICE}"),
        ),
        MeasureGuide(
            "arch_height", "arch height",
            "side photo: the height of the inner arch's highest point above the floor, in "
            "millimetres (needs a scale; a camera above floor level reads it low).",
            "a higher arch.", "a lower, flatter arch.",
        ),
        MeasureGuide(
            "arch_index", "footprint arch index",
            "footprint without the toes, cut into three equal parts from heel to toes: the "
            "middle part's share of the whole print (Cavanagh and Rodgers).",
            "more of the print under the midfoot: a flatter foot (0.26 and above is called "
            "a low arch).",
            "less of the print under the midfoot: a higher arch (0.21 and below is called a "
            "high arch).",
        ),
        MeasureGuide(
            "chippaux_smirak_index", "footprint midfoot width (Chippaux-Smirak)",
            "footprint: the narrowest width of the midfoot divided by the widest width of the "
            "forefoot.",
            "a wider midfoot print: a flatter foot.",
            "a narrower midfoot print: a higher arch (0 when the midfoot leaves no print).",
        ),
        MeasureGuide(
            "staheli_index", "footprint midfoot width (Staheli)",
            "footprint: the narrowest width of the midfoot divided by the widest width of the "
            "heel.",
            "a wider midfoot print: a flatter foot.",
            "a narrower midfoot print: a higher arch.",
        ),
        MeasureGuide(
            "clarke_angle", "footprint arch angle (Clarke)",
            "footprint: the angle between the line along the inner edge of the print and the "
            "line into the deepest point of the arch's curve.",
            "a deeper curve: a higher arch.", "a shallower curve: a flatter foot.",
        ),
    )
}


def guide(name: str) -> MeasureGuide | None:
    """The words of a measure, or None for a name footlog does not know."""
    return GUIDES.get(name)


def plain_name(name: str) -> str:
    """'big-toe angle' for 'hallux_angle'; the id in words for an unknown measure."""
    found = GUIDES.get(name)
    return found.plain_name if found else name.replace("_", " ")


def tooltip(name: str) -> str:
    """The tooltip of a measure wherever its value is shown; "" for an unknown one."""
    found = GUIDES.get(name)
    return found.tooltip() if found else ""
