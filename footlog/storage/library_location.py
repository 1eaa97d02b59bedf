"""Whether a library sits where SQLite is not safe: a folder a sync client copies between
computers, or a network share.

SQLite's write-ahead log needs shared memory and byte-range locks that network file systems
do not give, and a sync client (Dropbox, OneDrive, iCloud Drive, Syncthing, ...) copies the
database and its log one file at a time, whenever it likes: another computer can then open
a half-copied library, and two computers writing at once can damage it. footlog still opens
such a library (moving it is the person's choice) but says so; `footlog backup` is the safe
way to carry a library between computers.
"""

from __future__ import annotations

from pathlib import Path

# Folder names that sync clients create (compared case-insensitively, any part of the path):
# OneDrive's business folders are "OneDrive - <company>"; macOS keeps iCloud Drive in
# "Mobile Documents" and the newer providers under "CloudStorage".
SYNCED_FOLDERS = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "icloud drive": "iCloud Drive",
    "icloud~com~apple~clouddocs": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "cloudstorage": "a cloud storage provider",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "pcloud drive": "pCloud",
}
# Marker files sync clients put in the root of a synced folder.
SYNC_MARKERS = {".stfolder": "Syncthing", ".dropbox": "Dropbox", ".sync": "Resilio Sync"}
# File systems of network shares, as the operating system names them.
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smbfs", "smb2", "smb3", "afpfs", "9p", "davfs", "fuse.sshfs",
    "sshfs", "fuse.rclone", "fuse.gvfsd-fuse", "webdav", "ncpfs",
})


def location_warning(root: Path) -> str | None:
    """A sentence when the library at `root` is in a synced folder or on a network share,
    else None."""
    where = synced_by(root) or network_share(root)
    if where is None:
        return None
    return (f"this library is {where}: SQLite, which keeps footlog's database, is not safe "
            "there (a copy made while footlog writes, or two computers writing at once, can "
            "damage it). Keep the library on this computer's own disk, and carry it to "
            "another computer with footlog backup and restore.")


def synced_by(root: Path) -> str | None:
    """"in a folder that Dropbox synchronises" and the like, or None."""
    path = Path(root).resolve()
    for part in path.parts:
        key = part.casefold()
        name = SYNCED_FOLDERS.get(key) or next(
            (v for k, v in SYNCED_FOLDERS.items() if key.startswith(k + " - ")), None)
        if name is not None:
            return f"in a folder that {name} synchronises"
    for folder in (path, *path.parents):
        for marker, name in SYNC_MARKERS.items():
            try:
                if (folder / marker).exists():
                    return f"in a folder that {name} synchronises"
            except OSError:
                continue
    return None


def network_share(root: Path) -> str | None:
    """"on a network share (nfs)" and the like, or None (also when it cannot be told)."""
    if str(root).startswith(("\\\\", "//")):  # a Windows UNC path: \\server\share
        return "on a network share"
    path = str(Path(root).resolve())
    try:
        import psutil

        partitions = psutil.disk_partitions(all=True)
    except (ImportError, OSError, RuntimeError):
        return None
    here = Path(path)
    inside = [p for p in partitions if p.mountpoint and here.is_relative_to(p.mountpoint)]
    best = max(inside, key=lambda p: len(p.mountpoint), default=None)
    if best is None:
        return None
    if best.fstype.casefold() in NETWORK_FILESYSTEMS or "remote" in best.opts.split(","):
        return f"on a network share ({best.fstype or 'remote'})"
    return None
