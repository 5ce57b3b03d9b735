"""Count the starts of a version on trial, from outside the slots (kiosk.service ExecStartPre).

A version that dies before its core starts (at import, at its configuration) never runs the
updater (kiosk/updates.py), so its trial timer cannot roll it back. This file runs before
every start of the unit: deploy/install-kiosk.sh installs it outside the slots and the
system's python3 runs it in isolated mode, so it imports nothing of the application and
no bundle can break it. It counts the start in the one trial record the updater keeps
(`updates/state.json`: `trial.starts`, against the `trial.max_starts` written at the switch
from [updates] max_unconfirmed_starts). The start after the last one allowed moves the link
back to the previous slot and records the failure as the updater does (never taken again,
reported), and the unit starts the previous version. kiosk/updates.py uses the same state
writes, link move and failure record.

    python3 -I /usr/local/lib/kiosk/start_counter.py /opt/kiosk
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def record_rollback(state: dict[str, Any], why: str) -> None:
    """End the trial in `state` as failed: the version is never taken again, and reported."""
    trial = state["trial"]
    state["trial"] = None
    state["failed"].append(trial["version"])
    state["last_failure"] = (f"{trial['version']} rolled back to "
                             f"{trial['previous_version']}: {why}")[:500]


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Replace the state file so that a crash leaves the old or the new one whole."""
    temporary = path.with_name(f".{path.name}.new")
    with open(temporary, "wb") as handle:
        os.fchmod(handle.fileno(), 0o644)  # whatever the unit's umask
        handle.write(json.dumps(state, sort_keys=True).encode())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_directory(path.parent)


def point_link(root: Path, slot: str) -> None:
    """Move the `kiosk` link in one rename: a crash leaves the old or the new link, never
    none."""
    temporary = root / ".kiosk.link"
    if temporary.is_symlink():
        temporary.unlink()
    temporary.symlink_to(Path("slots") / slot)
    os.replace(temporary, root / "kiosk")
    _fsync_directory(root)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def count_start(root: Path) -> str | None:
    """Count this start of a version on trial; past its allowance, roll it back.

    Returns what was rolled back, or None (no trial, a trial whose switch never happened,
    or starts left)."""
    state_path = root / "updates" / "state.json"
    if not state_path.exists():  # installed by hand: confirmed
        return None
    state = json.loads(state_path.read_bytes())
    trial = state["trial"]
    if not trial or "max_starts" not in trial \
            or Path(os.readlink(root / "kiosk")).name != trial["slot"]:
        # no trial, one switched to before starts were counted, or the link never moved
        # (the updater switches again)
        return None
    trial["starts"] = trial.get("starts", 0) + 1
    if trial["starts"] <= trial["max_starts"]:
        write_state(state_path, state)
        return None
    record_rollback(state, f"started {trial['max_starts']} times without confirming")
    write_state(state_path, state)
    point_link(root, trial["previous_slot"])
    return state["last_failure"]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} INSTALL_ROOT (/opt/kiosk)", file=sys.stderr)
        return 2
    rolled_back = count_start(Path(argv[1]))
    if rolled_back:
        print(f"update {rolled_back}", file=sys.stderr)  # to the journal
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
