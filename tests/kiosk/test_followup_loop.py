"""The receipt's QR leads somewhere: a citizen applies at the kiosk (the real core, its
simulated printer, its real queue) owing a material under a 容缺 commitment; the QR decoded
from the bytes the printer received opens the case's follow-up page on the live district
server in headless Chromium at a phone's size; the material uploaded there fulfils the
commitment."""
from __future__ import annotations

import io
import json
import threading
from urllib.parse import urlsplit

import zxingcpp
from PIL import Image

from devices.printer.escpos_parser import EscPosParser, to_png
from tests.district_server.test_web import browser  # noqa: F401 - the Chromium fixture
from tests.kiosk.journeys.walk import apply_item
from tests.kiosk.test_catalogue_in_use import services_of

DEFERRED_ITEM = "FT-MZ-DB-010"       # 低保: the income statement may follow (容缺)
PHONE = (390, 844)


def wait_for_printing(journey) -> None:
    """Until the receipt (and the commitment letter) left the printer."""
    finished = threading.Event()
    journey.subscribe(lambda j: finished.set() if j.print_status in ("printed", "failed")
                      else None)
    if journey.print_status not in ("printed", "failed"):
        assert finished.wait(60), "the receipt was never printed"
    assert journey.print_status == "printed"


def qr_on_the_paper(received: bytes, tmp_path) -> str:
    """Draw what the printer received (a stream with the driver's status requests in it)
    and read the QR code off the drawing."""
    paper = EscPosParser()
    paper.feed(received)
    drawing = to_png(paper.elements, tmp_path / "paper.png")
    [code] = [c for c in zxingcpp.read_barcodes(Image.open(drawing))
              if c.format == zxingcpp.BarcodeFormat.QRCode]
    return code.text


def finger_signature() -> bytes:
    out = io.BytesIO()
    Image.new("L", (300, 100), 255).save(out, format="PNG")
    return out.getvalue()


def upright_photo(path) -> None:
    image = Image.new("RGB", (600, 800), "white")
    image.save(path, format="JPEG")


def test_apply_with_a_deferred_material_then_supply_it_from_the_receipt_qr(
        district, make_core, browser, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shows
    from selenium.webdriver.support.ui import WebDriverWait
    from district_server.cases.models import Case, Commitment
    core = make_core()
    services = services_of(core)
    item = services.catalogue.item(DEFERRED_ITEM)
    payload = apply_item(services, item, at_receipt=wait_for_printing,
                         signature=finger_signature())
    assert [m["code"] for m in payload["materials"] if m["status"] == "deferred"] == \
        ["income_proof"]
    worker = core.queue.worker
    for _ in range(5):
        worker.sync_once()
        if core.queue.outbox.counts().pending == 0:
            break
    assert core.queue.outbox.counts().pending == 0

    printer = core.devices.for_role("receipt_printer")[0]
    url = qr_on_the_paper(bytes(printer.virtual.received), tmp_path)
    assert url.startswith(district.url + "/case/")
    number = urlsplit(url).path.rsplit("/", 1)[1]
    assert payload["followup_secret"] in url and "followup_secret" not in json.dumps(
        _stored_application(district, number))           # the server keeps only its hash

    browser.set_window_size(*PHONE)
    browser.get(url)
    wait = WebDriverWait(browser, 60)
    assert "待补交材料" in browser.find_element(By.TAG_NAME, "body").text
    fits = browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the page scrolls sideways on a phone"
    photo = tmp_path / "income.jpg"
    upright_photo(photo)
    browser.find_element(By.ID, "file-income_proof").send_keys(str(photo))
    browser.find_element(By.ID, "upload-income_proof").click()
    wait.until(shows.presence_of_element_located((By.ID, "fulfilled")))

    ctx = district.app.state.ctx
    with ctx.db.transaction() as session:
        case = session.get(Case, number)
        assert json.loads(case.outstanding_json) == []
        [commitment] = session.query(Commitment).filter_by(case_number=number).all()
        assert commitment.fill_state == "supplied"


def _stored_application(district, number: str) -> dict:
    from district_server.cases.models import Case
    ctx = district.app.state.ctx
    with ctx.db.transaction() as session:
        return json.loads(session.get(Case, number).application_json)

