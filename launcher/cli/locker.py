"""`kiosk locker status [--json]`, `kiosk locker open N --staff-id ID`.

Opening a compartment outside a pickup needs a person of the hall's staff list (the district's
desired state) and their kiosk PIN, checked as the maintenance entry checks it
(`kiosk.staff_access`: its lockout, its tries kept in the data directory); the running kiosk
checks it itself. Either way the open, or the refusal, is an event of the kiosk's audit
chain (without the kiosk, the command appends to it through the queue). The PIN is read
from the terminal without echo, or from stdin when it is not a terminal.
"""
from __future__ import annotations

import getpass
import json
import logging
import sys
from typing import TYPE_CHECKING

from launcher.cli import EXIT_DEVICE, EXIT_FAILED, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from devices.locker.bank import LockerBank
    from kiosk.service_state import StaffPerson

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    parser = subparsers.add_parser("locker", help="locker bank: door status, staff open")
    actions = parser.add_subparsers(dest="locker_action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="read every compartment's door")
    status.add_argument("--json", action="store_true", help="machine-readable report")
    opener = actions.add_parser("open", help="open one compartment (your staff id and kiosk "
                                             "PIN)")
    opener.add_argument("number", type=int, help="compartment number")
    opener.add_argument("--staff-id", required=True, help="your staff id (the PIN is asked)")
    opener.add_argument("--reason", default="maintenance", help="why (recorded)")
    parser.set_defaults(func=run)


def _read_pin(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


def run(args, ctx) -> int:
    from devices.locker.bank import LockerBank  # imported here: `kiosk run` needs none of it
    from launcher.cli._devices import device_for_role
    pin = _read_pin("kiosk PIN: ") if args.locker_action == "open" else None
    served = _through_the_running_kiosk(ctx, args, pin)
    if served is not None:
        return served
    person = _check_pin(ctx, args, pin) if pin is not None else None
    if isinstance(person, int):
        return person
    bank = device_for_role(ctx, "locker_bank")
    if bank is None or not isinstance(bank, LockerBank):
        print("no locker bank is configured (roles.locker_bank)", file=sys.stderr)
        return EXIT_DEVICE
    try:
        if args.locker_action == "status":
            return _status(bank, args.json)
        return _open(ctx, bank, args.number, person, args.reason)
    finally:
        bank.stop()


def _check_pin(ctx, args, pin: str) -> "StaffPerson | int":
    """No kiosk runs: the staff list of the desired state last applied, checked with the
    entry's own lockout; a refusal is recorded in the kiosk's audit chain as the running
    kiosk records it (the person, or EXIT_FAILED)."""
    from kiosk.control_socket import CLI_WHO, refusal
    from kiosk.staff_access import Refused, StaffAccess
    from offline_queue.desired_state import DesiredStateStore
    from offline_queue.errors import StorageUnavailable
    from offline_queue.sink import default_queue_dir
    config = ctx.config.config
    state = DesiredStateStore(default_queue_dir(ctx.data_dir, config.queue.dir)).current()
    access = StaffAccess(ctx.data_dir, config.maintenance, ctx.clock)
    access.update(state.staff if state is not None else None)
    person = access.check(args.staff_id, pin)
    if isinstance(person, Refused):
        log.warning("locker open refused: staff credential")
        print(refusal(person), file=sys.stderr)
        try:
            _audit_here(ctx, "locker.open_refused", actor="technician", who=CLI_WHO,
                        compartment=args.number, locked=person.locked_until is not None)
        except StorageUnavailable as error:
            log.error("a refused locker open could not be recorded: %s", error)
        return EXIT_FAILED
    return person


def _audit_here(ctx, action: str, **fields: object) -> None:
    """No kiosk runs: the event goes into this kiosk's audit chain through its own queue
    (raises StorageUnavailable when the queue cannot store it). A kiosk not yet enrolled
    has no chain (nothing can be sealed for a district): the event is only logged."""
    from kiosk.audit_chain import audit_event, open_chain
    from offline_queue.errors import NotEnrolled
    from offline_queue.service import QueueService
    config = ctx.config.config
    event = audit_event(action, ctx.clock.now(), **fields)
    service = QueueService.open(config.queue, config.server, ctx.data_dir, ctx.clock)
    try:
        open_chain(service.sink, ctx.data_dir).enqueue("audit", event)
    except NotEnrolled:
        log.info("not enrolled: %s only logged", action,
                 extra={k: v for k, v in event.items() if k in ("who", "compartment")})
    finally:
        service.outbox.close()


def _through_the_running_kiosk(ctx, args, pin: str | None) -> int | None:
    """While `kiosk run` runs, the command goes through its control socket (the kiosk owns
    the serial port, and records the open in its audit chain); None: no kiosk answered."""
    from launcher.cli._devices import ask_the_running_kiosk, refused_by_the_kiosk
    if args.locker_action == "status":
        reply = ask_the_running_kiosk(ctx, "locker.status")
    else:
        reply = ask_the_running_kiosk(ctx, "locker.open", number=args.number, reason=args.reason,
                                      staff_id=args.staff_id, pin=pin)
    if reply is None:
        return None
    if not reply.get("ok"):
        return refused_by_the_kiosk(reply)
    if args.locker_action == "status":
        _print_status(reply, args.json)
    else:
        print(f"compartment {args.number}: "
              f"{'open' if reply['opened'] else 'unlock sent, not yet open'} (by the running kiosk)")
    return EXIT_OK


def _status(bank: LockerBank, as_json: bool) -> int:
    from kiosk.control_socket import locker_report
    result = bank.read_all().result()
    if not result.ok:
        print(f"{bank.name}: {result.completion}: {result.error.message if result.error else ''}",
              file=sys.stderr)
        return EXIT_DEVICE
    _print_status(locker_report(bank), as_json)
    return EXIT_OK


def _print_status(report: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps({k: v for k, v in report.items() if k != "codec"},
                         ensure_ascii=False, indent=2))
        return
    print(f"{report['device']} ({report['backend']}, {report['codec']}): "
          f"{report['status']['availability']}")
    for row in report["compartments"]:
        print(f"  {row['number']:>4} {row['label']:<8} board {row['board']:>2} "
              f"lock {row['lock']:>2}  {row['size']:<2}  {row['door']}")


def _open(ctx, bank: LockerBank, number: int, person: "StaffPerson", reason: str) -> int:
    from offline_queue.errors import StorageUnavailable
    if number not in bank.compartments:
        print(f"there is no compartment {number}", file=sys.stderr)
        return EXIT_USAGE
    # recorded before the door moves, as the running kiosk does: an open that cannot be
    # audited does not happen
    try:
        _audit_here(ctx, "locker.open", by=person, why=reason[:200],
                    compartment=number)
    except StorageUnavailable as error:
        print(f"compartment {number} not opened: its opening cannot be recorded ({error})",
              file=sys.stderr)
        return EXIT_FAILED
    result = bank.open(number).result()
    if not result.ok:
        print(f"compartment {number}: {result.completion}: "
              f"{result.error.message if result.error else ''}", file=sys.stderr)
        return EXIT_DEVICE if result.completion == "deviceNotReady" else EXIT_FAILED
    print(f"compartment {number}: {'open' if result.value.opened else 'unlock sent, not yet open'}")
    return EXIT_OK
