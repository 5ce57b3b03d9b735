"""Soak: N citizen sessions through the real kiosk, headless, in one process, and what grew.

The demo's kiosk (every device simulated, the Qt Quick shell offscreen; the demo's district
server in a child process, `bench/soak_district.py`, as a real peer whose memory and threads
are not the kiosk's) walks the `apply_submit` scenario again and again; after every session a device
fails or is unplugged and recovers, and every other session the district's line is cut
while the queue syncs and restored. At the end the queue is drained and the district's rows
compared with the kiosk's: each application delivered exactly once.

    python bench/soak.py --sessions 20             # prints one JSON object
    python bench/soak.py --sessions 2000 --max-rss-slope 1024    # the long run, by hand

Figures: sessions completed, applications submitted / delivered once / lost / duplicated,
RSS (start, peak, end; the district's process's apart), descriptors and threads (start, end, after the warm-up sessions, and how many more after the last session than after
the warm-up, counted at the same point of each session), the threads by name (Python's, with
their numbers left out, and the native ones by their /proc comm) and those whose number
changed from session to session after the warm-up, the RSS slope in bytes per session (least
squares over the second half of the sessions, once the slow caches are full: `rss_warm_up`;
and over all but the first tenth, as the earlier runs in docs/benchmarks.md), each
session's wall seconds and the wall seconds by phase (each kind of scenario step, the idle
wipe, the device trouble, the network flap, the final drain); where the RSS slope goes: its anonymous, file-backed and shared parts, the
C heap's bytes in use and free but held (at the start, after the warm-up and at the end:
`malloc_in_use`, `malloc_free_held`) with their slopes, and that of Python's object blocks,
to tell live growth from memory the allocator holds or library pages touched late, and
SQLite's own memory in the kiosk's process (its connections' page caches, statements); the
anonymous memory by kind (`anonymous_by_kind`: the main C heap, Python's arenas, the QML
engine's JavaScript heap, the rest), and every figure's slope over the same sessions
(`slopes_per_session`: a bounded cache has filled by then, a leak still grows).
Exits 1 when a session failed, an application was lost, duplicated or left pending,
descriptors or threads grew after the warm-up (`grown`), or the RSS slope is above
`--max-rss-slope` (for long runs: over a few dozen sessions the slope is still mostly
warm-up and noise). The data directory, a temporary one unless `--data-dir` says, is removed
after a run that passed and kept after one that failed (its path is in the JSON and on
stderr: the kiosk's and the district's logs and databases).
"""
from __future__ import annotations

import argparse
import ctypes
import dataclasses
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from array import array
from collections import Counter, defaultdict
from contextlib import closing, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# the soak starts itself again with the kiosk unit's environment (its memory, its fonts)
from bench.kiosk_environment import reported, run_as_the_kiosk_runs  # noqa: E402

SCENARIO = "apply_submit"
#: between sessions, in turn: (device, failing action, recovering action)
DEVICE_TROUBLE = (("receipt_printer", "fail", "recover"), ("id_card_reader", "remove", "replug"),
                  ("code_scanner", "fail", "recover"))
#: clock seconds after which a visit has timed out and been wiped
IDLE_WIPE_S = 600.0
#: sessions after which every kind of trouble has happened once (each device's reopen, a
#: network flap) and what opens on first use is open: growth is counted from there
WARM_UP_SESSIONS = len(DEVICE_TROUBLE)


