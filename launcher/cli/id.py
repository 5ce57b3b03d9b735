"""`kiosk id read`: read one identity document and show it to the operator.

    kiosk id read [--backend pcsc|sam|simulated] [--device READER_OR_PORT]
                  [--bac DOCUMENT_NUMBER:BIRTH_YYMMDD:EXPIRY_YYMMDD] [--photo-out PATH] [--json]

Showing the document is this command's purpose, so its fields go to stdout (never to
the logs). The photo goes only to --photo-out. While `kiosk run` runs, its reader does a test
read instead (through the control socket, audited): the checks' outcomes and masked fields
only, and --backend, --device, --photo-out and --wait are refused. Exit codes: 0 read and verified,
1 no document / read failed, 2 bad --bac, 3 configuration, 4 reader unavailable,
5 the document failed a verification check.
"""
from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

from launcher.cli import EXIT_DATA, EXIT_DEVICE, EXIT_FAILED, EXIT_OK, EXIT_USAGE

BACKENDS = ("pcsc", "sam", "simulated")
#: the option --device sets for each backend
DEVICE_OPTION = {"pcsc": "reader", "sam": "port", "simulated": "profile"}


def register(subparsers) -> None:
    parser = subparsers.add_parser("id", help="identity documents: read one and show it")
    actions = parser.add_subparsers(dest="id_action", metavar="ACTION", required=True)
    read = actions.add_parser("read", help="read the document on the reader")
    read.add_argument("--backend", choices=BACKENDS,
                      help="reader backend (default: the configured id_reader device)")
    read.add_argument("--device", metavar="READER_OR_PORT",
                      help="PC/SC reader name (pcsc), serial port (sam) or virtual card "
                           "profile (simulated)")
    read.add_argument("--bac", metavar="DOC:YYMMDD:YYMMDD",
                      help="MRZ key of an eMRTD: document number, birth date, expiry date")
    read.add_argument("--photo-out", type=Path, metavar="PATH",
                      help="write the face photo here (never printed)")
    read.add_argument("--json", action="store_true", help="machine-readable output")
    read.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                      help="give up reading after this long (default 30)")
    read.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                      help="wait this long for a document to be put on the reader (default 0)")
    parser.set_defaults(func=run)


def _build_device(args, ctx):
    """The configured id_reader device, or one of `--backend` with its default options."""
    from devices.id_reader.security import is_virtual_reader
    from devices.registry import BackendUnavailable, backend_class
    from kiosk.config import ConfigError
    loaded = ctx.config
    names = loaded.config.roles.get("id_reader", [])
    configured = next((s for s in loaded.devices if s.name in names and s.enabled), None)
    backend = args.backend or (configured.backend if configured else "simulated")
    if configured is not None and configured.backend == backend:
        options = configured.settings.model_dump()
        name = configured.name
    else:
        options = dict(loaded.config.backends.get("id_reader", {}).get(backend, {}))
        name = "id_reader"
    if args.device:
        options[DEVICE_OPTION[backend]] = args.device
    if backend == "pcsc" and args.device and is_virtual_reader(args.device):
        options["allow_virtual_reader"] = True  # named explicitly by the operator
    try:
        cls = backend_class("id_reader", backend)
    except BackendUnavailable as error:
        return None, str(error)
    try:
        settings = cls.Settings.model_validate(options)
    except ValueError as error:
        raise ConfigError(loaded.origin(f"backends.id_reader.{backend}"),
                          f"backends.id_reader.{backend}", str(error).splitlines()[0],
                          "correct the option") from None
    try:
        return cls(name, settings, clock=ctx.clock), ""
    except ValueError as error:  # e.g. an unknown simulator profile
        return None, str(error)


def _print_human(document: dict, photo_note: str) -> None:
    labels = [("document_type", "document type"), ("document_number", "number"),
              ("name_zh", "name"), ("name_latin", "name (Latin)"), ("sex", "sex"),
              ("birth_date", "birth date"), ("nationality", "nationality"),
              ("ethnicity", "ethnicity"), ("issuing_state", "issuing state"),
              ("issuing_authority", "authority"), ("valid_from", "valid from"),
              ("expiry_date", "valid until"), ("address", "address"), ("reader", "reader")]
    for key, label in labels:
        value = document.get(key)
        if value:
            print(f"{label:>14}: {value}")
    if document.get("long_term_valid"):
        print(f"{'valid until':>14}: long-term (长期)")
    print(f"{'photo':>14}: {photo_note}")
    unchecked = [c["check"] for c in document["verification"] if c["outcome"] == "not_checked"]
    verdict = "yes" if document["verified"] else "NO"
    if document["verified"] and unchecked:
        verdict += f" (not checked: {', '.join(unchecked)})"
    print(f"{'verified':>14}: {verdict}")
    for check in document["verification"]:
        detail = f" ({check['detail']})" if check["detail"] else ""
        print(f"{'':>14}  {check['check']}: {check['outcome']}{detail}")
    timings = ", ".join(f"{k} {v:g} ms" for k, v in document["timings_ms"].items())
    print(f"{'timings':>14}: {timings}")


