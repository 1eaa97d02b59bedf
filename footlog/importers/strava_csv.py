"""Strava's bulk export: `activities.csv` (alone, or in the export folder or zip).

The file has duplicated column names, so it is read with `csv.reader` and columns are found
by position, never with DictReader (which keeps only the last of two equal names):

- "Distance" appears twice in newer exports: first in the athlete's display unit (km, with a
  comma decimal in some languages, and metres for swims), later in metres. The metres column
  is used; the first only when the metres cell is empty.
- "Elapsed Time" appears twice: whole seconds first, fractional seconds later. The first
  non-empty one is used.

Older exports have fewer columns and only the display-unit "Distance" (see
`_display_distance_factor`). Headers come in the language of the athlete's Strava account;
English, German, French and Spanish names are known (`_COLUMNS`). "Activity Date" is UTC.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import UTC
from pathlib import PurePath

from footlog.domain.runs import Run, normalise_activity_type
from footlog.importers.base import (
    METRES_PER_UNIT,
    ImportedRuns,
    ImportOptions,
    RowImporter,
)
from footlog.importers.cells import (
    CsvTable,
    TooManyRows,
    cell,
    first_csv_row,
    open_csv,
    parse_duration,
    parse_number,
)
from footlog.importers.dates import parse_datetime
from footlog.importers.registry import register
from footlog.importers.streams import ByteSource

# Column names as `header_key` writes them (casefolded, accents dropped, punctuation as spaces).
# English names are Strava's; the others are those of localised exports (German checked against
# published parsers of real exports; French and Spanish are Strava's interface wording).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (
        "activity id", "aktivitats id", "id de l activite", "id de la actividad",
        "id de actividad", "id da atividade", "id attivita",
    ),
    "date": (
        "activity date", "aktivitatsdatum", "date de l activite", "fecha de la actividad",
        "fecha de actividad", "data da atividade", "data attivita",
    ),
    "name": (
        "activity name", "name der aktivitat", "aktivitatsname", "nom de l activite",
        "nombre de la actividad", "nome da atividade", "nome attivita",
    ),
    "type": (
        "activity type", "aktivitatsart", "type d activite", "tipo de actividad",
        "tipo de atividade", "tipo di attivita",
    ),
    "description": (
        "activity description", "aktivitatsbeschreibung", "beschreibung der aktivitat",
        "description de l activite", "descripcion de la actividad", "descricao da atividade",
    ),
    "private_note": (
        "activity private note", "private notiz zur aktivitat", "note privee de l activite",
        "nota privada de la actividad",
    ),
    "elapsed": ("elapsed time", "verstrichene zeit", "temps ecoule", "tiempo transcurrido"),
    "distance": ("distance", "distanz", "distancia", "distancia", "distanza"),
    "gear": (
        "activity gear", "aktivitatsausrustung", "ausrustung fur aktivitat",
        "equipement de l activite", "equipo de la actividad", "equipamiento de la actividad",
    ),
    "filename": ("filename", "dateiname", "nom du fichier", "nombre del archivo",
                 "nombre de archivo", "nome do arquivo"),
}  # fmt: skip
_REQUIRED = ("id", "date", "type", "distance")
YARD_M = 0.9144


@dataclass
class _Columns:
    """Positions of the columns a row is read from."""

    id: int
    date: int
    type: int
    distances: list[int]
    elapsed: list[int]
    name: int | None
    description: int | None
    private_note: int | None
    gear: int | None
    filename: int | None

    @classmethod
    def find(cls, table: CsvTable) -> _Columns | list[str]:
        """The columns of `table`, or the names of the required ones it lacks."""
        found = {field: table.indices(*aliases) for field, aliases in _COLUMNS.items()}
        missing = [field for field in _REQUIRED if not found[field]]
        if missing:
            return missing

        def first(field: str) -> int | None:
            return found[field][0] if found[field] else None

        return cls(
            id=found["id"][0],
            date=found["date"][0],
            type=found["type"][0],
            distances=found["distance"],
            elapsed=found["elapsed"],
            name=first("name"),
            description=first("description"),
            private_note=first("private_note"),
            gear=first("gear"),
            filename=first("filename"),
        )


@dataclass
class _Row:
    """What one CSV row says, before the distance unit of the whole file is settled."""

    line: int
    run: Run
    metres: float | None  # from the metres column
    display: float | None  # from the display-unit column
    filename: str


@register
class StravaCsvImporter(RowImporter):
    """Strava bulk export `activities.csv`, in any of its layouts and languages."""

    name = "Strava export CSV"
    priority = 30

    def recognises(self, path: PurePath, head: bytes) -> bool:
        keys = first_csv_row(head)
        if not keys:
            return False
        return any(k in keys for k in _COLUMNS["id"]) and any(k in keys for k in _COLUMNS["date"])

    def read_source(
        self, data: ByteSource, source: str, options: ImportOptions | None = None
    ) -> ImportedRuns:
        result = ImportedRuns()
        try:
            table = open_csv(data)
        except ValueError as exc:
            result.error(source, str(exc))
            return result
        columns = _Columns.find(table)
        if isinstance(columns, list):
            table.close()
            result.error(
                source,
                "a Strava export CSV without the column(s) "
                + ", ".join(columns)
                + f"; its header is: {', '.join(table.header[:12])}",
            )
            return result
        rows: list[_Row] = []
        try:
            for line, cells in table.rows:
                row = _read_row(cells, columns, source, line, result)
                if row is not None:
                    rows.append(row)
        except TooManyRows as exc:  # not a run log: nothing of it is kept
            refused = ImportedRuns()
            refused.error(source, str(exc))
            return refused
        except ValueError as exc:  # a broken CSV record; what came before it is kept
            result.error(source, str(exc))
        factor = _display_distance_factor(rows, len(columns.distances) > 1, options)
        for row in rows:
            if row.metres is not None:
                row.run.distance_m = row.metres
            elif row.display is not None:
                row.run.distance_m = _display_metres(row, factor)
            result.runs.append(row.run)
            if row.filename:
                result.covers.append(row.filename)
        return result


def _read_row(
    cells: list[str], columns: _Columns, source: str, line: int, result: ImportedRuns
) -> _Row | None:
    """One activity, or None after recording why the row cannot be read."""
    activity_id = cell(cells, columns.id)
    if not activity_id:
        result.error(source, "no activity id", line)
        return None
    try:
        start = parse_datetime(cell(cells, columns.date), zone=UTC)
    except ValueError as exc:
        result.error(source, f"activity date: {exc}", line)
        return None
    try:
        metres = None
        if len(columns.distances) > 1:
            metres = parse_number(cell(cells, columns.distances[-1]))
        display = _parse_display_distance(cell(cells, columns.distances[0]))
    except ValueError as exc:
        result.error(source, f"distance: {exc}", line)
        return None
    duration = None
    for index in columns.elapsed:
        try:
            duration = parse_duration(cell(cells, index))
        except ValueError as exc:
            result.error(source, f"elapsed time: {exc}", line)
            return None
        if duration is not None:
            break
    description = cell(cells, columns.description)
    note = cell(cells, columns.private_note)
    run = Run(
        start=start,
        distance_m=None,
        duration_s=duration,
        activity_type=normalise_activity_type(cell(cells, columns.type)),
        name=cell(cells, columns.name),
        # The private note is the athlete's own; it often says what was on their feet.
        description="\n".join(text for text in (description, note) if text),
        gear=cell(cells, columns.gear),
        source_file=source,
        external_id=f"strava:{activity_id}",
        source_line=line,
    )
    return _Row(line, run, metres, display, cell(cells, columns.filename))


_GROUPED_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def _parse_display_distance(text: str) -> float | None:
    """The display-unit "Distance" cell. Strava writes kilometres (miles) with two decimals,
    "10.02" or "10,02" by language, and swims in whole metres grouped by thousands, "1,500" or
    "1.500": so a separator followed by three digits groups thousands, one followed by one or
    two digits is the decimal mark."""
    if _GROUPED_THOUSANDS.fullmatch(text.strip()):
        return float(re.sub(r"[.,]", "", text))
    return parse_number(text)


def _display_distance_factor(
    rows: list[_Row], has_metres_column: bool, options: ImportOptions | None
) -> float:
    """Metres per unit of the display-unit "Distance" column, for rows without metres.

    The person's `distance_unit` wins. Otherwise kilometres, unless the file has no metres
    column and its runs would then be implausibly fast (median over 50 m/s, 180 km/h): some
    older exports wrote metres in their only "Distance" column.
    """
    if options is not None and options.distance_unit is not None:
        return METRES_PER_UNIT[options.distance_unit]
    if has_metres_column:
        return METRES_PER_UNIT["km"]
    speeds = [
        row.display * 1000.0 / row.run.duration_s
        for row in rows
        if row.display and row.run.duration_s and row.run.activity_type != "swim"
    ]
    if speeds and statistics.median(speeds) > 50.0:
        return 1.0
    return METRES_PER_UNIT["km"]


def _display_metres(row: _Row, factor: float) -> float | None:
    """Metres from the display-unit column. Strava shows swims in metres (yards for imperial
    accounts) whatever unit the athlete runs in, and writes them so in this column."""
    if row.display is None:
        return None
    if row.run.activity_type == "swim" and factor != 1.0:
        return row.display * (YARD_M if factor == METRES_PER_UNIT["mi"] else 1.0)
    return row.display * factor