class Phases:
    """Wall seconds spent in each phase of the soak, summed over the sessions."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def timed(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started

    def rounded(self) -> dict[str, float]:
        return {name: round(value, 2) for name, value in self.seconds.items()}


#: the resident memory's parts in /proc/self/status: anonymous (heaps, Python's and the QML
#: engine's own mappings, stacks), file-backed (the libraries' pages touched so far), shared
RSS_PARTS = {"RssAnon": "anon", "RssFile": "file", "RssShmem": "shmem"}


def memory_status(process: str = "self") -> dict[str, int]:
    """The resident bytes (`rss`) and their parts (`RSS_PARTS`) of a process (a pid)."""
    figures = {}
    for line in Path(f"/proc/{process}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == "VmRSS" or name in RSS_PARTS:
            figures[RSS_PARTS.get(name, "rss")] = int(value.split()[0]) * 1024
    return figures


def rss_bytes() -> int:
    return memory_status().get("rss", 0)


#: Python's small-object allocator maps its arenas 1 MiB at a time (3.10 and later, 64-bit)
PYTHON_ARENA_BYTES = 1 << 20
#: the anonymous resident memory's kinds, from /proc/self/smaps, the bytes of each that
#: `bench/soak.py` follows session by session (what is not one of the first three is `other`)
ANONYMOUS_KINDS = ("main_c_heap", "python_arenas", "js_heap", "other")


def anonymous_by_kind() -> dict[str, int]:
    """The process's anonymous resident bytes by what holds them: the main C heap's
    (`[heap]`: glibc's main arena, SQLite's page caches, Qt's and Python's larger objects),
    Python's object arenas (unnamed maps of exactly `PYTHON_ARENA_BYTES`), the QML engine's
    JavaScript heap (`memfd:JSGCHeap`) and everything else (glibc's other arena, thread
    stacks, Qt's own maps): which of them a slope is in."""
    kinds = dict.fromkeys(ANONYMOUS_KINDS, 0)
    kind = "other"
    with open("/proc/self/smaps", encoding="ascii", errors="replace") as smaps:
        for line in smaps:
            if line[0] in "0123456789abcdef" and "-" in line.split(" ", 1)[0]:
                fields = line.split(None, 5)
                start, end = (int(bound, 16) for bound in fields[0].split("-"))
                name = fields[5].strip() if len(fields) > 5 else ""
                kind = ("main_c_heap" if name == "[heap]"
                        else "js_heap" if "JSGCHeap" in name
                        else "python_arenas" if not name and end - start == PYTHON_ARENA_BYTES
                        else "other")
            elif line.startswith("Anonymous:"):
                kinds[kind] += int(line.split()[1]) * 1024
    return kinds


class SessionFigures:
    """Figures taken after each session, one compact column each, made whole for every
    session at the start: the soak's own bookkeeping stays out of the slope it measures (its
    lists of dicts were ~0.4 KB a session, columns grown by appending ~0.15). A figure the
    system does not give (None) is kept as -1 and leaves its column out."""

    def __init__(self, sessions: int) -> None:
        self.sessions = sessions
        self.count = 0
        self.columns: dict[str, array] = {}
        self.unknown: set[str] = set()

    def add(self, figures: dict[str, int | None]) -> None:
        for name, value in figures.items():
            if value is None:
                self.unknown.add(name)
            column = self.columns.get(name)
            if column is None:
                column = self.columns[name] = array("q", bytes(8 * self.sessions))
            column[self.count] = -1 if value is None else value
        self.count += 1

    def __getitem__(self, name: str) -> array:
        return self.columns.get(name, array("q"))[:self.count]

    def known(self) -> list[str]:
        return [name for name in self.columns if name not in self.unknown]

    def slopes(self, first: int) -> dict[str, float]:
        """Each known figure's least-squares slope from session `first` (0-based) on."""
        return {name: round(slope(self[name][first:]), 1) for name in self.known()}


#: sqlite3_status64's SQLITE_STATUS_MEMORY_USED
SQLITE_STATUS_MEMORY_USED = 0


def _sqlite_library() -> ctypes.CDLL | None:
    """The libsqlite3 Python's sqlite3 module linked (found among the loaded mappings, so
    its counters are those of the kiosk's connections); None where it is built in."""
    for line in Path("/proc/self/maps").read_text().splitlines():
        path = line.split()[-1]
        if "libsqlite3" in path:
            library = ctypes.CDLL(path)
            library.sqlite3_status64.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_int64),
                                                 ctypes.POINTER(ctypes.c_int64), ctypes.c_int]
            return library
    return None


SQLITE = _sqlite_library()


def sqlite_memory_used() -> int | None:
    """Bytes SQLite holds in this process now (every connection's page cache, schemas and
    prepared statements; part of the C heap's in use), None where it does not say."""
    if SQLITE is None:
        return None
    used, highest = ctypes.c_int64(), ctypes.c_int64()
    if SQLITE.sqlite3_status64(SQLITE_STATUS_MEMORY_USED, ctypes.byref(used),
                               ctypes.byref(highest), 0) != 0:
        return None
    return used.value


def descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def threads() -> int:
    return threading.active_count()


def thread_names() -> Counter[str]:
    """The process's threads by name: Python's (numbers such as `Thread-12` left out, so
    one thread started again and again counts once) and native ones (Qt's) by their comm,
    the Python ones being `python` there, not counted twice."""
    names = Counter(re.sub(r"-\d+", "-N", thread.name) for thread in threading.enumerate())
    for task in Path("/proc/self/task").iterdir():
        try:
            comm = (task / "comm").read_text().strip()
        except OSError:   # ended meanwhile
            continue
        if comm != "python":
            names[f"native {comm}"] += 1
    return names


