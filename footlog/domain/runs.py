"""Runs, footwear classes, and the rules that decide what counts toward barefoot mileage."""

from __future__ import annotations

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
