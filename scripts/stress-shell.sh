#!/usr/bin/env bash
# The setSource/GIL freeze stress run: the real shell built and torn down BUILDS times in
# one process (tests/ui/stress_shell.py). If no build finishes within STALL_S seconds the
# process is hung: py-spy (and gdb) print the native and Python stacks of every thread, then it is
# killed and the run fails. Usage: scripts/stress-shell.sh PYTHON [BUILDS] [taskset CPU list]
set -u
PY="$1"; BUILDS="${2:-300}"; CPUS="${3:-}"
STALL_S="${STALL_S:-60}"
cd "$(dirname "$0")/.."
beat="$(mktemp)"
trap 'rm -f "$beat"' EXIT
pin=()
if [ -n "$CPUS" ]; then pin=(taskset -c "$CPUS"); fi
QT_QPA_PLATFORM=offscreen PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" \
  "${pin[@]}" "$PY" tests/ui/stress_shell.py --builds "$BUILDS" --heartbeat "$beat" &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  sleep 5
  age=$(( $(date +%s) - $(stat -c %Y "$beat") ))
  if [ "$age" -gt "$STALL_S" ] && kill -0 "$pid" 2>/dev/null; then
    echo "stress-shell: hung after build $(cat "$beat" || echo 0) (no build in ${STALL_S}s); stacks:" >&2
    "$(dirname "$PY")/py-spy" dump --native --pid "$pid" >&2 \
      || echo "(py-spy could not read the stacks; it is in setup.py's test extra)" >&2
    if command -v gdb > /dev/null; then  # C stacks of every thread, whatever py-spy managed
      gdb -p "$pid" -batch -ex "thread apply all bt" >&2 2>&1 || true
    fi
    kill -KILL "$pid"
    wait "$pid"
    exit 1
  fi
done
wait "$pid"
