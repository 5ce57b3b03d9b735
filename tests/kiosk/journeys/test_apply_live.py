"""Apply for every kiosk-enabled item of the demo catalogue on the kiosk core: the real
offline queue (encrypted at capture, enrolled), the simulated receipt printer, the
citizen-services client, all against the district server on loopback; only the document
read, the face check and the page scan are the tests' fakes (the simulators cannot show
a face that matches the simulated card). Then the sync worker delivers everything, the
server issues a signed receipt for each, and the query journey lists the local pending
applications while they are not delivered."""
from __future__ import annotations

import pytest

from foundation.clock import SystemClock
from kiosk.journeys import QueryJourney
from kiosk.journeys.ports import run_inline, run_now
from tests.kiosk.journeys.fakes import FakeFace, FakeReader, FakeScanner, identify_with_card
from tests.kiosk.journeys.walk import apply_item


@pytest.fixture
def live_core(tmp_path):
    from kiosk.app import KioskCore
    from kiosk.config import load_config
    from offline_queue.enrolment import enroll
    from tests.offline_queue.live_district import LiveDistrict
    clock = SystemClock()
    from district_server.settings import DEFAULT_CATALOGUE_DIR
    with LiveDistrict(tmp_path / "district", demo_citizens=False,
                      catalogue_dir=DEFAULT_CATALOGUE_DIR) as district:
        loaded = load_config()
        kiosk_dir = tmp_path / "kiosk"
        enroll(district.url, district.enrollment_token(loaded.config.kiosk.id),
               loaded.config.kiosk.id, kiosk_dir / "queue", clock=clock)
        core = KioskCore.create(loaded, kiosk_dir, clock=clock, with_face=False)
        core.devices.start()
        core.wait_settled()
        try:
            yield core, district
        finally:
            core.devices.stop()
            core.queue.stop()


def test_every_demo_item_is_applied_for_and_delivered(live_core):
    from kiosk.journeys.services import build_services
    core, district = live_core
    services = build_services(core, post=run_now, background=run_inline)
    assert services.online()
    items = services.catalogue.kiosk_items()
    for item in items:
        services.documents, services.face, services.scanner = (FakeReader(), FakeFace(),
                                                                FakeScanner())
        payload = apply_item(services, item)
        assert payload["service_code"] == item.task_code
    # offline for the moment (nothing synced yet): the query lists them, honestly local
    query = QueryJourney(services)
    services.documents, services.face = FakeReader(), FakeFace()
    services.online = lambda: False
    identify_with_card(query.identify)
    assert query.state.value == "local_cases"
    assert len(query.cases) == len(items)
    assert {c.service_code for c in query.cases} == {i.task_code for i in items}
    # the sync worker delivers each application; only a signed receipt marks it delivered
    worker = core.queue.worker
    for _ in range(len(items) + 5):
        worker.sync_once()
        if core.queue.outbox.counts().pending == 0:
            break
    counts = core.queue.outbox.counts()
    quarantined = [(i.kind, i.last_error if hasattr(i, "last_error") else i)
                   for i in core.queue.outbox.items(state="quarantined")]
    assert counts.pending == 0 and quarantined == [], quarantined[:3]
    server_side = district.submission_ids(core.config.kiosk.id)
    assert len(server_side) >= len(items)
    query = QueryJourney(services)
    services.documents, services.face = FakeReader(), FakeFace()
    identify_with_card(query.identify)
    assert query.cases == []     # delivered: no longer pending here
