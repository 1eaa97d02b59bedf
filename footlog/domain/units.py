"""Parsing and formatting distances and durations typed by a person."""

from __future__ import annotations

import math
import re

METRES_PER_UNIT = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "mile": 1609.344, "miles": 1609.344}

_DISTANCE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)


def parse_distance_m(text: str, default_unit: str = "km") -> float:
    """'5.2km', '3 mi', '5200m', '5,2' → metres. A bare number is in `default_unit`."""
    match = _DISTANCE.match(text)
    if not match:
        raise ValueError(f"not a distance: {text!r} (try 5.2km, 3mi or 5200m)")
    number = float(match.group(1).replace(",", "."))
    unit = (match.group(2) or default_unit).lower()
    if unit not in METRES_PER_UNIT:
        raise ValueError(f"unknown distance unit {unit!r} (use km, mi or m)")
    return number * METRES_PER_UNIT[unit]


def parse_duration_s(text: str) -> float:
    """'1:02:03', '45:12', '45:12.5', '3600s', '90min', '1.5h' → seconds."""
    text = text.strip().lower()
    if not text:
        raise ValueError("empty duration")
    suffixes = {"s": 1.0, "sec": 1.0, "min": 60.0, "m": 60.0, "h": 3600.0}
    for suffix, factor in sorted(suffixes.items(), key=lambda kv: -len(kv[0])):
        if text.endswith(suffix) and re.fullmatch(r"\d+(?:\.\d+)?", text[: -len(suffix)].strip()):
            return float(text[: -len(suffix)]) * factor
    parts = text.split(":")
    if len(parts) in (2, 3) and all(re.fullmatch(r"\d+(?:\.\d+)?", p) for p in parts):
        seconds = 0.0
        for part in parts:
            seconds = seconds * 60 + float(part)
        return seconds
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text) * 60.0  # a bare number is minutes: how people say run lengths
    raise ValueError(f"not a duration: {text!r} (try 45:00, 1:02:03 or 90min)")


def format_duration(seconds: float | None) -> str:
    """'1:02:03' or '45:12'; '' for None, '?' for a value that is not a finite number (an
    older library may hold one)."""
    if seconds is None:
        return ""
    if not isinstance(seconds, int | float) or not math.isfinite(seconds):
        return "?"
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
