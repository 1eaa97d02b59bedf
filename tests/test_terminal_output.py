"""Text from imported files never drives the terminal: control characters in stored names,
texts and file names are printed escaped by every command; JSON stays as json.dumps makes it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from footlog.cli import main
from footlog.commands.common import printable

ESC = "\x1b"
# Retitle the window (OSC 0 ... BEL), clear the screen, a C1 CSI, a backwards override.
TITLE = f"{ESC}]0;pwned\x07"
CLEAR = f"{ESC}[2J{ESC}[H"
NASTY = f"Evil{TITLE}run{CLEAR}\x9b31m\u202eend"
SHOWN = r"Evil\x1b]0;pwned\x07run\x1b[2J\x1b[H\x9b31m\u202eend"


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean(text: str) -> None:
    assert not any(ch in text for ch in (ESC, "\x07", "\x9b", "\u202e")), repr(text)


def test_printable_escapes_control_characters_only() -> None:
    assert printable(NASTY) == SHOWN
    assert printable("a\tb\nc\rd\x7f") == r"a\x09b\x0ac\x0dd\x7f"
    assert printable("line\u2028para\u2029") == r"line\u2028para\u2029"
    kept = "Café, Straße, 裸足 🏃\u200d♀️, non\u00a0breaking"
    assert printable(kept) == kept
    assert printable(42) == "42"


@pytest.fixture
def nasty_library(tmp_path: Path, capsys, photo_files) -> str:
    lib = str(tmp_path / "lib")
    log = tmp_path / "log.csv"
    # A real export is long: a few control characters in it do not make it look binary.
    padding = "".join(f"2024-02-{day:02d},5,Easy run {day},\n" for day in range(1, 29))
    log.write_text(
        f'date,distance_km,name,gear\n{padding}2024-03-01,5.2,"{NASTY}","Shoe{CLEAR}"\n',
        encoding="utf-8",
    )
    assert cli(capsys, "--library", lib, "runs", "import", str(log))[0] == 0
    event = ["events", "--date", "2024-03-02", f"Bruised{TITLE}"]
    assert cli(capsys, "--library", lib, *event)[0] == 0
    evil_photo = photo_files[0].with_name(f"left{CLEAR}.jpg")
    shutil.copy(photo_files[0], evil_photo)
    assert cli(capsys, "--library", lib, "import", "--no-measure", str(evil_photo))[0] == 0
    return lib


def test_runs_listing_escapes_names(nasty_library: str, capsys) -> None:
    code, out, _ = cli(capsys, "--library", nasty_library, "runs")
    assert code == 0
    assert_clean(out)
    assert SHOWN in out
    assert len(out.splitlines()) == 29  # one line per run: no line break got through


def test_a_fit_sport_name_is_escaped(tmp_path: Path, capsys) -> None:
    import importlib.util
    import sys
    from datetime import UTC, datetime

    spec = importlib.util.spec_from_file_location(
        "footlog_tests_make_fit_c", Path(__file__).with_name("make_fit.py")
    )
    assert spec and spec.loader
    make_fit = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = make_fit
    spec.loader.exec_module(make_fit)
    data = make_fit.activity_fit(
        datetime(2022, 1, 1, 9, tzinfo=UTC), 5000.0, 1800.0, 1790.0, sport_name=NASTY
    )
    fit = tmp_path / "nasty.fit"
    fit.write_bytes(data)
    lib = str(tmp_path / "lib")
    assert cli(capsys, "--library", lib, "runs", "import", str(fit))[0] == 0
    _, out, _ = cli(capsys, "--library", lib, "runs")
    assert_clean(out)
    assert SHOWN in out


def test_gear_events_photos_and_people_escape_their_text(nasty_library: str, capsys) -> None:
    _, out, _ = cli(capsys, "--library", nasty_library, "gear", f"Shoe{CLEAR}", "shod")
    assert_clean(out)
    assert r"Shoe\x1b[2J\x1b[H" in out
    _, out, _ = cli(capsys, "--library", nasty_library, "gear")
    assert_clean(out)
    assert out == "Shoe\\x1b[2J\\x1b[H: shod\n"
    _, out, _ = cli(capsys, "--library", nasty_library, "events")
    assert_clean(out)
    assert r"Bruised\x1b]0;pwned\x07" in out
    _, out, _ = cli(capsys, "--library", nasty_library, "photos")
    assert_clean(out)
    assert r"left\x1b[2J\x1b[H.jpg" in out
    _, out, _ = cli(capsys, "--library", nasty_library, "people", "--add", f"Ann{TITLE}")
    assert_clean(out)
    _, out, _ = cli(capsys, "--library", nasty_library, "people")
    assert_clean(out)
    assert r"Ann\x1b]0;pwned\x07" in out


def test_deleted_runs_and_errors_are_escaped(nasty_library: str, capsys) -> None:
    _, out, _ = cli(capsys, "--library", nasty_library, "people", "--add", "Ben")
    code, _, err = cli(capsys, "--library", nasty_library, "--person", f"Zed{TITLE}", "runs")
    assert code == 1 and "no person called" in err
    assert_clean(err)
    code, out, _ = cli(capsys, "--library", nasty_library, "--person", "Me", "runs", "delete", "29")
    assert code == 0 and SHOWN in out
    assert_clean(out)


def test_import_problems_naming_a_file_are_escaped(tmp_path: Path, capsys) -> None:
    log = tmp_path / f"log{TITLE}.csv"
    log.write_text("date,distance_km\nsoon,5\n2024-03-01,5\n", encoding="utf-8")
    missing = tmp_path / f"gone{CLEAR}.gpx"
    code, out, err = cli(
        capsys, "--library", str(tmp_path / "lib"), "runs", "import", str(log), str(missing)
    )
    assert code == 0 and "1 run(s) added" in out
    assert_clean(err)
    assert r"log\x1b]0;pwned\x07.csv: line 2: date:" in err
    assert r"gone\x1b[2J\x1b[H.gpx: no such file" in err
    code, _, err = cli(capsys, "--library", str(tmp_path / "lib"), "import", str(missing))
    assert code == 1 and r"gone\x1b[2J\x1b[H.gpx" in err
    assert_clean(err)


def test_json_output_keeps_the_text_and_escapes_it_as_json(nasty_library: str, capsys) -> None:
    # As json.dumps writes it: C0 controls (ESC, BEL, line breaks) as \u001b and the like.
    _, out, _ = cli(capsys, "--library", nasty_library, "runs", "--json")
    assert ESC not in out and "\x07" not in out and "\\u001b]0;pwned\\u0007" in out
    run = json.loads(out)[-1]
    assert run["name"] == NASTY and run["gear"] == f"Shoe{CLEAR}"
    _, out, _ = cli(capsys, "--library", nasty_library, "events", "--json")
    assert ESC not in out and "\x07" not in out
    assert json.loads(out)[0]["text"] == f"Bruised{TITLE}"
