"""The devices, consumables, queue, configuration and logs pages on the real kiosk core with
its simulated devices (real printer driver over TCP, real eMRTD reading code): test actions,
guided fixes confirmed by the status itself, counted and audited; a site file applied live
and one refused; logs shown and exported."""
from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest

from kiosk.app import KioskCore
from kiosk.config import load_config
from kiosk.journeys.maintenance_pages import (ConfigurationPage, ConsumablesPage, DevicesPage,
                                              LogsPage)
from kiosk.journeys.ports import run_inline, run_now
from kiosk.journeys.services import build_services
from kiosk.logging_setup import configure_logging
from kiosk.pickup import Parcel
from kiosk.pickup_secrets import hash_secret
from tests.kiosk.journeys.fakes import FakeSink
from tests.kiosk.test_device_counters import wait_status


@pytest.fixture
def core(tmp_path, test_clock):
    core = KioskCore.create(load_config(), tmp_path / "kiosk", clock=test_clock,
                            event_sink=FakeSink(), with_face=False)
    core.devices.start()
    core.wait_settled()
    yield core
    core.devices.stop()


def services(core):
    return build_services(core, post=run_now, background=run_inline)


def open_page(page_class, core, name: str = "", role: str = "technician"):
    page = page_class(services(core), role=role, staff_id="T001")
    if name:
        page.open_device(name)
    return page


def wait_state(page, state: str) -> None:
    reached = threading.Event()
    page.subscribe(lambda p: reached.set() if p.state.value == state else None)
    assert page.state.value == state or reached.wait(10), page.state


def audits(core) -> list[dict]:
    return [payload for kind, payload, _ in core.event_sink._sink.items if kind == "audit"]


def test_printer_test_page_and_status(core):
    page = open_page(DevicesPage, core, "receipt_printer")
    assert page.tests() == ("test_page", "printer_status")
    page.run_test("test_page")
    wait_state(page, "result")
    assert page.result["ok"] and page.result["bytes"] > 100
    page.run_test("printer_status")
    wait_state(page, "result")
    assert page.result["paper"] == "ok" and page.result["blocking_reason"] == ""
    assert core.counters.counts("receipt_printer")["prints"] == 1


def test_the_door_test_opens_an_empty_compartment_audited_never_a_parcels(core):
    first = min(core.pickup.lockers.compartments)
    core.pickup.assign([Parcel(parcel_id="P1", case_number="C1", compartment=first,
                               holder_hmac="", code_hash=hash_secret("123456", n=2 ** 10),
                               expires_at=core.clock.now() + timedelta(days=7))])
    page = open_page(DevicesPage, core, "lockers")
    assert page.tests() == ("open_compartment",)
    page.run_test("open_compartment")
    wait_state(page, "result")
    number = page.result["compartment"]
    assert page.result["ok"] and page.result["opened"] and number != first
    assert str(core.pickup.lockers.door_states()[number]) == "open"
    [opened] = [a for a in audits(core) if a["action"] == "locker.open"]
    assert (opened["compartment"], opened["who"]) == (number, "staff:T001")


def test_a_test_card_read_shows_the_checks_and_masks_the_person(core):
    page = open_page(DevicesPage, core, "id_card_reader")
    page.run_test("read_card")
    wait_state(page, "result")
    assert page.result["ok"] and page.result["verified"]
    assert page.result["document_number"] == "E*******8"
    assert "E12345678" not in repr(page.result) and "张三" not in repr(page.result)
    page.back()
    assert page.result == {}


