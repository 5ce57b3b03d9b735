"""eMRTD read through pcscd + vpcd: EF.ATR/INFO, select, BAC, DG1 + DG2 (20 KB photo) +
EF.SOD, beside the fair floor: the same card behind the same transport, with the same BAC
and secure messaging on both sides, sending only the APDUs the read needs (select, BAC,
per file one SELECT and as few READ BINARY as the card's largest answer allows, sizes
known beforehand). Also the bare transport: as many unprotected round trips as the read.

Once with a card taking extended-length APDUs (EF.ATR/INFO says so) and once with a
short-length card (no EF.ATR/INFO: 231-byte reads).

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

from devices.id_reader import apdu as cmd
from devices.id_reader.emrtd import EmrtdSession
from devices.id_reader.lds import DATA_GROUPS, FID_SOD
from devices.id_reader.transport import CountingConnection
from devices.id_reader.virtual_card.profiles import PROFILES, TestPki, make_card
from foundation.identity_validation import bac_key

READER = "Virtual PCD 00 00"
BARE_APDU = bytes.fromhex("00A4040C07A0000002471001")  # SELECT of the eMRTD application


def wait_for_card(context: int, present: bool = True) -> None:
    """Until pcscd reports the virtual card in (or out of) the reader."""
    from smartcard import scard
    seen = scard.SCARD_STATE_EMPTY if present else scard.SCARD_STATE_PRESENT
    code, states = scard.SCardGetStatusChange(context, 10_000, [(READER, seen)])
    if code != scard.SCARD_S_SUCCESS or bool(states[0][1] & scard.SCARD_STATE_PRESENT) != present:
        raise SystemExit(json.dumps({"error": "pcscd did not see the virtual card "
                                              + ("arrive" if present else "leave")}))


FILES = (("dg1", DATA_GROUPS[1][0]), ("dg2", DATA_GROUPS[2][0]), ("sod", FID_SOD))
CARDS = {"extended_length": 65535, "short_length": None}


def read_as_the_kiosk(connection, key) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    session = EmrtdSession(connection)
    session.use_extended_length()
    session.select_application()
    session.basic_access_control(key)
    sizes = {name: len(session.read_file(fid)) for name, fid in FILES}
    return time.perf_counter() - started, sizes | {"read_size": session.max_read}


def fair_floor(connection, key, sizes: dict[str, int]) -> float:
    """The same protocol with nothing to discover: no EF.ATR/INFO, known sizes."""
    started = time.perf_counter()
    session = EmrtdSession(connection)
    session.select_application()
    session.basic_access_control(key)
    for name, fid in FILES:
        session.transmit(cmd.select_file(fid))
        for offset in range(0, sizes[name], sizes["read_size"]):
            session.transmit(cmd.read_binary(offset, min(sizes["read_size"],
                                                          sizes[name] - offset)))
    return time.perf_counter() - started


def bench_card(context, slot, card, key, runs: int) -> dict:
    from devices.id_reader.pcsc import PcscTransport
    slot.insert(card)
    wait_for_card(context)
    transport = PcscTransport(context, READER)
    reads, floors, bares, apdus, floor_apdus, sizes = [], [], [], 0, 0, {}
    for _ in range(runs):
        connection = CountingConnection(transport.connect())
        elapsed, sizes = read_as_the_kiosk(connection, key)
        reads.append(elapsed)
        apdus = connection.apdus
        connection.disconnect()
        connection = CountingConnection(transport.connect())
        floors.append(fair_floor(connection, key, sizes))
        floor_apdus = connection.apdus
        started = time.perf_counter()
        for _ in range(apdus):
            connection.transmit(BARE_APDU)
        bares.append(time.perf_counter() - started)
        connection.disconnect()
    slot.remove()
    wait_for_card(context, present=False)
    read_s, floor_s, bare_s = (statistics.median(x) for x in (reads, floors, bares))
    return {
        "file_bytes": {k: v for k, v in sizes.items() if k != "read_size"},
        "read_binary_size": sizes["read_size"],
        "apdus": apdus,
        "floor_apdus": floor_apdus,
        "read_s": round(read_s, 4),
        "fair_floor_s": round(floor_s, 4),
        "bare_round_trips_s": round(bare_s, 4),
        "ratio_to_fair_floor": round(read_s / floor_s, 2),
        "ratio_to_bare_round_trips": round(read_s / bare_s, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--photo-bytes", type=int, default=20_000)
    args = parser.parse_args()
    try:
        from smartcard import scard

        from devices.id_reader.pcsc import establish_context
        from devices.id_reader.virtual_card.vpcd import VpcdSlot
        context = establish_context()
    except Exception as error:  # pyscard or pcscd missing: say so in the JSON
        print(json.dumps({"skipped": f"pcscd not reachable: {error}"}))
        return 1
    profile = replace(PROFILES["resident_passport"], photo_bytes=args.photo_bytes)
    pki = TestPki.generate("ecdsa")
    slot = VpcdSlot()
    results = {}
    try:
        for name, max_response in CARDS.items():
            print(f"phase: {name} card, {args.runs} runs: read, fair floor, bare round trips",
                  file=sys.stderr, flush=True)
            card = make_card(profile, pki, max_response=max_response)
            results[name] = bench_card(context, slot, card, bac_key(*profile.access_key),
                                       args.runs)
    finally:
        slot.remove()
        scard.SCardReleaseContext(context)
    print(json.dumps({
        "transport": "pcscd + vpcd (TCP_NODELAY, TCP_QUICKACK)",
        "runs": args.runs,
        "goal_ratio_to_fair_floor": 1.3,
        "fair_floor": "same card and transport, BAC and secure messaging on both sides, "
                      "only the APDUs needed (sizes and read size known beforehand)",
        "cards": results,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
