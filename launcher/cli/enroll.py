"""`kiosk enroll --server URL --token T`: register this kiosk with its district server.

Makes the kiosk's Ed25519 signing key (once), sends its public half with the one-time
token from `district-server enroll-token`, and stores the district's public keys. From
then on captured items are sealed to the district key and requests are signed.
"""
from __future__ import annotations

import json
import sys

from launcher.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE


def register(subparsers) -> None:
    parser = subparsers.add_parser("enroll", help="enrol this kiosk with the district server")
    parser.add_argument("--server", required=True, metavar="URL",
                        help="district server base URL, e.g. https://district.example:8443")
    parser.add_argument("--token", required=True, help="one-time enrolment token")
    parser.add_argument("--kiosk-id", help="kiosk id (default: [kiosk] id of the configuration)")
    parser.add_argument("--pin", metavar="SHA256", default=None,
                        help="SHA-256 of the server certificate (default: [server] "
                             "pinned_cert_sha256)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run)


def run(args, ctx) -> int:
    from pydantic import ValidationError

    from offline_queue.enrolment import EnrolmentRefused, enroll
    from offline_queue.errors import TransientError
    from offline_queue.sink import default_queue_dir

    config = ctx.config.config
    directory = default_queue_dir(ctx.data_dir, config.queue.dir)
    try:
        identity = enroll(args.server, args.token, args.kiosk_id or config.kiosk.id, directory,
                          clock=ctx.clock, timeout_s=config.server.timeout_s,
                          pinned_cert_sha256=args.pin if args.pin is not None
                          else config.server.pinned_cert_sha256)
    except ValidationError as error:
        first = error.errors()[0]
        print(f"enroll: {first['loc'][0]}: {first['msg']}", file=sys.stderr)
        return EXIT_USAGE
    except TransientError as error:
        print(f"enroll: cannot reach {args.server}: {error}", file=sys.stderr)
        return EXIT_FAILED
    except EnrolmentRefused as error:
        print(f"enroll: {error}", file=sys.stderr)
        return EXIT_FAILED
    result = {"kiosk_id": identity.kiosk_id, "server": args.server,
              "key_id": identity.district.key_id, "queue_dir": str(directory)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"enrolled kiosk {identity.kiosk_id} with {args.server} "
              f"(district key {identity.district.key_id})")
    return EXIT_OK
