"""A run log kept by hand: any CSV with a date column and a distance column.

Columns are found by name, in any order and letter case, with `,` `;` or tab between them:

- date (required): "date", "start", "start time", "datetime", "when", "day" (also "datum",
  "fecha"). ISO dates work best; see `dates.parse_datetime` for the rest. Times without an
  offset are in `ImportOptions.local_tz` (default: this computer's zone); a date alone is
  midnight.
- distance (required): "distance_km" / "km", "distance_mi" / "miles", "distance_m" /
  "metres", or "distance" in `ImportOptions.distance_unit` (default km). "Distance (km)"
  reads like "distance_km".
- optional: duration ("duration", "duration_s", "elapsed", "moving time": seconds or
  hh:mm:ss; "duration_min" / "minutes": minutes; not "time", which in a hand-kept log is as
  often the time of day), "type" / "activity" / "sport" (default "run"), "gear" / "shoes",
  "name" / "title", "description" / "notes", "footwear" (barefoot, minimal, shod, unknown, or
  a footwear keyword such as "BF": the run's override), "id" (kept as "csv:<id>").

Rows without an "id" get an id hashed from their date, distance and type, so importing the
same file again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from footlog.domain.runs import Footwear, Run, footwear_from_text, normalise_activity_type
from footlog.importers.base import (
    METRES_PER_UNIT,
    DistanceUnit,
    ImportedRuns,
    ImportOptions,
    RowIds,
    RowImporter,
)
from footlog.importers.cells import (
    CsvTable,
    cell,
    first_csv_row,
    open_table_rows,
    parse_duration,
    parse_number,
)
from footlog.importers.dates import SlashOrder, parse_datetime, slash_order_of
from footlog.importers.registry import register
from footlog.importers.streams import ByteSource

_DATE = ("date", "start", "start time", "start date", "datetime", "date time", "when", "day",
         "timestamp", "datum", "fecha")  # fmt: skip
# Distance column names and the unit each implies (None: the person's unit, default km).
_DISTANCE: dict[str, DistanceUnit | None] = {
    "distance km": "km", "km": "km", "kilometres": "km", "kilometers": "km",
    "distance mi": "mi", "mi": "mi", "miles": "mi", "distance miles": "mi",
    "distance m": "m", "metres": "m", "meters": "m", "distance metres": "m",
    "distance meters": "m",
    "distance": None, "dist": None, "distanz": None, "distancia": None,
}  # fmt: skip
# Not "time": in a hand-kept log it is as often the time of day as a duration.
_DURATION_SECONDS = ("duration", "duration s", "seconds", "elapsed", "elapsed time",
                     "moving time", "dauer")  # fmt: skip
_DURATION_MINUTES = ("duration min", "minutes", "mins")
_TYPE = ("type", "activity type", "activity", "sport", "kind")
_GEAR = ("gear", "shoes", "shoe")
_NAME = ("name", "title")
_DESCRIPTION = ("description", "notes", "note", "comment", "comments")
_FOOTWEAR = ("footwear",)
_ID = ("id",)


@dataclass
class _Columns:
    date: int
    distance: int
    distance_unit: DistanceUnit | None
    seconds: int | None
    minutes: int | None
    type: int | None
    gear: int | None
    name: int | None
    description: int | None
    footwear: int | None
    id: int | None

    @classmethod
    def find(cls, table: CsvTable) -> _Columns | None:
        date = table.index(*_DATE)
        distance = table.index(*_DISTANCE)
        if date is None or distance is None:
            return None
        return cls(
            date=date,
            distance=distance,
            distance_unit=_DISTANCE[table.keys[distance]],
            seconds=table.index(*_DURATION_SECONDS),
            minutes=table.index(*_DURATION_MINUTES),
            type=table.index(*_TYPE),
            gear=table.index(*_GEAR),
            name=table.index(*_NAME),
            description=table.index(*_DESCRIPTION),
            footwear=table.index(*_FOOTWEAR),
            id=table.index(*_ID),
        )


@register
class PlainCsvImporter(RowImporter):
    """The generic CSV: asked last, after the Strava and Garmin layouts."""

    name = "CSV of dates and distances"
    priority = 0

    def recognises(self, path: PurePath, head: bytes) -> bool:
        keys = first_csv_row(head)
        if not keys:
            return False
        return any(k in keys for k in _DATE) and any(k in keys for k in _DISTANCE)

    def read_source(
        self, data: ByteSource, source: str, options: ImportOptions | None = None
    ) -> ImportedRuns:
        options = options or ImportOptions()
        result = ImportedRuns()
        opened = open_table_rows(
            data,
            source,
            result.error,
            _Columns.find,
            "needs a date column and a distance column (e.g. date,distance_km)",
        )
        if opened is None:
            return result
        table, columns, rows = opened
        unit = columns.distance_unit or options.distance_unit or "km"
        # With `;` between columns, "10,5" is ten and a half; with `,`, a quoted "1,234" is
        # more likely a thousands separator.
        comma: Literal["decimal", "thousands"] = (
            "decimal" if table.delimiter != "," else "thousands"
        )
        slash_order = slash_order_of([cell(r, columns.date) for _, r in rows])
        ids = RowIds("csv")
        for line, cells in rows:
            run = _read_row(cells, columns, unit, comma, slash_order, options, source, line, result)
            if run is None:
                continue
            own_id = cell(cells, columns.id)
            run.external_id = (
                f"csv:{own_id}"
                if own_id
                else ids.next(run.start.isoformat(), run.distance_m, run.activity_type)
            )
            result.runs.append(run)
        return result


def _read_row(
    cells: list[str],
    columns: _Columns,
    unit: DistanceUnit,
    comma: Literal["decimal", "thousands"],
    slash_order: SlashOrder | None,
    options: ImportOptions,
    source: str,
    line: int,
    result: ImportedRuns,
) -> Run | None:
    """One run, or None after recording why the row cannot be read."""
    try:
        start = parse_datetime(
            cell(cells, columns.date), zone=options.local_tz, slash_order=slash_order
        )
    except ValueError as exc:
        result.error(source, f"date: {exc}", line)
        return None
    try:
        distance = parse_number(cell(cells, columns.distance), single_comma=comma)
    except ValueError as exc:
        result.error(source, f"distance: {exc}", line)
        return None
    if distance is not None and distance < 0:
        result.error(source, f"distance: {distance:g} is negative", line)
        return None
    try:
        duration = parse_duration(cell(cells, columns.seconds))
        if duration is None:
            minutes = parse_number(cell(cells, columns.minutes))
            duration = minutes * 60.0 if minutes is not None else None
    except ValueError as exc:
        result.error(source, f"duration: {exc}", line)
        return None
    override = _footwear(cell(cells, columns.footwear), source, line, result)
    raw_type = cell(cells, columns.type)
    return Run(
        start=start,
        distance_m=distance * METRES_PER_UNIT[unit] if distance is not None else None,
        duration_s=duration,
        activity_type=normalise_activity_type(raw_type) if raw_type else "run",
        name=cell(cells, columns.name),
        description=cell(cells, columns.description),
        gear=cell(cells, columns.gear),
        source_file=source,
        footwear_override=override,
        source_line=line,
    )


def _footwear(text: str, source: str, line: int, result: ImportedRuns) -> Footwear | None:
    """The footwear column: barefoot, minimal, shod, unknown, or a footwear keyword
    ("BF", "barfuß", "huaraches"). Anything else is reported and left unset."""
    if not text:
        return None
    try:
        return Footwear(text.casefold())
    except ValueError:
        pass
    stated = footwear_from_text(text) or footwear_from_text(text.upper())  # "bf" too
    if stated is None:
        known = ", ".join(member.value for member in Footwear)
        result.error(source, f"footwear {text!r} is not one of {known}; left unset", line)
    return stated