def test_paper_out_fixed_by_staff_mid_guide_is_confirmed_counted_and_audited(core):
    printer = core.devices["receipt_printer"]
    printer.simulate("paper", level="out")
    wait_status(printer, lambda s: s.error_code == "paperOut")
    page = open_page(ConsumablesPage, core, role="hall_staff")
    assert [r.name for r in page.devices()] == ["receipt_printer"]
    page.open_device("receipt_printer")
    assert page.tests() == ()                  # hall staff: no test actions
    assert page.guide() == "fit_roll"
    page.start_fix()
    assert page.state.value == "fix" and page.live.error_code == "paperOut"
    printer.simulate("paper", level="ok")      # the roll fitted while the guide is shown
    wait_state(page, "fixed")
    assert core.counters.counts("receipt_printer")["fixes"] == {"paperOut": 1}
    assert core.counters.counts("receipt_printer")["rolls_fitted"] == 1
    fixed = [a for a in audits(core) if a["action"] == "device.fixed"]
    assert fixed == [{"action": "device.fixed", "at": fixed[0]["at"], "actor": "staff",
                      "who": "staff:T001", "role": "hall_staff", "device": "receipt_printer",
                      "code": "paperOut",
                      **{k: fixed[0][k] for k in fixed[0] if k.startswith("chain")}}]


def test_a_jam_cleared_mid_guide(core):
    printer = core.devices["receipt_printer"]
    printer.simulate("jam")
    wait_status(printer, lambda s: s.error_code == "paperJam")
    page = open_page(DevicesPage, core, "receipt_printer")
    assert page.guide() == "clear_jam"
    page.start_fix()
    printer.simulate("jam", jammed=False)
    wait_state(page, "fixed")
    assert core.counters.counts("receipt_printer")["fixes"] == {"paperJam": 1}


def test_a_guide_is_not_confirmed_while_the_status_is_not_ok(core):
    printer = core.devices["receipt_printer"]
    printer.simulate("paper", level="out")
    wait_status(printer, lambda s: s.error_code == "paperOut")
    page = open_page(DevicesPage, core, "receipt_printer")
    page.start_fix()
    printer.simulate("paper", level="nearEnd")  # a nearly empty roll is no fix
    wait_status(printer, lambda s: s.error_code == "paperNearEnd")
    assert page.live.error_code == "paperNearEnd"
    assert page.state.value == "fix" and core.counters.counts("receipt_printer")["fixes"] == {}
    page.back()
    assert page.state.value == "device"


def write_site(path, extra: str) -> None:
    path.write_text(f'[kiosk]\nid = "demo-kiosk-001"\n{extra}\n', "utf-8")


@pytest.fixture
def site_core(tmp_path, test_clock):
    site = tmp_path / "site.toml"
    write_site(site, "")
    core = KioskCore.create(load_config(site), tmp_path / "kiosk", clock=test_clock,
                            event_sink=FakeSink(), with_face=False)
    core.site = site
    yield core
    core.devices.stop()


def test_configuration_shows_each_value_with_its_file(site_core):
    page = ConfigurationPage(services(site_core), role="technician", staff_id="T001")
    values = {v.key: v for v in page.diagnostics.configuration()}
    assert values["kiosk.id"].source == str(site_core.site)
    assert values["kiosk.hall_phone"].source.endswith("defaults.toml")


def test_a_site_file_change_applies_live_and_a_restart_key_waits(site_core):
    seen = []
    site_core.on_config_changed(seen.append)
    write_site(site_core.site, 'hall_phone = "0755-99999"\nname = "other"')
    page = ConfigurationPage(services(site_core), role="technician", staff_id="T001")
    page.apply_site_file()
    assert page.state.value == "applied"
    assert page.change.live == {"kiosk.hall_phone": "0755-99999"}
    assert page.change.restart == {"kiosk.name": "other"}
    assert site_core.config.kiosk.hall_phone == "0755-99999" and len(seen) == 1
    assert site_core.config.kiosk.name != "other"      # in force from the next start only
    [applied] = audits(site_core)
    assert (applied["action"], applied["keys"], applied["restart"]) == (
        "config.applied", "kiosk.hall_phone", "kiosk.name")


