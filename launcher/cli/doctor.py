"""`kiosk doctor [--json]`: is this kiosk fit to serve citizens?

Lists every configured device (role, backend, status, reason), which journeys are
offered, degraded or down and why, whether Qt can open the kiosk's window (the system
libraries its platform plugin needs), the offline queue, the server's reachability and
clock offset, and the district's desired state (catalogue in use, what was refused).
Exit 0 only when every role an enabled journey uses is usable, Qt can open the window, no
virtual PC/SC reader is present outside the simulator and nothing of the desired state was
refused; otherwise 1, naming the problem.

`--simulate DEVICE:ACTION[:KEY=VALUE,...]` (repeatable) and `--scenario FILE` apply
simulator actions first, so the checks themselves can be tested ("set the simulated
printer offline, doctor must fail").
"""
from __future__ import annotations

import json
import sys
from typing import Any

from launcher.cli import EXIT_DATA, EXIT_FAILED, EXIT_OK, EXIT_USAGE


def register(subparsers) -> None:
    parser = subparsers.add_parser("doctor", help="check devices, journeys, queue and server",
                                   description=__doc__.split("\n\n")[1])
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--simulate", action="append", default=[], metavar="DEVICE:ACTION",
                        help="apply a simulator action first, e.g. receipt_printer:offline or "
                             "receipt_printer:paper:level=out (repeatable)")
    parser.add_argument("--scenario", metavar="FILE",
                        help="apply the device steps of a scenario first")
    parser.add_argument("--settle-timeout", type=float, default=20.0, metavar="S",
                        help="how long to wait for devices to finish starting (default 20)")
    parser.set_defaults(func=run)


class UsageProblem(ValueError):
    pass


def parse_simulate(text: str) -> tuple[str, str, dict[str, Any]]:
    device, _, rest = text.partition(":")
    action, _, raw_args = rest.partition(":")
    if not device or not action:
        raise UsageProblem(f"--simulate {text!r}: use DEVICE:ACTION[:KEY=VALUE,...]")
    args: dict[str, Any] = {}
    for pair in filter(None, raw_args.split(",")):
        key, eq, value = pair.partition("=")
        if not eq:
            raise UsageProblem(f"--simulate {text!r}: argument {pair!r} is not KEY=VALUE")
        args[key] = _value(value)
    return device, action, args


def _value(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def run(args, ctx) -> int:
    from devices.simulator import SimulatorError
    from kiosk.app import KioskCore
    from kiosk.scenario import DeviceAction, ScenarioError, load_scenario, run_device_step

    try:
        actions = [DeviceAction(device=d, action=a, args=kw)
                   for d, a, kw in map(parse_simulate, args.simulate)]
    except UsageProblem as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    if args.scenario:
        try:
            scenario = load_scenario(args.scenario)
        except ScenarioError as error:
            print(error, file=sys.stderr)
            return EXIT_DATA
        actions += [s for s in scenario.steps if isinstance(s, DeviceAction)]

    loaded = ctx.config
    core = KioskCore.create(loaded, ctx.data_dir, clock=ctx.clock)
    core.start()
    try:
        settle(core, args.settle_timeout)
        for action in actions:
            try:
                run_device_step(action, core.devices, core.clock)
            except (ScenarioError, SimulatorError) as error:
                print(f"doctor: {error}", file=sys.stderr)
                return EXIT_USAGE
        if actions:
            settle(core, args.settle_timeout)
        report = build_report(core, loaded)
    finally:
        core.stop()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render(report))
    return EXIT_OK if report["ok"] else EXIT_FAILED


def settle(core, timeout_s: float) -> None:
    """Wait until devices have started and finished what simulator actions queued."""
    core.wait_settled(timeout_s)
    for _ in range(2):  # an action's follow-up (a status poll) may queue one more command
        commands = [device.submit("doctor: sync", lambda token: None, timeout=None,
                                  internal=True) for device in core.devices.devices.values()]
        for command in commands:
            try:
                command.result(timeout_s)
            except TimeoutError:
                pass


#: how long the face child process may take to load its models
FACE_READY_TIMEOUT_S = 60.0


