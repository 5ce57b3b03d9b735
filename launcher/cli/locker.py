"""`kiosk locker status [--json]`, `kiosk locker open N`, `kiosk locker hash-pin`.

Opening a compartment outside a pickup needs the technician PIN (its scrypt hash is
`lockers.technician_pin_hash` in the site configuration); wrong PINs lock the command
out for `lockers.pin_lockout_s`, and the count survives restarts (data dir). The PIN is
read from the terminal without echo, or from stdin when it is not a terminal.
"""
from __future__ import annotations

import getpass
import json
import logging
import sys
from typing import TYPE_CHECKING

from launcher.cli import EXIT_CONFIG, EXIT_DEVICE, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from kiosk.pickup_secrets import AttemptLimiter, hash_secret, verify_secret

if TYPE_CHECKING:
    from devices.locker.bank import LockerBank

log = logging.getLogger(__name__)
PIN_KEY = "technician"


def register(subparsers) -> None:
    parser = subparsers.add_parser("locker", help="locker bank: door status, technician open")
    actions = parser.add_subparsers(dest="locker_action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="read every compartment's door")
    status.add_argument("--json", action="store_true", help="machine-readable report")
    opener = actions.add_parser("open", help="open one compartment (technician PIN)")
    opener.add_argument("number", type=int, help="compartment number")
    opener.add_argument("--reason", default="maintenance", help="why (recorded)")
    actions.add_parser("hash-pin", help="read a new PIN and print its hash for the site file")
    parser.set_defaults(func=run)


def _read_pin(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


def run(args, ctx) -> int:
    from devices.locker.bank import LockerBank  # imported here: `kiosk run` needs none of it
    from launcher.cli._devices import device_for_role
    if args.locker_action == "hash-pin":
        pin = _read_pin("new technician PIN: ")
        if len(pin) < 6 or not pin.isdigit():
            print("the PIN must be at least 6 digits", file=sys.stderr)
            return EXIT_USAGE
        print(hash_secret(pin))
        return EXIT_OK
    if args.locker_action == "open":
        refusal = _check_pin(ctx)
        if refusal is not None:
            return refusal
    served = _through_the_running_kiosk(ctx, args)
    if served is not None:
        return served
    bank = device_for_role(ctx, "locker_bank")
    if bank is None or not isinstance(bank, LockerBank):
        print("no locker bank is configured (roles.locker_bank)", file=sys.stderr)
        return EXIT_DEVICE
    try:
        if args.locker_action == "status":
            return _status(bank, args.json)
        return _open(bank, args.number, args.reason)
    finally:
        bank.stop()


def _check_pin(ctx) -> int | None:
    section = ctx.config.config.lockers
    if not section.technician_pin_hash:
        print("no technician PIN is configured: set lockers.technician_pin_hash "
              "(make one with `kiosk locker hash-pin`)", file=sys.stderr)
        return EXIT_CONFIG
    limiter = AttemptLimiter(ctx.data_dir / "locker-pin-tries.json",
                             max_tries=section.pin_max_tries, lockout_s=section.pin_lockout_s,
                             clock=ctx.clock)
    state = limiter.state(PIN_KEY)
    if state.locked(ctx.clock.now()):
        print(f"too many wrong PINs: locked until {state.locked_until.isoformat()}",
              file=sys.stderr)
        return EXIT_FAILED
    if verify_secret(_read_pin("technician PIN: "), section.technician_pin_hash):
        limiter.succeeded(PIN_KEY)
        return None
    after = limiter.failed(PIN_KEY)
    log.warning("wrong technician PIN for locker open")
    if after.locked(ctx.clock.now()):
        print(f"wrong PIN: locked until {after.locked_until.isoformat()}", file=sys.stderr)
    else:
        print(f"wrong PIN ({section.pin_max_tries - after.failures} tries left)", file=sys.stderr)
    return EXIT_FAILED


def _through_the_running_kiosk(ctx, args) -> int | None:
    """While `kiosk run` runs, the command goes through its control socket (the kiosk owns
    the serial port, and records the open in its audit chain); None: no kiosk answered."""
    from launcher.cli._devices import ask_the_running_kiosk, refused_by_the_kiosk
    if args.locker_action == "status":
        reply = ask_the_running_kiosk(ctx, "locker.status")
    else:
        reply = ask_the_running_kiosk(ctx, "locker.open", number=args.number, reason=args.reason)
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


def _open(bank: LockerBank, number: int, reason: str) -> int:
    if number not in bank.compartments:
        print(f"there is no compartment {number}", file=sys.stderr)
        return EXIT_USAGE
    # who and why go to the log (audit trail on this kiosk); the PIN never does
    log.info("technician locker open", extra={"compartment": number, "who": "technician",
                                              "why": reason})
    result = bank.open(number).result()
    if not result.ok:
        print(f"compartment {number}: {result.completion}: "
              f"{result.error.message if result.error else ''}", file=sys.stderr)
        return EXIT_DEVICE if result.completion == "deviceNotReady" else EXIT_FAILED
    print(f"compartment {number}: {'open' if result.value.opened else 'unlock sent, not yet open'}")
    return EXIT_OK
