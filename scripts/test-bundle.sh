#!/usr/bin/env bash
# Builds the one-folder bundle (kiosk.spec) and runs it the way a kiosk would: copied to a
# temporary folder, with the source tree and the virtualenv hidden (a private mount
# namespace lays an empty tmpfs over each; root only, as in CI), a clean environment, the
# working directory elsewhere and no PYTHONPATH. Checks `kiosk --version`,
# `kiosk doctor --json`, and the headless smoke and apply_submit demo scenarios.
# Usage: scripts/test-bundle.sh PYTHON   (PyInstaller from setup.py's `bundle` extra)
set -euo pipefail
PY="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$(cd "$(dirname "$PY")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "bundle: building (pyinstaller kiosk.spec)"
"$VENV/bin/pyinstaller" --noconfirm --log-level WARN --workpath "$WORK/build" \
  --distpath "$WORK/dist" "$ROOT/kiosk.spec"
mkdir -p "$WORK/run/home" "$WORK/run/cwd"
mv "$WORK/dist/kiosk" "$WORK/run/kiosk"  # a kiosk runs it from its own folder
rm -rf "$WORK/build" "$WORK/dist"
cp "$ROOT/config/scenarios/smoke.yaml" "$ROOT/config/scenarios/apply_submit.yaml" "$WORK/run/"

# Runs as a new process in its own mount namespace; $ROOT and $VENV look empty inside.
cat > "$WORK/run/check.sh" <<'EOF'
set -euo pipefail
for hidden in "$@"; do mount -t tmpfs -o ro bundle-test "$hidden"; done
cd "$RUN/cwd"
if [ -e "$1/setup.py" ]; then echo "the source tree is still visible" >&2; exit 1; fi
kiosk="$RUN/kiosk/kiosk"
data="$RUN/data"
"$kiosk" --version
"$kiosk" --data-dir "$data" doctor --json > "$RUN/doctor.json"
python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); sys.exit(0 if r["ok"] else 1)' \
  "$RUN/doctor.json" || { echo "doctor --json: not ok" >&2; cat "$RUN/doctor.json" >&2; exit 1; }
echo "doctor --json: ok"
for scenario in smoke apply_submit; do
  "$kiosk" --data-dir "$data/$scenario" demo --headless --scenario "$RUN/$scenario.yaml" \
    --screenshots "$RUN/shots/$scenario"
  ls "$RUN/shots/$scenario"/*.png > /dev/null
  echo "demo --headless --scenario $scenario: ok"
done
EOF
hide=("$ROOT")
case "$VENV" in "$ROOT"/*) ;; *) hide+=("$VENV") ;; esac
env -i HOME="$WORK/run/home" PATH=/usr/bin:/bin LANG=C.UTF-8 RUN="$WORK/run" \
  QT_QPA_PLATFORM=offscreen \
  unshare --mount --propagation private bash "$WORK/run/check.sh" "${hide[@]}"
echo "bundle: every check passed ($(du -sh "$WORK/run/kiosk" | cut -f1))"
