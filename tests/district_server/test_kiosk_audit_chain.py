"""Each kiosk's own audit chain (kiosk/audit_chain.py), verified by the district beside its
own: an entry changed on the way or at the kiosk, and one that never arrived, are flagged."""
from __future__ import annotations

from datetime import timedelta

from district_server.audit.service import verify_kiosk_chains
from tests.district_server.conftest import staff_headers
from tests.district_server.test_alerts import open_kinds
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


def test_a_gap_that_lasts_raises_an_alert_and_the_late_entry_clears_it(kiosk, ctx, client,
                                                                      tmp_path):
    """An entry may arrive late (the queue retries it after the next ones): only a gap that
    outlasts the hold is an alert for the hall's technicians."""
    headers = staff_headers(ctx, client, "technician")
    entries = chained_entries(tmp_path, 4)
    send(kiosk, [entries[0], entries[1], entries[3]])
    assert open_kinds(client, headers) == {}                  # held: it may still come
    start, hold = ctx.now(), ctx.settings.alerts.heartbeat_s * \
        ctx.settings.alerts.silent_after_heartbeats
    ctx.now = lambda: start + timedelta(seconds=hold + 1)
    alert = open_kinds(client, headers)[(kiosk.kiosk_id, "audit_chain_broken")]
    assert alert["detail"] == "entries 3..3: missing"
    send(kiosk, [entries[2]])
    assert open_kinds(client, headers) == {}


def test_a_changed_entry_raises_the_alert(kiosk, ctx, client, tmp_path):
    entries = chained_entries(tmp_path, 2)
    send(kiosk, [entries[0], {**entries[1], "who": "staff:T999"}])
    start = ctx.now()
    ctx.now = lambda: start + timedelta(hours=1)
    alerts = open_kinds(client, staff_headers(ctx, client, "technician"))
    assert alerts[(kiosk.kiosk_id, "audit_chain_broken")]["detail"] == \
        "entry 2 (maintenance.left): changed"
