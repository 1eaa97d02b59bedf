#!/usr/bin/env bash
# Build the one-folder application with PyInstaller, then run it once: --version and a
# headless self-check. Prints the bundle's size and start-up time.
#   bash packaging/build_bundle.sh        (from the repository, after installing footlog)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m pip install -q "pyinstaller>=6.5"
rm -rf build/dist/footlog build/work
"$PY" -m PyInstaller packaging/footlog.spec --noconfirm --distpath build/dist --workpath build/work --log-level WARN
APP=build/dist/footlog/footlog
echo "bundle size: $(du -sh build/dist/footlog | cut -f1)"
start=$(date +%s.%N)
"$APP" --version
end=$(date +%s.%N)
echo "start-up to --version: $(echo "$end - $start" | bc) s"
QT_QPA_PLATFORM=offscreen "$APP" self-check
# The windowed program (no console on Windows and macOS) is the same program.
QT_QPA_PLATFORM=offscreen build/dist/footlog/footlog-window self-check
