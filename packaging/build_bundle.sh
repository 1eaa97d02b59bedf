#!/usr/bin/env bash
# Build the one-folder application with PyInstaller in a fresh virtual environment pinned by
# packaging/constraints.txt, write the third-party licences into it, then run it once:
# --version and a headless self-check. Prints the bundle's size and start-up time.
#   bash packaging/build_bundle.sh            (from a clone of the repository)
#   bash packaging/build_bundle.sh --refresh  (re-resolve the newest allowed versions and
#                                              rewrite constraints.txt: test before committing)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=build/venv
rm -rf "$VENV" build/dist/footlog build/work
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q --upgrade pip
# pi-heif is pillow-heif's decode-only twin (same project, same API): HEIC without the
# GPL-licensed x265 encoder, so the bundle stays under permissive and LGPL licences.
TOOLS=(pyinstaller pyinstaller-hooks-contrib pip-licenses pi-heif)
if [ "${1:-}" = "--refresh" ]; then
  "$VENV/bin/pip" install -q . "${TOOLS[@]}"
else
  "$VENV/bin/pip" install -q -c packaging/constraints.txt . "${TOOLS[@]}"
fi
"$VENV/bin/pip" uninstall -q -y pillow-heif
if [ "${1:-}" = "--refresh" ]; then
  { echo "# The exact versions the desktop bundle is built with (bash packaging/build_bundle.sh)."
    echo "# Regenerate with --refresh, then run the tests and the self-check before committing."
    "$VENV/bin/pip" freeze --exclude footlog --exclude pip; } > packaging/constraints.txt
fi
"$VENV/bin/python" -m PyInstaller packaging/footlog.spec --noconfirm --distpath build/dist \
  --workpath build/work --log-level WARN
APP=build/dist/footlog/footlog
if [ "$(uname)" = Linux ]; then
  # Symbol tables are dead weight in a bundle (libpython alone: 23 MB, 6 MB stripped). The
  # libraries in a wheel's *.libs folder are left alone: auditwheel rewrote their headers,
  # and stripping them gives files the loader refuses. The self-check below loads them all.
  find build/dist/footlog/_internal -type f -name "*.so*" ! -path "*.libs/*" \
    -exec strip --strip-unneeded {} +
fi
LICENCES=build/dist/footlog/licences
"$VENV/bin/python" packaging/write_licences.py "$VENV" "$LICENCES"
echo "bundle size: $(du -sh build/dist/footlog | cut -f1)"
start=$(date +%s.%N)
"$APP" --version
end=$(date +%s.%N)
echo "start-up to --version: $(echo "$end - $start" | bc) s"
QT_QPA_PLATFORM=offscreen "$APP" self-check
# The windowed program (no console on Windows and macOS) is the same program.
QT_QPA_PLATFORM=offscreen build/dist/footlog/footlog-window self-check
