"""The kiosk reports its devices' health, consumables and doors and whether a session runs
(never who) to the district, and every signed contact is recorded there. Against the real
district server on loopback and the kiosk core with its real queue and simulated devices."""
from __future__ import annotations

import threading
from datetime import datetime

from devices.model import DeviceEvent
from tests.kiosk.reported import reported_on_server


def wait_for_unit(device, unit: str, state: str) -> None:
    reached = threading.Event()

    def check(_event: DeviceEvent | None = None) -> None:
        if str(device.status.units.get(unit)) == state:
            reached.set()
    unsubscribe = device.subscribe(check)
    try:
        check()
        assert reached.wait(10), f"{device.name} {unit} never became {state}"
    finally:
        unsubscribe()


def test_devices_consumables_and_session_reach_the_district(district, make_core):
    core = make_core()
    printer = core.devices.for_role("receipt_printer")[0]
    printer.simulate("paper", level="out")
    wait_for_unit(printer, "paper", "out")
    core.session_active = lambda: True
    assert core.queue.worker.sync_once().ok

    reported = reported_on_server(district, core.config.kiosk.id)
    on_server = reported["devices"][printer.name]
    assert on_server["kind"] == "printer" and on_server["units"]["paper"] == "out"
    assert on_server["availability"] == "userError"  # a consumable state, not a fault
    assert reported["session_active"] is True
    lockers = core.devices.for_role("locker_bank")[0]
    assert reported["devices"][lockers.name]["kind"] == "locker"
    sizes = [c.size for c in lockers.compartments.values()]
    assert reported["free_compartments"] == {size: sizes.count(size) for size in set(sizes)}

    printer.simulate("paper", level="ok")
    wait_for_unit(printer, "paper", "full")
    core.session_active = lambda: False
    assert core.queue.worker.sync_once().ok
    reported = reported_on_server(district, core.config.kiosk.id)
    assert reported["devices"][printer.name]["units"]["paper"] == "full"
    assert reported["session_active"] is False


def test_every_signed_contact_is_recorded_even_with_nothing_to_report(district, make_core):
    from district_server.kiosks.models import Kiosk
    core = make_core()
    assert core.queue.worker.sync_once().ok
    ctx = district.app.state.ctx

    def contact_and_report():
        with ctx.db.transaction() as session:
            kiosk = session.get(Kiosk, core.config.kiosk.id)
            return kiosk.last_contact_at, kiosk.reported_at
    first_contact, reported_at = contact_and_report()
    assert first_contact is not None
    core.queue.worker.reconcile_receipts()           # a cycle's signed check, nothing reported
    contact, unchanged_report = contact_and_report()
    assert contact > first_contact and unchanged_report == reported_at


def test_errors_actions_counters_and_configuration_reach_the_district(district, make_core):
    from devices.printer.documents import TestPage
    from kiosk.app import config_version
    from tests.kiosk.test_device_counters import wait_status
    core = make_core()
    printer = core.devices.for_role("receipt_printer")[0]
    page = TestPage("sim", "simulated", 80, "ok", core.clock.now())
    assert printer.print_document(page).result(10).ok
    printer.simulate("paper", level="out")
    wait_status(printer, lambda s: s.error_code == "paperOut")
    assert core.queue.worker.sync_once().ok

    reported = reported_on_server(district, core.config.kiosk.id)
    on_server = reported["devices"][printer.name]
    assert (on_server["error_code"], on_server["action"]) == ("paperOut", "replenish")
    assert datetime.fromisoformat(on_server["since"]) == printer.status.last_change
    assert on_server["counters"]["counts"]["prints"] == 1
    assert on_server["counters"]["errors"] == {"paperOut": 1}
    assert reported["config_version"] == config_version(core.config)

    printer.simulate("paper", level="ok")
    wait_status(printer, lambda s: s.usable)
    assert core.queue.worker.sync_once().ok
    on_server = reported_on_server(district, core.config.kiosk.id)["devices"][printer.name]
    assert (on_server["error_code"], on_server["action"]) == ("", "")
    assert on_server["counters"]["counts"]["rolls_fitted"] == 1
    from district_server.kiosks.models import DeviceStatusChange
    from sqlalchemy import select
    with district.app.state.ctx.db.transaction() as session:
        changes = [(c.error_code, c.at) for c in session.scalars(
            select(DeviceStatusChange).where(DeviceStatusChange.device == printer.name)
            .order_by(DeviceStatusChange.change_id))]
    assert [code for code, _at in changes] == ["paperOut", ""]   # the district's device history
    assert changes[-1][1] == printer.status.last_change
