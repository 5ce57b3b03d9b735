"""`kiosk printer test [--json]`: print the test page on the configured receipt printer
and report its real status (DLE EOT) before and after. While `kiosk run` runs, its printer
prints it (through the control socket, audited); otherwise the command opens the printer."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from launcher.cli import EXIT_DEVICE, EXIT_FAILED, EXIT_OK


def register(subparsers) -> None:
    parser = subparsers.add_parser("printer", help="receipt printer: print the test page")
    parser.add_argument("action", choices=["test"], help="test: print the test page, show status")
    parser.add_argument("--json", action="store_true", help="machine-readable report")
    parser.add_argument("--png", type=Path, metavar="FILE",
                        help="simulated printer only: save what the virtual printer printed")
    parser.set_defaults(func=run)


def run(args, ctx) -> int:
    from launcher.cli._devices import ask_the_running_kiosk, refused_by_the_kiosk
    png = args.png.resolve() if getattr(args, "png", None) else None
    reply = ask_the_running_kiosk(ctx, "printer.test", png=str(png) if png else None)
    if reply is None:
        report = _test_here(ctx, png)
        if report is None:
            print("no receipt printer is configured (roles.receipt_printer)", file=sys.stderr)
            return EXIT_DEVICE
    elif not reply.get("ok"):
        return refused_by_the_kiosk(reply)
    else:
        report = reply["report"]
    _print_report(report, args.json, by_the_kiosk=reply is not None)
    if report["ok"]:
        return EXIT_OK
    return EXIT_DEVICE if report["completion"] == "deviceNotReady" else EXIT_FAILED


def _test_here(ctx, png: Path | None) -> dict | None:
    """No kiosk runs: open the printer, print, close it (None: no printer is configured)."""
    from kiosk.diagnostics import printer_test
    from launcher.cli._devices import device_for_role
    printer = device_for_role(ctx, "receipt_printer")
    if printer is None:
        return None
    try:
        return printer_test(printer, ctx.clock.now(), png)
    finally:
        printer.stop()


def _print_report(report: dict, as_json: bool, *, by_the_kiosk: bool) -> None:
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    print(f"{report['device']} ({report['backend']}): {report['completion']}"
          + (" (by the running kiosk)" if by_the_kiosk else ""))
    if report["error"]:
        print(f"  {report['error']['message']} (action: {report['error']['action']})")
    status = report["status"]
    print(f"  availability {status['availability']}, severity {status['severity']}, "
          f"paper {status['units'].get('paper', 'unknown')}"
          + (f", {status['reason']}" if status["reason"] else ""))