def run(args, ctx) -> int:
    from devices.model import InvalidData
    from foundation.identity_validation import IdentityValidationError, parse_bac_key
    key = None
    if args.bac:
        try:
            key = parse_bac_key(args.bac)
        except IdentityValidationError as error:
            print(f"--bac: {error.message}", file=sys.stderr)
            return EXIT_USAGE
    served = _through_the_running_kiosk(ctx, args)
    if served is not None:
        return served
    device, problem = _build_device(args, ctx)
    if device is None:
        print(f"identity reader unavailable: {problem}", file=sys.stderr)
        return EXIT_DEVICE
    inserted = threading.Event()
    device.subscribe(lambda event: inserted.set() if event.name == "cardInserted" else None)
    device.start()
    try:
        device.submit("ready", lambda token: None, internal=True).result(args.timeout)
        status = device.status
        if not status.usable:
            print(f"identity reader unavailable: {status.availability}: {status.reason}",
                  file=sys.stderr)
            return EXIT_DEVICE
        if args.wait > 0 and not device.card_present:
            print(f"put the document on the reader (waiting {args.wait:g} s)...", file=sys.stderr)
            ctx.clock.wait(inserted, args.wait)
        result = device.read(key, timeout=args.timeout).result()
    finally:
        device.stop()
    if result.error is not None:
        print(f"reading failed: {result.error.message}", file=sys.stderr)
        return EXIT_DATA if isinstance(result.error, InvalidData) else EXIT_FAILED
    document = result.value
    photo_note = _photo_note(document, args.photo_out)
    shown = document.as_dict()
    if args.json:
        shown["photo"]["written_to"] = str(args.photo_out) \
            if args.photo_out and document.photo.available else None
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        _print_human(shown, photo_note)
    return EXIT_OK if document.verified else EXIT_DATA


#: options for a reader the command opens itself; the running kiosk's test read takes none
OWN_READER_OPTIONS = ("backend", "device", "photo_out", "wait")


def _through_the_running_kiosk(ctx, args) -> int | None:
    """While `kiosk run` runs, its reader does a test read (through the control socket,
    audited) and shows only the checks' outcomes and masked fields; None: no kiosk runs."""
    from kiosk.control_socket import SOCKET_NAME, serving
    from launcher.cli._devices import ask_the_running_kiosk, refused_by_the_kiosk
    given = [f"--{o.replace('_', '-')}" for o in OWN_READER_OPTIONS if getattr(args, o, None)]
    if given:
        if serving(ctx.data_dir / SOCKET_NAME):
            print(f"the kiosk is running and owns the identity reader: it does a test read "
                  f"without {', '.join(given)}; stop the kiosk to read with them",
                  file=sys.stderr)
            return EXIT_USAGE
        return None
    reply = ask_the_running_kiosk(ctx, "id.read", bac=args.bac, timeout=args.timeout)
    if reply is None:
        return None
    if not reply.get("ok"):
        return refused_by_the_kiosk(reply)
    shown = reply["read"]
    if args.json:
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        _print_test_read(shown)
    return EXIT_OK if shown["verified"] else EXIT_DATA


def _print_test_read(shown: dict) -> None:
    for key, label in [("document_type", "document type"), ("document_number", "number"),
                       ("name", "name"), ("source", "source"), ("reader", "reader")]:
        print(f"{label:>14}: {shown[key]}")
    print(f"{'verified':>14}: {'yes' if shown['verified'] else 'NO'}")
    for check, outcome in shown["checks"].items():
        print(f"{'':>14}  {check}: {outcome}")
    print(f"{'':>14}  (a test read by the running kiosk: fields masked, no photo)")


def _photo_note(document, photo_out: Path | None) -> str:
    photo = document.photo
    if not photo.available:
        return f"absent: {photo.absent_reason}"
    note = f"{photo.format}, {photo.width}x{photo.height}, {len(photo.data)} bytes"
    if photo_out is None:
        return note + " (use --photo-out to save it)"
    photo_out.write_bytes(photo.data)
    return f"{note}, written to {photo_out}"
