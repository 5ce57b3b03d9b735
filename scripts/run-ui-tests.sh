#!/usr/bin/env bash
# Runs the Qt Quick tests (tests/ui) in their own pytest process under a hard time limit.
#
# Known defect, not yet fixed (docs/known-issues.md; scripts/stress-shell.sh hunts it):
# rarely, QQuickView.setSource blocks while holding the GIL and a Qt thread waits for the
# GIL to call into Python; the process then hangs with every Python thread (pytest-timeout's
# watchdog included) unable to run. A hung run is killed at
# the limit and run once more, saying so, so that the deadlock is visible in the output
# instead of eating CI's 90 minutes. A test failure is never retried.
set -u
PY="$1"; shift
LIMIT_S=2400
for attempt in 1 2; do
  timeout -s KILL "$LIMIT_S" "$PY" -m pytest -q tests/ui "$@"
  rc=$?
  if [ "$rc" -ne 137 ]; then exit "$rc"; fi
  echo "tests/ui hung (killed after ${LIMIT_S}s, attempt $attempt): the known setSource/GIL deadlock" >&2
done
exit 1
