"""Where an unexpected error's traceback goes: a file in the user's log folder."""

from __future__ import annotations

from pathlib import Path

from footlog import __version__


def write_crash_log(exc: BaseException) -> str:
    """Write the traceback of an unexpected error to the user's log folder; return where."""
    import traceback
    from datetime import datetime

    import platformdirs

    try:
        folder = Path(platformdirs.user_log_dir("footlog", appauthor=False))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}.txt"
        path.write_text(
            f"footlog {__version__}\n" + "".join(traceback.format_exception(exc)),
            encoding="utf-8",
        )
        return str(path)
    except OSError:
        return "(the log could not be written)"
