"""`kiosk printer test [--json]`: print the test page on the configured receipt printer
and report its real status (DLE EOT) before and after."""
from __future__ import annotations

import json
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
    from devices.model import Completion
    from launcher.cli._devices import device_for_role
    printer = device_for_role(ctx, "receipt_printer")
    if printer is None:
        print("no receipt printer is configured (roles.receipt_printer)")
        return EXIT_DEVICE
    try:
        printing, state = printer.print_test_page(ctx.clock.now())
        result = printing.result()
        report = {
            "device": printer.name, "backend": printer.backend,
            "completion": str(result.completion),
            "error": result.error.as_dict() if result.error else None,
            "printer_state": result.value.state.as_dict() if result.ok and result.value.state
            else (state.as_dict() if state else None),
            "capabilities": printer.capabilities,
            "status": printer.status.as_dict(),
        }
        virtual = getattr(printer, "virtual", None)
        if getattr(args, "png", None) and virtual is not None and virtual.jobs:
            report["png"] = str(virtual.last_job.png(args.png, printer.settings.paper_width_mm))
    finally:
        printer.stop()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"{report['device']} ({report['backend']}): {report['completion']}")
        if report["error"]:
            print(f"  {report['error']['message']} (action: {report['error']['action']})")
        status = report["status"]
        print(f"  availability {status['availability']}, severity {status['severity']}, "
              f"paper {status['units'].get('paper', 'unknown')}"
              + (f", {status['reason']}" if status["reason"] else ""))
    if result.ok:
        return EXIT_OK
    if result.completion is Completion.DEVICE_NOT_READY:
        return EXIT_DEVICE
    return EXIT_FAILED