@pytest.mark.parametrize("extra, key", [
    ("hall_phone = 12", "hall_phone"),
    ("no_such_key = 1", "no_such_key"),
])
def test_a_site_file_that_does_not_validate_is_refused_naming_key_file_and_fix(
        site_core, extra, key):
    write_site(site_core.site, extra)
    page = ConfigurationPage(services(site_core), role="technician", staff_id="T001")
    page.apply_site_file()
    assert page.state.value == "refused"
    message = str(page.refusal)
    assert key in message and "site.toml" in message and "Fix:" in message
    assert site_core.config.kiosk.hall_phone == "0755-12345"  # nothing applied
    assert audits(site_core) == []
    page.back()
    assert page.state.value == "values"


def test_logs_page_shows_recent_lines_and_exports_to_removable_media(core, tmp_path):
    root = logging.getLogger()
    handlers = list(root.handlers)
    configure_logging(tmp_path / "logs")
    try:
        logging.getLogger("kiosk.test").warning("printer checked by staff")
        page = LogsPage(services(core), role="technician", staff_id="T001")
        assert any("printer checked by staff" in line for line in page.lines())
        page.diagnostics.media_roots = (tmp_path / "media",)
        (tmp_path / "media" / "staff" / "USB").mkdir(parents=True)
        with pytest.raises(Exception, match="not on removable media"):
            page.export(str(tmp_path / "elsewhere"))
        page.export(str(tmp_path / "media" / "staff" / "USB" / "logs"))
        assert page.outcome["files"] == 1
        assert "printer checked by staff" in (
            tmp_path / "media" / "staff" / "USB" / "logs" / "kiosk.log").read_text()
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()


def test_queue_page_exports_with_progress_read_back_by_kiosk_queue_check(
        make_core, tmp_path, capsys):
    from launcher.cli import main
    from kiosk.journeys.maintenance_pages import QueuePage
    from tests.offline_queue.helpers import audit
    core = make_core()
    for n in range(3):
        core.queue.sink.enqueue("audit", audit(n))
    page = QueuePage(services(core), role="technician", staff_id="T001")
    assert page.status()["depth"] == 3
    page.diagnostics.media_roots = (tmp_path / "media",)
    (tmp_path / "media" / "staff" / "USB").mkdir(parents=True)
    seen = []
    page.subscribe(lambda p: seen.append(p.progress) if p.state.value == "exporting" else None)
    page.export(str(tmp_path / "media" / "staff" / "USB" / "queue"))
    assert page.state.value == "done" and page.outcome["exported"] == 3
    assert seen[-1] == (3, 3)
    assert main(["queue", "check", str(tmp_path / "media" / "staff" / "USB" / "queue")]) == 0
    assert "3 item(s), 0 blob(s)" in capsys.readouterr().out
    page.back()
    page.sync_now()
    # the three, and the export's own audit entry
    assert page.outcome["ok"] and page.outcome["delivered"] == 4
    assert page.status()["depth"] == 0


def test_camera_preview_boxes_the_face_the_camera_sees(core):
    from PIL import Image
    import base64
    import io
    camera = core.devices["face_camera"]
    camera.simulate("person", who="holder")
    page = open_page(DevicesPage, core, "face_camera")
    page.run_test("camera_preview")
    wait_state(page, "result")
    assert page.result["ok"] and page.result["faces"] == 1, page.result
    left, top, right, bottom = map(int, page.result["boxes"].split(","))
    assert right - left > 40 and bottom - top > 40
    png = Image.open(io.BytesIO(base64.b64decode(page.result["image"].split(",", 1)[1])))
    assert png.getpixel((left, (top + bottom) // 2))[:3] == (0, 200, 0)  # the box is drawn
    page.cancel()
    assert page.personal_data_present() == []


def test_scan_test_shows_the_next_code_masked(core):
    reader = core.devices["code_scanner"]
    page = open_page(DevicesPage, core, "code_scanner")
    page.run_test("scan_code")
    assert page.state.value == "testing"
    reader.simulate("scan", text="APPT-BK2026XY")
    wait_state(page, "result")
    assert page.result["read"] and page.result["kind"] == "appointment"
    assert page.result["code"] == "B******Y"
    page.run_test("scan_code")
    reader.simulate("scan", text="not a code we print")
    wait_state(page, "result")
    assert not page.result["read"] and page.result["reason"]
