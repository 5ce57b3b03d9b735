#!/usr/bin/env bash
# Starts the services the tests use (each script in scripts/services/ is idempotent and
# prints why when it cannot start its service; the tests then skip, or fail under CI=true).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
for script in "$here"/services/*.sh; do
  [ -e "$script" ] || continue
  bash "$script" || echo "warning: $(basename "$script") could not start its service" >&2
done
exit 0