class ThreadNameRanges:
    """The fewest and most threads of each name after each session, folded in as they come
    (a Counter kept a session was ~0.4 KB a session of the soak's own, in the RSS slope)."""

    def __init__(self) -> None:
        self.ranges: dict[str, list[int]] = {}
        self.counted = 0

    def add(self, names: Counter[str]) -> None:
        for name in self.ranges.keys() | names.keys():
            count = names[name]
            fewest, most = self.ranges.get(name, [count if not self.counted else 0, count])
            self.ranges[name] = [min(fewest, count), max(most, count)]
        self.counted += 1

    def came_and_went(self) -> dict[str, list[int]]:
        """The names whose number changed between sessions: name -> [fewest, most]."""
        return {name: seen for name, seen in sorted(self.ranges.items()) if seen[0] != seen[1]}


def grown(counts: list[int]) -> int | None:
    """How many more descriptors or threads the kiosk holds after its sessions than after the
    warm-up: the fewest over the last half of the sessions after it, so that one held for a
    moment (a request's thread, a connection being replaced) is not taken for growth, while
    one kept each session (a leak) shows. None: too few sessions to tell."""
    settled = counts[WARM_UP_SESSIONS:]
    if not settled:
        return None
    return max(0, min(settled[len(settled) // 2:]) - counts[WARM_UP_SESSIONS - 1])


def open_files() -> dict[str, str]:
    """What each descriptor refers to (a path, a socket, a pipe), to name what grew."""
    opened = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            opened[fd] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:   # closed meanwhile (listdir's own descriptor, another thread's)
            pass
    return opened


def slope(values: list[int]) -> float:
    """Least-squares slope of `values` over their index."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    return num / sum((x - mean_x) ** 2 for x in range(n))


def between_citizens(app) -> None:
    """What the kiosk's main loop does while it waits for the next citizen: deletes the objects
    left to `deleteLater` (the screens a visit closed). Qt deletes one when control returns
    to the event loop it was asked from, or, asked outside any loop, once the main loop
    starts; the soak never starts one (it drives the shell with `processEvents` and the
    scenario runner's nested loops), so without this what a visit closed outside those was
    never deleted: ~400 KB a visit that went Home from the catalogue, none of it the kiosk's
    (which runs `exec()`)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def server_rows(district_db: Path, kiosk_id: str) -> list[tuple[str, int]]:
    with closing(sqlite3.connect(district_db)) as db:
        return db.execute("SELECT submission_id, kiosk_seq FROM submissions "
                          "WHERE kiosk_id = ? AND kind = 'submission'", (kiosk_id,)).fetchall()


def flap_network(demo) -> None:
    """Cut the district's line for one sync pass (the session's application is then sent,
    or retried, across the cut), then restore it."""
    worker = demo.core.queue.worker
    demo.set_network_cut(True)
    worker.cycle_done.clear()
    worker.wake()
    worker.cycle_done.wait(120)
    demo.set_network_cut(False)


def drain(core, limit_cycles: int = 50) -> int:
    """Sync until nothing is pending (or `limit_cycles` passes); returns what is left."""
    worker = core.queue.worker
    for _ in range(limit_cycles):
        if core.queue.outbox.counts().pending == 0:
            break
        worker.cycle_done.clear()
        worker.wake()
        worker.cycle_done.wait(120)
    return core.queue.outbox.counts().pending


def soak(sessions: int, data_dir: Path, face_challenges: int | None = None,
         progress: bool = False, trace: tuple[int, int] | None = None) -> dict:
    from foundation.clock import TestClock
    from kiosk.config import load_config
    from kiosk.logging_setup import configure_logging
    from kiosk.native_heap import heap_figures
    from kiosk.scenario import load_scenario
    from ui.app import ShellApp, application
    from ui.scenario_runner import ScenarioRunner, StepFailed
    from ui.tidy_after_visit import freeze_start_up

    configure_logging(data_dir / "logs")
    scenario = load_scenario(ROOT / "config" / "scenarios" / f"{SCENARIO}.yaml")
    loaded = load_config(None)
    config = scenario.configure(loaded.config)
    if face_challenges is not None:
        config = config.model_copy(update={"face": config.face.model_copy(
            update={"challenges": face_challenges})})
    loaded = dataclasses.replace(loaded, config=config)
    clock = TestClock()
    demo = demo_with_district_peer(loaded, data_dir, clock)
    demo.start()
    demo.wait_synced()
    app = application(["soak"], headless=True)
    demo.core.wait_settled()
    shell = ShellApp(loaded.config, core=demo.core, speech_engine="mock")
    shell.show(windowed=True)
    runner = ScenarioRunner.for_demo(shell, demo)
    freeze_start_up()   # as the kiosk does once its core runs (ui.launch.run_kiosk)
    phases = Phases()
    run_step = runner._run_step

    def timed_step(step) -> None:   # each scenario step's wall time, by kind
        kind = f"step {step.op}" + (f" {step.device}" if step.op == "device" else "")
        with phases.timed(kind):
            run_step(step)
    runner._run_step = timed_step
    app.processEvents()
    start = {"rss": rss_bytes(), "fds": descriptors(), "threads": threads()}
    peak, completed, failures = start["rss"], 0, []
    heap_start, sqlite_start = heap_figures(), sqlite_memory_used()
    figures = SessionFigures(sessions)
    district_start = memory_status(str(demo.server.pid))
    session_seconds = array("d", bytes(8 * sessions))   # whole at the start, as the figures
    warm = last = {**start, "open": open_files()}
    names_after_warm_up = ThreadNameRanges()
    names_start = thread_names()
    traced = PythonGrowth(*trace) if trace else None
    try:
        for number in range(sessions):
            session_started = time.perf_counter()
            try:
                with phases.timed("scenario"):
                    runner.run(scenario)
                completed += 1
            except StepFailed as failure:
                failures.append(f"session {number} ({scenario.name}): {failure}")
                demo.set_network_cut(False)
            # the citizen leaves; the visit times out (and the language or text size they
            # chose goes with it) before the next citizen comes
            with phases.timed("idle wipe"):
                for _ in range(int(IDLE_WIPE_S // 10)):   # the shell's timers run on the Qt thread
                    clock.advance(10)
                    app.processEvents()
            if number % 2:
                with phases.timed("network flap"):
                    flap_network(demo)
            name, fail, recover = DEVICE_TROUBLE[number % len(DEVICE_TROUBLE)]
            device = demo.core.devices[name]
            with phases.timed("device trouble"):
                device.simulate(fail)
                device.simulate(recover)
                # queued behind the reopen on the device's worker: done once it is back
                device.submit("soak: back", lambda _token: None, timeout=None,
                              internal=True).result(60)
                app.processEvents()
            between_citizens(app)
            session_seconds[number] = time.perf_counter() - session_started
            # counted at the same point of every session (the end's drain and the district's
            # own connections would count otherwise)
            last = {"fds": descriptors(), "threads": threads(),
                    "open": open_files()}
            if number + 1 == WARM_UP_SESSIONS:
                warm = last   # what opened after it is named (`opened_after_warm_up`)
            if number + 1 >= WARM_UP_SESSIONS:
                names_after_warm_up.add(thread_names())
            heap = heap_figures()
            session = {**memory_status(), **anonymous_by_kind(),
                       "in_use": heap and heap.in_use, "free_held": heap and heap.free_held,
                       "python_blocks": sys.getallocatedblocks(),
                       "sqlite": sqlite_memory_used(),
                       "fds": last["fds"], "threads": last["threads"]}
            figures.add(session)
            peak = max(peak, session["rss"])
            if trace:
                traced.after_session(number + 1)
            if progress:   # a long run's figures so far, should it be stopped
                print(json.dumps({"session": number + 1,
                                  "seconds": round(session_seconds[number], 2),
                                  "completed": completed, **session}),
                      file=sys.stderr, flush=True)
        with phases.timed("drain"):
            left = drain(demo.core)
        kiosk_id = demo.core.queue.identity.kiosk_id
        local = sum(1 for item in demo.core.queue.outbox.iter_items(None, kiosk_id)
                    if item.kind == "submission")
        rows = server_rows(data_dir / "district" / "district.db", kiosk_id)
        end = {"rss": rss_bytes(), "fds": descriptors(), "threads": threads(),
               "open": open_files()}
        names_end = thread_names()
        district_end = memory_status(str(demo.server.pid))
    finally:
        shell.close()
        demo.stop()
    warm_up = rss_warm_up(sessions)
    return {
        "sessions": sessions, "sessions_completed": completed,
        "sessions_failed": len(failures), "first_failures": failures[:10],
        "submitted": local, "delivered_once": len({sid for sid, _ in rows}),
        "lost": max(0, local - len(rows)), "pending_after_drain": left,
        "duplicated": (len(rows) - len({sid for sid, _ in rows}))
        + (len(rows) - len({seq for _, seq in rows})),
        "rss_start": start["rss"], "rss_peak": peak, "rss_end": end["rss"],
        "fds_start": start["fds"], "fds_end": end["fds"],
        "threads_start": start["threads"], "threads_end": end["threads"],
        f"fds_after_{WARM_UP_SESSIONS}": warm["fds"],
        f"threads_after_{WARM_UP_SESSIONS}": warm["threads"],
        # None: too few sessions to tell warming up from growing
        "fds_grown": grown(figures["fds"]), "threads_grown": grown(figures["threads"]),
        "fds_by_session": list(figures["fds"]), "threads_by_session": list(figures["threads"]),
        "opened_after_warm_up": sorted((Counter(last["open"].values())
                                        - Counter(warm["open"].values())).elements()),
        "thread_names_start": dict(sorted(names_start.items())),
        "thread_names_end": dict(sorted(names_end.items())),
        # counted after each session from the warm-up on: name -> [fewest, most]
        "threads_that_came_and_went": names_after_warm_up.came_and_went(),
        "rss_after_warm_up": figures["rss"][warm_up - 1] if warm_up else None,
        "rss_slope_sessions": f"{warm_up + 1}-{sessions}",
        "rss_slope_bytes_per_session": round(slope(figures["rss"][warm_up:]), 1),
        **{f"rss_{part}_slope_bytes_per_session": round(slope(figures[part][warm_up:]), 1)
           for part in RSS_PARTS.values()},
        # with the slow caches' filling in it
        "rss_slope_from_the_first_tenth": {
            "sessions": f"{early_warm_up(sessions) + 1}-{sessions}",
            "bytes_per_session": round(slope(figures["rss"][early_warm_up(sessions):]), 1)},
        **heap_growth(heap_start, figures, warm_up),
        **sqlite_growth(sqlite_start, figures, warm_up),
        # every figure's slope (bytes, blocks or counts a session) over the same sessions
        "slopes_per_session": figures.slopes(warm_up),
        # the district's process (not the kiosk's): for scale only
        "district_rss_start": district_start.get("rss"),
        "district_rss_end": district_end.get("rss"),
        "environment": reported(os.environ),
        "wall_seconds_by_phase": phases.rounded(),
        "session_seconds": [round(seconds, 2) for seconds in session_seconds[:figures.count]],
    }


class PythonGrowth:
    """tracemalloc snapshots after two sessions (cyclic garbage collected first); the call
    paths whose allocations grew most between them go to stderr (slow: for finding what
    grows, never with the RSS figures)."""

    def __init__(self, first: int, last: int, paths: int = 25, frames: int = 10) -> None:
        import tracemalloc
        self.tracemalloc, self.first, self.last = tracemalloc, first, last
        self.paths, self.frames = paths, frames
        self.snapshot = None
        tracemalloc.start(frames)

    def take(self):
        import gc
        gc.collect()
        return self.tracemalloc.take_snapshot()

    def after_session(self, number: int) -> None:
        if number == self.first:
            self.snapshot = self.take()
        elif number == self.last and self.snapshot is not None:
            growth = self.take().compare_to(self.snapshot, "traceback")
            print(f"python allocations grown from session {self.first} to {self.last}: "
                  f"{sum(stat.size_diff for stat in growth)} bytes", file=sys.stderr)
            for stat in growth[:self.paths]:
                print(f"{stat.size_diff:+} bytes, {stat.count_diff:+} blocks", file=sys.stderr)
                print("\n".join(stat.traceback.format(most_recent_first=True)),
                      file=sys.stderr)
            self.tracemalloc.stop()


def heap_growth(start, figures: SessionFigures, warm_up: int) -> dict:
    """Where the RSS went, over the same sessions as its slope: the C heap's bytes in use
    (live: Python's large objects, Qt's, the libraries') and free but held by the allocator
    (fragmentation, arenas), and Python's own object blocks (its small-object allocator maps
    its own pages, outside the C heap). No heap figures where the allocator gives none."""
    blocks = {"python_blocks_slope_per_session":
              round(slope(figures["python_blocks"][warm_up:]), 1)}
    if start is None or "in_use" not in figures.known():
        return blocks
    in_use, free_held = figures["in_use"], figures["free_held"]
    return {
        "malloc_in_use": [start.in_use, in_use[warm_up - 1] if warm_up else start.in_use,
                          in_use[-1]],
        "malloc_free_held": [start.free_held,
                             free_held[warm_up - 1] if warm_up else start.free_held,
                             free_held[-1]],
        "malloc_in_use_slope_bytes_per_session": round(slope(in_use[warm_up:]), 1),
        "malloc_free_held_slope_bytes_per_session": round(slope(free_held[warm_up:]), 1),
        **blocks,
    }


def sqlite_growth(start: int | None, figures: SessionFigures, warm_up: int) -> dict:
    """SQLite's memory in the kiosk's process at the start, after the warm-up and at the
    end, and its slope over the RSS slope's sessions (nothing where SQLite does not say)."""
    if start is None or "sqlite" not in figures.known():
        return {}
    used = figures["sqlite"]
    return {"sqlite_memory": [start, used[warm_up - 1] if warm_up else start, used[-1]],
            "sqlite_memory_slope_bytes_per_session": round(slope(used[warm_up:]), 1)}


def demo_with_district_peer(loaded, data_dir: Path, clock):
    """The demo (launcher.demo.Demo) as `Demo.create` makes it, its district server a peer
    in a child process (`bench/soak_district.py`) instead of a thread of this one."""
    from launcher.demo import Demo, require_simulated

    from bench.soak_district import DistrictPeer
    require_simulated(loaded)
    server = DistrictPeer(data_dir / "district")
    try:
        return Demo.on_server(loaded, data_dir, server, clock=clock)
    except BaseException:
        server.stop()
        raise


def rss_warm_up(sessions: int) -> int:
    """Sessions left out of the RSS slope: the first half (at least `WARM_UP_SESSIONS`), in
    which each trouble happens first and caches fill that are bounded but slow to fill:
    SQLite's page caches (~1.7 MB) fill for ~1,000 sessions, as the databases they cache
    grow with each application. A leak grows in the second half as in the first."""
    return _first_part(sessions, 2)


def early_warm_up(sessions: int) -> int:
    """The first tenth (at least `WARM_UP_SESSIONS`): the RSS slope's warm-up in the earlier
    runs of docs/benchmarks.md, kept for comparison with them."""
    return _first_part(sessions, 10)


def _first_part(sessions: int, parts: int) -> int:
    """The first 1/`parts` of the sessions, at least `WARM_UP_SESSIONS`, never all of them."""
    return min(sessions - 1, max(WARM_UP_SESSIONS, sessions // parts)) if sessions else 0


def passed(result: dict, max_rss_slope: float | None) -> bool:
    return result["sessions_completed"] == result["sessions"] and not result["lost"] \
        and not result["duplicated"] and not result["pending_after_drain"] \
        and not result["fds_grown"] and not result["threads_grown"] \
        and (max_rss_slope is None or result["rss_slope_bytes_per_session"] <= max_rss_slope)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10,
                        help="citizen sessions (default 10, ~10 s each on 2 busy cores)")
    parser.add_argument("--data-dir", type=Path,
                        help="default: a new temporary directory, removed when the run passed")
    parser.add_argument("--face-challenges", type=int, choices=range(1, 5), metavar="1-4",
                        help="liveness challenges in each face check (default: the "
                        "configuration's, 3); each takes about 20 frames the face child "
                        "analyses, most of a session's time")
    parser.add_argument("--max-rss-slope", type=float, metavar="BYTES",
                        help="fail when RSS grows by more than this a session after the "
                        "warm-up (for long runs; default: not checked)")
    parser.add_argument("--progress", action="store_true",
                        help="a JSON line on stderr after each session (long runs)")
    parser.add_argument("--trace-python", type=int, nargs=2, metavar=("FIRST", "LAST"),
                        help="tracemalloc: print on stderr the source lines whose Python "
                        "allocations grew most from session FIRST to LAST (slows the run "
                        "and inflates its RSS figures)")
    args = parser.parse_args(argv)
    run_as_the_kiosk_runs()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    try:
        result = {"data_dir": str(data_dir),
                  **soak(args.sessions, data_dir, face_challenges=args.face_challenges,
                          progress=args.progress, trace=args.trace_python)}
    except BaseException:
        print(f"soak stopped; its data directory is kept: {data_dir}", file=sys.stderr)
        raise
    print(json.dumps(result))
    if not passed(result, args.max_rss_slope):
        print(f"soak failed; its data directory is kept: {data_dir}", file=sys.stderr)
        return 1
    if args.data_dir is None:
        shutil.rmtree(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
