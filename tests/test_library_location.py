"""A library in a synced folder or on a network share opens, and says that SQLite is not
safe there."""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

import pytest

from footlog.cli import main
from footlog.storage import library_location
from footlog.storage.library_location import location_warning, network_share, synced_by


@pytest.mark.parametrize(("path", "who"), [
    ("/home/ana/Dropbox/feet", "Dropbox"),
    ("/Users/ana/OneDrive - Acme Clinic/footlog", "OneDrive"),
    ("/Users/ana/Library/Mobile Documents/com~apple~CloudDocs/footlog", "iCloud Drive"),
    ("/home/ana/Nextcloud/footlog", "Nextcloud"),
])
def test_sync_folders_are_known_by_name(path: str, who: str) -> None:
    assert synced_by(Path(path)) == f"in a folder that {who} synchronises"


def test_a_syncthing_folder_is_known_by_its_marker(tmp_path: Path) -> None:
    (tmp_path / ".stfolder").mkdir()
    (tmp_path / "footlog").mkdir()
    assert synced_by(tmp_path / "footlog") == "in a folder that Syncthing synchronises"
    assert "footlog backup" in location_warning(tmp_path / "footlog")


def test_a_network_share_is_known_by_its_file_system(tmp_path: Path, monkeypatch) -> None:
    import psutil

    Part = namedtuple("Part", "device mountpoint fstype opts")
    monkeypatch.setattr(psutil, "disk_partitions", lambda all=True: [
        Part("/dev/sda1", "/", "ext4", "rw"),
        Part("server:/feet", str(tmp_path), "nfs4", "rw")])
    assert network_share(tmp_path / "lib") == "on a network share (nfs4)"
    assert network_share(Path("/var")) is None
    assert library_location.network_share(Path("//server/share/lib")) == "on a network share"


def test_the_command_line_warns_once_and_goes_on(tmp_path: Path, capsys) -> None:
    (tmp_path / ".stfolder").mkdir()
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "photos"]) == 0
    err = capsys.readouterr().err
    assert err.count("footlog: warning: this library is in a folder that Syncthing") == 1
