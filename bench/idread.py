"""eMRTD read through pcscd + vpcd: DG1 + DG2 (20 KB photo) + EF.SOD under secure messaging,
beside the same number of bare APDU round trips (the floor the transport sets).

    python bench/idread.py [--runs N] [--photo-bytes BYTES]

Needs pcscd with the vpcd driver (scripts/services/pcscd.sh). Prints JSON.
"""
from __future__ import annotations

import sys
from pathlib import Path

# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import statistics
import time
from dataclasses import replace


from devices.id_reader.emrtd import EmrtdSession
from devices.id_reader.lds import DATA_GROUPS, FID_SOD
from devices.id_reader.transport import CountingConnection
from devices.id_reader.virtual_card.profiles import PROFILES, TestPki, make_card
from foundation.identity_validation import bac_key

READER = "Virtual PCD 00 00"
BARE_APDU = bytes.fromhex("00A4040C07A0000002471001")  # SELECT of the eMRTD application


def wait_for_card(context: int) -> None:
    from smartcard import scard
    code, states = scard.SCardGetStatusChange(context, 10_000, [(READER, scard.SCARD_STATE_EMPTY)])
    if code != scard.SCARD_S_SUCCESS or not states[0][1] & scard.SCARD_STATE_PRESENT:
        raise SystemExit(json.dumps({"error": "pcscd did not see the virtual card"}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--photo-bytes", type=int, default=20_000)
    args = parser.parse_args()
    try:
        from smartcard import scard

        from devices.id_reader.pcsc import PcscTransport, establish_context
        from devices.id_reader.virtual_card.vpcd import VpcdSlot
        context = establish_context()
    except Exception as error:  # pyscard or pcscd missing: say so in the JSON
        print(json.dumps({"skipped": f"pcscd not reachable: {error}"}))
        return 1
    profile = replace(PROFILES["resident_passport"], photo_bytes=args.photo_bytes)
    key = bac_key(*profile.access_key)
    card = make_card(profile, TestPki.generate("ecdsa"))
    slot = VpcdSlot()
    slot.insert(card)
    reads, floors, apdus, sizes = [], [], 0, {}
    try:
        wait_for_card(context)
        transport = PcscTransport(context, READER)
        for run in range(args.runs):
            print(f"phase: run {run + 1}/{args.runs}: read, then as many bare APDUs",
                  file=sys.stderr, flush=True)
            connection = CountingConnection(transport.connect())
            session = EmrtdSession(connection)
            session.select_application()
            session.basic_access_control(key)
            before = connection.apdus
            started = time.perf_counter()
            for name, fid in (("dg1", DATA_GROUPS[1][0]), ("dg2", DATA_GROUPS[2][0]),
                              ("sod", FID_SOD)):
                sizes[name] = len(session.read_file(fid))
            reads.append(time.perf_counter() - started)
            apdus = connection.apdus - before
            started = time.perf_counter()
            for _ in range(apdus):
                connection.transmit(BARE_APDU)
            floors.append(time.perf_counter() - started)
            connection.disconnect()
    finally:
        slot.remove()
        scard.SCardReleaseContext(context)
    read_s, floor_s = statistics.median(reads), statistics.median(floors)
    print(json.dumps({
        "transport": "pcscd + vpcd (TCP_NODELAY, TCP_QUICKACK)",
        "runs": args.runs,
        "file_bytes": sizes,
        "apdus": apdus,
        "read_dg1_dg2_sod_s": round(read_s, 4),
        "bare_round_trips_s": round(floor_s, 4),
        "per_apdu_ms": round(read_s / apdus * 1000, 3),
        "bare_per_apdu_ms": round(floor_s / apdus * 1000, 3),
        "secure_messaging_overhead_ratio": round(read_s / floor_s, 2),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
