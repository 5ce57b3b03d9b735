"""`kiosk enroll --server URL --token T`: register this kiosk with its district server.

Makes the kiosk's Ed25519 signing key (once), sends its public half with the one-time
token from `district-server enroll-token`, and stores the district's public keys. From
then on captured items are sealed to the district key and requests are signed.
"""
from __future__ import annotations

import json
import sys

from kiosk.cli import EXIT_DATA, EXIT_FAILED, EXIT_OK, EXIT_USAGE


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
    from offline_queue.errors import TransientError
    from offline_queue.identity import KioskIdentity, load_or_create_signing_key, \
        raw_public_key_b64
    from offline_queue.sink import default_queue_dir
    from offline_queue.transport import SignedTransport
    from pydantic import ValidationError
    from wire.v1 import PATH_ENROLL, EnrollRequest, EnrollResponse

    config = ctx.config.config
    kiosk_id = args.kiosk_id or config.kiosk.id
    pin = args.pin if args.pin is not None else config.server.pinned_cert_sha256
    directory = default_queue_dir(ctx.data_dir, config.queue.dir)
    key = load_or_create_signing_key(directory)
    try:
        request = EnrollRequest(token=args.token, kiosk_id=kiosk_id,
                                signing_public_key=raw_public_key_b64(key))
    except ValidationError as error:
        print(f"enroll: {error.errors()[0]['loc'][0]}: {error.errors()[0]['msg']}",
              file=sys.stderr)
        return EXIT_USAGE
    transport = SignedTransport(args.server, kiosk_id, key, clock=ctx.clock,
                                timeout_s=config.server.timeout_s, pinned_cert_sha256=pin)
    try:
        response = transport.request("POST", PATH_ENROLL, signed=False,
                                     json_body=request.model_dump(mode="json"))
    except TransientError as error:
        print(f"enroll: cannot reach {args.server}: {error}", file=sys.stderr)
        return EXIT_FAILED
    if response.status_code not in (200, 201):
        print(f"enroll: the server refused ({response.status_code}): "
              f"{response.text[:300]}", file=sys.stderr)
        return EXIT_FAILED
    try:
        enrolled = EnrollResponse.model_validate_json(response.content)
    except ValidationError:
        print("enroll: the answer is not an enrolment response (wrong URL or a proxy?)",
              file=sys.stderr)
        return EXIT_DATA
    identity = KioskIdentity.save(directory, args.server, enrolled, key)
    result = {"kiosk_id": identity.kiosk_id, "server": args.server,
              "key_id": identity.district.key_id, "queue_dir": str(directory)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"enrolled kiosk {identity.kiosk_id} with {args.server} "
              f"(district key {identity.district.key_id})")
    return EXIT_OK
