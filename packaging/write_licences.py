"""Write the licences of everything the desktop bundle contains into its `licences/` folder.

    python packaging/write_licences.py VENV OUT_DIR     (build_bundle.sh runs it)

- `python-packages.txt`: every Python distribution in the build environment with its
  version and licence, and the full text of its licence files (by pip-licenses).
- `<distribution>/`: each distribution's own licence files as its wheel ships them, which
  include the licences of the native libraries bundled in the wheel (OpenBLAS, FFmpeg,
  libde265, libheif, Qt ...).
- `system-libraries.txt`: the system libraries PyInstaller copied from the build machine,
  each with its Debian package and that package's copyright file, when the build machine is
  Debian-like (elsewhere it lists the libraries only).

Run it with the build environment's own Python, so the distributions read are the bundle's.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

# What only builds the bundle, and is not in it.
BUILD_TOOLS = {"pyinstaller", "pyinstaller-hooks-contrib", "pip-licenses", "pip", "altgraph",
               "setuptools", "wheel", "prettytable", "wcwidth", "tomli"}


def python_packages(venv: Path, out: Path) -> None:
    tool = venv / "bin" / "pip-licenses"
    ignore = sorted(BUILD_TOOLS)
    text = subprocess.run(
        [str(tool), "--from=mixed", "--with-license-file", "--with-notice-file",
         "--no-license-path", "--format=plain-vertical", "--ignore-packages", *ignore],
        check=True, capture_output=True, text=True,
    ).stdout
    summary = subprocess.run(
        [str(tool), "--from=mixed", "--order=license", "--ignore-packages", *ignore],
        check=True, capture_output=True, text=True,
    ).stdout
    (out / "python-packages.txt").write_text(
        "Python packages in this bundle, by licence:\n\n" + summary
        + "\n\nFull licence texts:\n\n" + text, encoding="utf-8")


def distribution_files(out: Path) -> int:
    """Copy each distribution's licence files (`License-File` metadata, or files under
    `licenses/` in its dist-info). Returns how many files were copied."""
    copied = 0
    for dist in metadata.distributions():
        name = dist.metadata["Name"] or "unknown"
        if name.lower() in BUILD_TOOLS:
            continue
        for file in dist.files or []:
            parts = [p.lower() for p in file.parts]
            if not any(p in ("licenses", "licences") or p.startswith(("license", "licence",
                       "copying", "notice")) for p in parts[-2:]):
                continue
            if not parts[0].endswith(".dist-info"):
                continue
            source = Path(str(dist.locate_file(file)))
            if source.is_file():
                target = out / name / Path(*file.parts[1:])
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                copied += 1
    return copied


def system_libraries(bundle: Path, out: Path) -> None:
    """The shared libraries that came from the build machine rather than from a wheel."""
    lines = []
    internal = bundle / "_internal"
    for lib in sorted(internal.glob("lib*.so*")):
        if lib.is_symlink():
            continue
        package, copyright_text = _debian_package(lib.name)
        lines.append(f"== {lib.name}: {package or 'package unknown'}")
        if copyright_text:
            lines.append(copyright_text)
    (out / "system-libraries.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _debian_package(name: str) -> tuple[str | None, str | None]:
    if shutil.which("dpkg") is None:
        return None, None
    found = subprocess.run(["dpkg", "-S", f"*/{name}"], capture_output=True, text=True)
    if found.returncode != 0 or not found.stdout:
        return None, None  # a wheel's own library (listed with its distribution)
    package = found.stdout.split(":", 1)[0].strip()
    doc = Path("/usr/share/doc") / package / "copyright"
    return package, doc.read_text(encoding="utf-8", errors="replace") if doc.exists() else None


# Packages whose wheels name their licence without shipping its text: Qt for Python
# (PySide6, shiboken6) is LGPL-3.0, which is the GPL-3.0 plus its additional permissions.
WITHOUT_TEXT = {"PySide6_Essentials": ("LGPL-3", "GPL-3"), "shiboken6": ("LGPL-3", "GPL-3")}
COMMON_LICENCES = Path("/usr/share/common-licenses")  # Debian's copies of the texts


def standard_texts(out: Path) -> None:
    """The licence texts that some packages name but do not ship."""
    for package, texts in WITHOUT_TEXT.items():
        target = out / package
        target.mkdir(parents=True, exist_ok=True)
        for text in texts:
            source = COMMON_LICENCES / text
            if source.exists():
                shutil.copyfile(source, target / f"{text}.txt")
            else:
                (target / f"{text}.txt").write_text(
                    f"{package} is licensed under the {text}: "
                    f"https://www.gnu.org/licenses/{text.lower()}.0.txt\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("venv", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    python_packages(args.venv, args.out)
    copied = distribution_files(args.out)
    standard_texts(args.out)
    system_libraries(args.out.parent, args.out)
    shutil.copyfile(Path(__file__).parent.parent / "LICENSE", args.out / "footlog-LICENSE.txt")
    print(f"licences written to {args.out} ({copied} files from the Python distributions)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
