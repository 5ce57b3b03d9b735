"""Each kiosk's own audit chain (kiosk/audit_chain.py), verified by the district beside its
own: an entry changed on the way or at the kiosk, and one that never arrived, are flagged."""
from __future__ import annotations

from district_server.audit.service import verify_kiosk_chains
from tests.kiosk.test_core import ListSink


def chained_entries(tmp_path, count):
    from kiosk.audit_chain import ChainedSink
    sink = ListSink()
    chained = ChainedSink(sink, tmp_path / "audit-chain.json")
    for n in range(count):
        chained.enqueue("audit", {"action": "maintenance.entered" if n % 2 == 0 else
                                  "maintenance.left", "at": f"2026-12-05T10:0{n}:00+08:00",
                                  "actor": "technician", "who": "staff:T001",
                                  "role": "technician"})
    return [payload for _kind, payload in sink.items]


def send(kiosk, entries):
    for entry in entries:
        assert kiosk.put(kiosk.envelope("audit", entry)).status_code == 201


def test_an_unbroken_chain_is_not_flagged(kiosk, ctx, tmp_path):
    send(kiosk, chained_entries(tmp_path, 3))
    with ctx.db.transaction() as session:
        assert verify_kiosk_chains(session) == {}


def test_a_changed_entry_and_a_missing_one_are_flagged(kiosk, ctx, tmp_path):
    entries = chained_entries(tmp_path, 5)
    entries[1] = {**entries[1], "who": "staff:T002"}   # changed after it was chained
    del entries[3]                                      # never arrived
    send(kiosk, entries)
    with ctx.db.transaction() as session:
        findings = verify_kiosk_chains(session)
    assert findings == {kiosk.kiosk_id: ["entry 2 (maintenance.left): changed",
                                         "entries 4..4: missing"]}


def test_the_chain_goes_on_after_a_restart(tmp_path):
    first = chained_entries(tmp_path, 2)
    again = chained_entries(tmp_path, 1)     # a new sink over the same head file
    assert again[0]["chain_seq"] == 3 and again[0]["chain_prev"] == first[1]["chain_hash"]
