"""Garmin Connect's activity list, exported as CSV ("Export CSV" on the Activities page).

Columns: "Activity Type", "Date", "Favorite", "Title", "Distance", "Calories", "Time",
"Avg HR", ... (newer exports add "Moving Time" and "Elapsed Time"). The file says nothing of
units or time zones:

- "Distance" is in the person's display unit: kilometres unless the header says
  "Distance (mi)" (or km/m), or `ImportOptions.distance_unit` says otherwise. Pool swims are
  shown in metres (yards); a swim that would be faster than 10 m/s in km is read as metres.
- "Date" is the wall-clock time where the activity happened, read in
  `ImportOptions.local_tz` (default: this computer's zone).
- "--" marks a missing value; numbers may carry thousands separators ("1,234.5"), and German
  exports write decimal commas ("7,00"). Times are "01:02:03", "00:45:12.3" or "45:12".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from footlog.domain.runs import Run, normalise_activity_type
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

_TYPE = (
    "activity type",
    "aktivitatstyp",
    "type d activite",
    "tipo de actividad",
    "tipo di attivita",
    "activiteittype",
)
_DATE = ("date", "datum", "fecha", "data")
_TITLE = ("title", "titel", "titre", "titulo", "titolo")
_DISTANCE = ("distance", "distanz", "distancia", "distanza", "afstand")
# Elapsed time first: footlog's duration is time from start to finish, pauses included.
_DURATION = ("elapsed time", "verstrichene zeit", "temps ecoule", "tiempo transcurrido",
             "time", "activity time", "zeit", "temps", "tiempo", "tempo", "tijd",
             "moving time", "bewegungszeit")  # fmt: skip
_UNIT_SUFFIXES: dict[str, DistanceUnit] = {"km": "km", "mi": "mi", "m": "m"}
_MAX_SWIM_SPEED_M_S = 10.0  # nobody swims 36 km/h: such a "km" figure is metres
YARD_M = 0.9144


@dataclass
class _Columns:
    type: int
    date: int
    title: int
    distance: int
    distance_unit: DistanceUnit | None  # when the header names it: "Distance (mi)"
    duration: int | None
    english: bool  # English headers: "1,234" is a thousands separator, 7/4/2020 month first

    @classmethod
    def find(cls, table: CsvTable) -> _Columns | None:
        distance, unit = None, None
        for index, key in enumerate(table.keys):
            words = key.split()
            if (
                words
                and words[0] in _DISTANCE
                and (len(words) == 1 or (len(words) == 2 and words[1] in _UNIT_SUFFIXES))
            ):
                distance = index
                unit = _UNIT_SUFFIXES.get(words[1]) if len(words) == 2 else None
                break
        type_, date, title = table.index(*_TYPE), table.index(*_DATE), table.index(*_TITLE)
        if type_ is None or date is None or title is None or distance is None:
            return None
        return cls(
            type=type_,
            date=date,
            title=title,
            distance=distance,
            distance_unit=unit,
            duration=table.index(*_DURATION),
            english=table.keys[type_] == "activity type",
        )


@register
class GarminCsvImporter(RowImporter):
    """Garmin Connect activity-list CSV."""

    name = "Garmin Connect CSV"
    priority = 20

    def recognises(self, path: PurePath, head: bytes) -> bool:
        keys = first_csv_row(head)
        if not keys:
            return False
        has_distance = any(key.split()[:1] and key.split()[0] in _DISTANCE for key in keys)
        return (
            has_distance
            and any(k in keys for k in _TYPE)
            and any(k in keys for k in _DATE)
            and any(k in keys for k in _TITLE)
        )

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
            "a Garmin Connect CSV needs the columns Activity Type, Date, Title and Distance",
        )
        if opened is None:
            return result
        _table, columns, rows = opened
        unit = columns.distance_unit or options.distance_unit or "km"
        # One unambiguous date settles a file's day/month order; English exports are US-style.
        slash_order: SlashOrder | None = slash_order_of(
            [cell(r, columns.date) for _, r in rows]
        ) or ("mdy" if columns.english else None)
        ids = RowIds("garmin-csv")
        for line, cells in rows:
            run = _read_row(cells, columns, unit, slash_order, options, source, line, result)
            if run is not None:
                run.external_id = ids.next(
                    cell(cells, columns.date), cell(cells, columns.type), run.distance_m
                )
                result.runs.append(run)
        return result


def _read_row(
    cells: list[str],
    columns: _Columns,
    unit: DistanceUnit,
    slash_order: SlashOrder | None,
    options: ImportOptions,
    source: str,
    line: int,
    result: ImportedRuns,
) -> Run | None:
    """One activity, or None after recording why the row cannot be read."""
    try:
        start = parse_datetime(
            cell(cells, columns.date), zone=options.local_tz, slash_order=slash_order
        )
    except ValueError as exc:
        result.error(source, f"date: {exc}", line)
        return None
    comma: Literal["decimal", "thousands"] = "thousands" if columns.english else "decimal"
    try:
        distance = parse_number(cell(cells, columns.distance), single_comma=comma)
    except ValueError as exc:
        result.error(source, f"distance: {exc}", line)
        return None
    try:
        duration = parse_duration(cell(cells, columns.duration))
    except ValueError as exc:
        result.error(source, f"time: {exc}", line)
        return None
    activity_type = normalise_activity_type(cell(cells, columns.type))
    distance_m = None
    if distance is not None:
        distance_m = distance * METRES_PER_UNIT[unit]
        if (
            activity_type == "swim"
            and unit != "m"
            and duration
            and distance_m / duration > _MAX_SWIM_SPEED_M_S
        ):
            distance_m = distance * (YARD_M if unit == "mi" else 1.0)
    return Run(
        start=start,
        distance_m=distance_m,
        duration_s=duration,
        activity_type=activity_type,
        name=cell(cells, columns.title),
        source_file=source,
        source_line=line,
    )