def build_report(core, loaded) -> dict[str, Any]:
    from devices.id_reader.security import virtual_reader_finding
    from kiosk.availability import JOURNEY_REQUIREMENTS
    from ui import platform_libraries

    config = core.config  # with the district's desired-state keys applied
    journeys = list(config.kiosk.journeys)
    availability = core.availability()
    roles_of = {name: [r for r, names in config.roles.items() if name in names]
                for name in core.devices.devices}
    devices = []
    for name, device in core.devices.devices.items():
        status = device.status
        devices.append({"name": name, "kind": device.kind, "roles": roles_of[name],
                        "backend": status.identity.backend or device.backend,
                        "status": str(status.availability), "usable": status.usable,
                        "reason": status.reason,
                        "units": {k: str(v) for k, v in status.units.items()}})
    used_roles = {role for j in journeys for role in (*JOURNEY_REQUIREMENTS[j].required,
                                                       *JOURNEY_REQUIREMENTS[j].degrades)}
    problems = []
    for role in sorted(used_roles):
        state = core.devices.role_state(role)
        if not state.usable:
            affected = [j for j in journeys if role in JOURNEY_REQUIREMENTS[j].required
                        or role in JOURNEY_REQUIREMENTS[j].degrades]
            problems.append({"role": role, "reason": state.reason, "journeys": affected})
    face = face_report(core, FACE_READY_TIMEOUT_S)
    if not face["usable"]:
        problems.append({"role": "face_pipeline", "reason": face["reason"],
                         "journeys": [j for j in journeys if "face_camera" in
                                      JOURNEY_REQUIREMENTS[j].degrades
                                      or "face_camera" in JOURNEY_REQUIREMENTS[j].required]})
    display = platform_libraries.check()
    if not display.usable:
        problems.append({"role": "display", "reason": display.reason, "journeys": journeys})
    virtual = virtual_reader_finding(d.backend for d in loaded.devices
                                     if d.enabled and d.kind == "id_reader")
    if virtual:
        problems.append({"role": "id_reader", "reason": virtual, "journeys": []})
    for key, reason in core.refused().items():
        problems.append({"role": f"desired state {key}", "reason": f"refused: {reason}",
                         "journeys": []})
    service = core.service.snapshot()
    for source, reason in service.stops.items():
        problems.append({"role": f"service stop {source}", "reason": reason,
                         "journeys": [j for j, a in availability.items() if not a.available]})
    queue = queue_report(core)
    if queue.get("signing_key_exposed"):
        problems.append({"role": "signing_key", "reason": queue["signing_key_exposed"],
                         "journeys": []})
    return {
        "kiosk": config.kiosk.id,
        "ok": not problems,
        "problems": problems,
        "devices": devices,
        "service": service.as_dict(),
        "journeys": {j: {"available": a.available, "reasons": list(a.reasons),
                         "degraded": list(a.degraded)} for j, a in availability.items()},
        "face_pipeline": face,
        "display": {"platform": display.platform, "usable": display.usable,
                    "missing": list(display.missing), "reason": display.reason},
        "queue": queue,
        "server": server_report(core),
        "desired_state": desired_state_report(core),
    }


def desired_state_report(core) -> dict[str, Any]:
    """The district's desired state as applied here: its version, the catalogue in use
    (bundled until the district's is applied) and what was refused."""
    current = core.queue.desired.current() if core.queue is not None else None
    edition = core.catalogue.edition()
    return {"version": current.version if current else None,
            "catalogue_version": edition.version, "catalogue_origin": edition.origin,
            "refused": core.refused()}


def face_report(core, timeout_s: float) -> dict[str, Any]:
    """Whether the face pipeline's child process loaded its models."""
    if core.face is None:
        return {"usable": False, "reason": "the face service is not part of this kiosk"}
    try:
        core.face.start().ready.result(timeout_s)
    except Exception as error:  # any failure is the finding being reported
        return {"usable": False, "reason": f"{type(error).__name__}: {error}"}
    return {"usable": True, "reason": ""}


