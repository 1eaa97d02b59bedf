"""Run-log importers: Strava export, Garmin Connect CSV and account export, intervals.icu
CSV, GPX, TCX, FIT and plain CSV.

Pure parsing, no database. The entry points:

- `read_run_files(paths, options)` reads files, folders and zips into an `ImportedRuns`
  (runs, errors with file and line, skipped count and notes); it never raises for bad input.
- `importer_for(path)` says which importer, if any, reads one file.

Each format lives in its own module and registers itself with `registry.register`; importing
this package registers them all.
"""

# The format modules are imported for their registration; the order does not matter, since
# importers carry a priority.
from footlog.importers import (
    fit,
    garmin_csv,
    garmin_export,
    gpx,
    intervals_csv,
    plain_csv,
    strava_csv,
    tcx,
)
from footlog.importers.base import ImportedRuns, Importer, ImportOptions
from footlog.importers.registry import (
    describe_unknown,
    importer_for,
    read_run_files,
    register,
    registered_importers,
)

__all__ = [
    "ImportOptions",
    "ImportedRuns",
    "Importer",
    "describe_unknown",
    "fit",
    "garmin_csv",
    "garmin_export",
    "gpx",
    "importer_for",
    "intervals_csv",
    "plain_csv",
    "read_run_files",
    "register",
    "registered_importers",
    "strava_csv",
    "tcx",
]
