"""Supply a missing material at the kiosk while the district is down (the real kiosk core,
its queue and simulated printer; the live district server): a citizen applied owing a
material under a 容缺 commitment; online the receipt's QR finds what the district says is
owed; with the server down the receipt's QR, read at the kiosk,
finds what was promised here, the scan is stored encrypted in the queue, and once the
server is back the queue delivers it and the district shows the commitment fulfilled."""
from __future__ import annotations

import json
import threading

from kiosk.journeys import SupplyJourney
from kiosk.journeys.supply import SupplyState
from tests.kiosk.journeys.fakes import FakeCodes, scanned
from tests.kiosk.journeys.walk import apply_item
from tests.kiosk.test_catalogue_in_use import services_of
from tests.kiosk.test_followup_loop import DEFERRED_ITEM, finger_signature, qr_on_the_paper, \
    wait_for_printing


def wait_for_state(journey, state) -> None:
    """Until the citizen-services client's answer has reached the journey."""
    reached = threading.Event()
    journey.subscribe(lambda j: reached.set() if j.state is not SupplyState.LOADING else None)
    if journey.state is SupplyState.LOADING:
        assert reached.wait(60), "the district never answered"
    assert journey.state is state, journey.problem


def sync_until_sent(core) -> None:
    worker = core.queue.worker
    for _ in range(5):
        assert worker.sync_once().ok
        if core.queue.outbox.counts().pending == 0:
            return
    assert core.queue.outbox.counts().pending == 0


def test_supplied_offline_at_the_kiosk_then_delivered_fulfils_the_commitment(
        district, make_core, tmp_path):
    from district_server.cases.models import Case, Commitment
    core = make_core()
    services = services_of(core)
    services.codes = FakeCodes()
    payload = apply_item(services, services.catalogue.item(DEFERRED_ITEM),
                         at_receipt=wait_for_printing, signature=finger_signature())
    sync_until_sent(core)
    printer = core.devices.for_role("receipt_printer")[0]
    receipt_qr = qr_on_the_paper(bytes(printer.virtual.received), tmp_path)

    # the kiosk's clock here is the test clock, days behind the server's: the queue's health
    # probe measured the offset, which the citizen client's own transport does not take
    # (it keeps 0 s: every signed citizen call would be 401), so it is handed over here
    citizen_transport = services.citizen._client._transport
    citizen_transport.clock_offset_s = core.queue.worker.transport.clock_offset_s
    online = SupplyJourney(services)                 # online: the district says what is owed
    online.scan_receipt()
    services.codes.last.set_result(receipt_qr)
    wait_for_state(online, SupplyState.OWED)
    [owed] = online.owed
    assert (owed.materials, owed.source) == (("income_proof",), "district")
    online.cancel()

    port = district.port
    district.stop()                                  # the district is down
    assert not core.queue.worker.sync_once().ok
    # what a started core's sync follower does with that pass (this one is not started, so
    # the test drives the queue alone)
    core.set_server_reachable(False)
    assert not services.online()

    journey = SupplyJourney(services)
    journey.scan_receipt()
    services.codes.last.set_result(receipt_qr)
    assert (journey.state, journey.problem) == (SupplyState.OWED, "promised_here")
    [owed] = journey.owed
    number = owed.case_number
    assert (owed.materials, owed.source) == (("income_proof",), "this_kiosk")
    assert owed.due.isoformat() == payload["commitment"]["due_date"]
    journey.start_scan(f"{number}/income_proof")
    services.scanner.last.set_result(scanned())
    journey.materials_done()
    assert journey.state is SupplyState.SENT and journey.stored_offline
    journey.finish()
    assert journey.personal_data_present() == []
    [waiting] = core.queue.outbox.items(state="pending")
    assert waiting.kind == "commitment"
    # sealed at capture: neither the case nor the material is readable in the queue
    assert "income_proof" not in waiting.envelope and f'"{number}"' not in waiting.envelope

    district.start(port)                             # back where the kiosk knows it
    sync_until_sent(core)
    with district.app.state.ctx.db.transaction() as session:
        case = session.get(Case, number)
        assert json.loads(case.outstanding_json) == [] and case.material_due_date is None
        [commitment] = session.query(Commitment).filter_by(case_number=number).all()
        assert commitment.fill_state == "supplied"