def queue_report(core) -> dict[str, Any]:
    from offline_queue.errors import StorageUnavailable
    from offline_queue.identity import signing_key_exposure
    if core.queue is None:
        return {"usable": False, "error": "no offline queue"}
    try:
        status = core.queue.status().as_dict()
    except StorageUnavailable as error:
        return {"usable": False, "error": str(error)}
    status["usable"] = True
    status["enrolled"] = core.queue.worker is not None
    status["signing_key_exposed"] = signing_key_exposure(core.queue.outbox.directory)
    return status


def server_report(core) -> dict[str, Any]:
    url = core.config.server.url
    worker = core.queue.worker if core.queue is not None else None
    if worker is None:
        note = ("not enrolled: run `kiosk enroll --server URL --token TOKEN`" if url else
                "no server configured: the kiosk works offline (kiosk demo embeds one)")
        return {"url": url, "reachable": None, "note": note}
    try:
        worker.probe()
    except Exception as error:  # any failure is the finding being reported
        return {"url": worker.transport.base_url, "reachable": False,
                "note": f"{type(error).__name__}: {error}"}
    offset = worker.transport.clock_offset_s
    return {"url": worker.transport.base_url, "reachable": True,
            "clock_offset_s": None if offset is None else round(offset, 1)}


def render(report: dict[str, Any]) -> str:
    lines = [f"kiosk {report['kiosk']}: {'OK' if report['ok'] else 'NOT READY'}", "",
             "devices:"]
    for d in report["devices"]:
        units = ", ".join(f"{k}={v}" for k, v in d["units"].items())
        lines.append(f"  {d['name']:<18} {d['kind']:<12} {','.join(d['roles']) or '-':<18} "
                     f"{d['backend']:<11} {d['status']:<14} {d['reason']}"
                     + (f" [{units}]" if units else ""))
    service = report["service"]
    lines += ["", "service: " + service["mode"].replace("_", " ")
              + "".join(f"; {source} stop: {reason}"
                        for source, reason in service["stops"].items())]
    lines += ["", "journeys:"]
    for name, j in report["journeys"].items():
        state = "offered" if j["available"] else "NOT OFFERED"
        detail = "; ".join(j["reasons"] + [f"degraded: {x}" for x in j["degraded"]])
        lines.append(f"  {name:<8} {state:<12} {detail}")
    face = report["face_pipeline"]
    lines += ["", "face pipeline: " + ("ready" if face["usable"] else f"UNUSABLE: {face['reason']}")]
    display = report["display"]
    lines += [f"display ({display['platform']}): "
              + ("Qt can open a window" if display["usable"] else f"UNUSABLE: {display['reason']}")]
    queue = report["queue"]
    lines += ["queue: " + (f"pending {queue['depth']}, quarantined {queue['quarantined']}"
                               f", enrolled {queue['enrolled']}"
                               if queue.get("usable") else f"UNUSABLE: {queue.get('error')}")]
    if queue.get("usable") and queue["enrolled"]:
        lines.append("signing key: " + (f"EXPOSED: {queue['signing_key_exposed']}"
                                        if queue["signing_key_exposed"]
                                        else "readable only by the kiosk user"))
    server = report["server"]
    reach = {True: "reachable", False: "UNREACHABLE", None: "not checked"}[server["reachable"]]
    offset = server.get("clock_offset_s")
    lines.append(f"server: {server['url'] or '-'} {reach}"
                 + (f", clock offset {offset:+.1f} s" if offset is not None else "")
                 + (f" ({server['note']})" if server.get("note") else ""))
    desired = report["desired_state"]
    lines.append(f"desired state: {desired['version'] or 'none applied'}, catalogue "
                 f"{desired['catalogue_version']} ({desired['catalogue_origin']})"
                 + (f", {len(desired['refused'])} refused" if desired["refused"] else ""))
    if report["problems"]:
        lines += ["", "problems:"]
        for p in report["problems"]:
            affected = ", ".join(p["journeys"]) or "-"
            lines.append(f"  {p['role']}: {p['reason']} (journeys affected: {affected})")
    return "\n".join(lines)
