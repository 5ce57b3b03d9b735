from datetime import date

import pytest

from kiosk.journeys.apply import ApplyJourney, ApplyState as S
from kiosk.journeys.base import JourneyActionRefused
from kiosk.journeys.ports import FaceOutcome
from tests.kiosk.journeys.fakes import JPEG, RESIDENT, SIGNATURE, FakeCitizen, FakePrinter, \
    identify_with_card, make_services, scanned
from wire.v1 import ApplicationPayload


@pytest.fixture
def services(catalogue, test_clock):
    return make_services(catalogue, test_clock)


def start(services, code) -> ApplyJourney:
    journey = ApplyJourney(services)
    journey.choose_item(code)
    journey.apply_now()
    identify_with_card(journey.identify)
    assert journey.state is S.FORM
    return journey


def at_the_dog_registrations_materials(services) -> ApplyJourney:
    journey = start(services, "T-QZDJ-002")
    journey.set_value("dog_breed", "large")
    journey.set_value("dog_age", "2")
    journey.next_page()
    assert journey.state is S.MATERIALS
    return journey


def test_browse_by_topic_and_search(services):
    journey = ApplyJourney(services)
    journey.open_category("pets")
    assert [i.task_code for i in journey.category_items()] == ["T-QZDJ-002"]
    journey.back()
    journey.search("jzz")
    assert journey.state is S.SEARCH and journey.results[0].item.task_code == "T-JZZ-001"
    journey.choose_item("T-JZZ-001")
    assert journey.state is S.GUIDE and "T-JZZ-001" in journey.guide_url()
    journey.back()
    assert journey.state is S.SEARCH


def test_suggestions_as_you_type_keep_the_screen(services):
    journey = ApplyJourney(services)
    seen = []
    journey.subscribe(lambda j: seen.append([h.item.task_code for h in j.suggestions]))
    journey.suggest("j")
    journey.suggest("jzz")
    assert journey.state is S.BROWSE
    assert seen[-1][0] == "T-JZZ-001" and len(seen[-1]) <= 3
    journey.suggest("")
    assert journey.suggestions == []
    journey.suggest("jzz")
    journey.choose_item("T-JZZ-001")
    assert journey.suggestions == []


def test_not_at_kiosk_items_show_the_guide_only(services):
    journey = ApplyJourney(services)
    journey.choose_item("T-RCYJ-006")
    journey.apply_now()
    assert journey.state is S.GUIDE and journey.problem == "not_at_kiosk"


def test_residence_permit_happy_path(services):
    journey = start(services, "T-JZZ-001")
    assert journey.values["applicant_name"] == "王小明"
    assert journey.values["id_number"] == RESIDENT.id_number
    assert journey.prefilled == {"applicant_name", "id_number"}
    journey.next_page()
    assert journey.page == 1
    journey.next_page()
    assert journey.problem == "form_incomplete" and set(journey.errors) == {"phone", "address"}
    journey.set_value("phone", "1381234567")
    assert journey.errors["phone"].en.startswith("A mobile number has 11 digits")
    journey.set_value("phone", "13812345678")
    assert "phone" not in journey.errors
    journey.set_value("address", "福田区福中三路1号")
    journey.next_page()
    assert journey.state is S.MATERIALS
    journey.materials_done()
    assert journey.problem == "materials_missing"
    journey.start_scan("lease")
    services.scanner.last.set_result(scanned())
    journey.start_scan("photo")
    services.scanner.last.set_result(scanned())
    journey.materials_done()
    assert journey.state is S.REVIEW
    journey.submit()
    assert journey.state is S.RECEIPT and journey.case_number == "kiosk-1"
    assert journey.print_status == "printed"
    kind, payload, blobs = services.events.items[0]
    assert kind == "submission" and payload["service_code"] == "T-JZZ-001"
    assert payload["form_data"]["phone"] == "13812345678"
    assert blobs == {"blob:lease-1": JPEG, "blob:photo-1": JPEG}
    assert services.events.given_plaintext == []       # both pages sealed when scanned
    assert services.printer.printed[0][0] == "receipt"
    assert services.printer.printed[0][1].case_number == "kiosk-1"
    # the receipt's QR: the follow-up page with the secret sent (encrypted) with the case
    secret = payload["followup_secret"]
    assert len(secret) >= 16
    assert journey.case_url() == f"https://ft.gov.example/case/kiosk-1?t={secret}"
    assert services.printer.printed[0][1].follow_url == journey.case_url()
    context = journey.rating_context()
    journey.finish()
    assert context == {"case_number": "kiosk-1", "service_code": "T-JZZ-001"}
    assert journey.personal_data_present() == []
    assert services.events.discarded == [JPEG]        # the sink keeps only what was sent


def test_a_citizen_who_leaves_after_scanning_leaves_no_sealed_page_kept(services):
    journey = at_the_dog_registrations_materials(services)
    journey.start_scan("vaccine")
    services.scanner.last.set_result(scanned())
    journey.cancel()
    assert services.events.items == []
    assert services.events.discarded == [JPEG]


def test_tolerance_commitment_and_certificate_on_file(services):
    journey = start(services, "T-YLJG-004")
    journey.set_value("uscc", "91350100M000100Y43")
    journey.set_value("opening_date", "2027-01-05")
    journey.next_page()
    assert journey.state is S.MATERIALS
    licence = journey.materials["licence"].material
    assert [c.certificate_id for c in journey.certificates_for(licence)] == ["CERT1"]
    journey.defer("floor_plan")
    assert journey.problem == "cannot_defer"
    journey.skip("floor_plan")
    assert journey.problem == "material_required"
    journey.defer("licence")
    journey.start_scan("floor_plan")
    services.scanner.last.set_result(scanned())
    journey.materials_done()                  # staff_list is optional: waived
    assert journey.state is S.COMMITMENT
    terms = journey.commitment()
    # Thu 26 Nov + 5 working days, with 1 Dec a holiday in the fake calendar
    assert terms.due_date == date(2026, 12, 4)
    assert "2026年12月4日" in terms.text.zh and "营业执照" in terms.text.zh
    journey.agree()
    assert journey.problem == "sign_first"
    journey.sign(SIGNATURE)
    assert not journey.can_agree
    journey.choose_channel("locker")
    journey.agree()
    assert journey.state is S.REVIEW
    journey.submit()
    _kind, payload, blobs = services.events.items[0]
    assert payload["commitment"]["due_date"] == "2026-12-04"
    assert blobs["blob:signature"] == SIGNATURE
    assert services.events.given_plaintext == []       # the signature sealed when signed
    statuses = {m["code"]: m["status"] for m in payload["materials"]}
    assert statuses == {"licence": "deferred", "floor_plan": "provided", "staff_list": "waived"}
    assert [doc for doc, _ in services.printer.printed] == ["receipt", "commitment_letter"]


def test_the_receipt_and_letter_print_in_the_language_in_use_when_printing(services):
    language = ["zh_CN"]
    services.language = lambda: language[0]
    journey = start(services, "T-YLJG-004")
    journey.set_value("uscc", "91350100M000100Y43")
    journey.set_value("opening_date", "2027-01-05")
    journey.next_page()
    journey.defer("licence")
    journey.start_scan("floor_plan")
    services.scanner.last.set_result(scanned())
    journey.materials_done()
    journey.sign(SIGNATURE)
    journey.choose_channel("locker")
    journey.agree()
    language[0] = "en_US"                   # the citizen switched to English before submitting
    journey.submit()
    (_, receipt), (_, letter) = services.printer.printed
    item, licence = journey.item, journey.materials["licence"].material
    assert receipt.language == letter.language == "en"
    assert receipt.item == letter.item == item.name.en != item.name.zh
    assert receipt.materials_deferred == letter.materials_deferred == (licence.name.en,)
    assert letter.text == journey.commitment().text.en
    assert "4 Dec 2026" in letter.text and "2026年" not in letter.text


def test_reuse_certificate_on_file(services):
    journey = start(services, "T-YLJG-004")
    journey.set_value("uscc", "91350100M000100Y43")
    journey.set_value("opening_date", "2027-01-05")
    journey.next_page()
    journey.use_on_file("licence", "CERT1")
    journey.start_scan("floor_plan")
    services.scanner.last.set_result(scanned())
    journey.materials_done()
    assert journey.state is S.REVIEW
    payload, _blobs = journey.build_submission()
    reused = next(m for m in payload["materials"] if m["code"] == "licence")
    assert reused == {"code": "licence", "status": "reused", "blobs": [],
                      "certificate_id": "CERT1"}


def test_a_scan_of_a_certificate_type_asks_to_keep_it_on_file(services):
    """零材料: the consent is asked, never assumed; it travels with the scan only, and
    supplying the material another way forgets it."""
    journey = start(services, "T-YLJG-004")
    journey.set_value("uscc", "91350100M000100Y43")
    journey.set_value("opening_date", "2027-01-05")
    journey.next_page()
    with pytest.raises(JourneyActionRefused):
        journey.keep_on_file("licence", True)         # nothing scanned yet
    journey.start_scan("floor_plan")
    services.scanner.last.set_result(scanned())
    with pytest.raises(JourneyActionRefused):
        journey.keep_on_file("floor_plan", True)      # no certificate type: not kept
    journey.skip("staff_list")
    journey.start_scan("licence")
    services.scanner.last.set_result(scanned())
    assert journey.materials["licence"].keep_on_file is None    # asked on screen
    payload, _blobs = journey.build_submission()
    assert all("keep_on_file" not in m for m in payload["materials"])   # unanswered: no
    journey.keep_on_file("licence", True)
    payload, _blobs = journey.build_submission()
    assert {m["code"]: m.get("keep_on_file") for m in payload["materials"]} == {
        "licence": True, "floor_plan": None, "staff_list": None}
    journey.use_on_file("licence", "CERT1")
    assert journey.materials["licence"].keep_on_file is None
    journey.undo("licence")
    journey.start_scan("licence")
    services.scanner.last.set_result(scanned())
    journey.keep_on_file("licence", False)
    journey.materials_done()
    journey.submit()
    assert journey.state is S.RECEIPT
    sent = services.events.items[0][1]["materials"]
    assert all("keep_on_file" not in m for m in sent)


def test_no_consent_asked_of_a_district_that_does_not_keep_scans(services):
    """An older district would refuse the field: the question is not asked at all."""
    services.server_features = lambda: frozenset()
    journey = start(services, "T-YLJG-004")
    journey.set_value("uscc", "91350100M000100Y43")
    journey.set_value("opening_date", "2027-01-05")
    journey.next_page()
    journey.start_scan("licence")
    services.scanner.last.set_result(scanned())
    assert not journey.may_keep_on_file(journey.materials["licence"])
    with pytest.raises(JourneyActionRefused):
        journey.keep_on_file("licence", True)


def test_offline_apply_still_submits_and_no_certificates(catalogue, test_clock):
    services = make_services(catalogue, test_clock, citizen=FakeCitizen(online=False))
    journey = start(services, "T-QZDJ-002")
    assert journey.certificates == []
    journey.set_value("dog_breed", "small")
    journey.set_value("dog_age", "31")
    journey.next_page()
    assert journey.errors["dog_age"].zh == "犬龄（岁）应在0到30之间"
    journey.set_value("dog_age", "3")
    journey.next_page()
    journey.start_scan("vaccine")
    services.scanner.last.set_result(scanned())
    journey.materials_done()
    journey.submit()
    assert journey.state is S.RECEIPT
    assert services.events.items[0][1]["form_data"]["dog_age"] == 3
    assert services.pending.recorded == [(RESIDENT.id_number, "kiosk-1", "T-QZDJ-002")]


def test_no_printer_gives_the_receipt_by_qr(catalogue, test_clock):
    services = make_services(catalogue, test_clock,
                             role_usable=lambda role: role != "receipt_printer")
    journey = start(services, "T-SBZM-005")
    journey.next_page()
    journey.submit()
    assert journey.state is S.RECEIPT and journey.print_status == "no_printer"
    assert "/case/kiosk-1?t=" in journey.case_url()


def test_printer_failure_is_reported_not_fatal(catalogue, test_clock):
    services = make_services(catalogue, test_clock, printer=FakePrinter(fail=True))
    journey = start(services, "T-SBZM-005")
    journey.next_page()
    journey.submit()
    assert journey.state is S.RECEIPT and journey.print_status == "failed"


def test_scanner_down_says_so(catalogue, test_clock):
    services = make_services(catalogue, test_clock,
                             role_usable=lambda role: role != "document_camera")
    journey = at_the_dog_registrations_materials(services)
    journey.start_scan("vaccine")
    assert journey.state is S.MATERIALS and journey.problem == "scanner_down"


def test_the_scan_shows_what_the_camera_sees_and_can_be_taken_at_once(services):
    from kiosk.journeys.ports import ScanView
    journey = at_the_dog_registrations_materials(services)
    journey.start_scan("vaccine")
    counting = ScanView(((0.3, 0.1), (0.7, 0.1), (0.7, 0.9), (0.3, 0.9)), (), 2)
    services.scanner.on_view(counting)
    assert journey.scan_view == counting
    journey.take_picture()
    assert services.scanner.taken_now == 1
    services.scanner.last.set_result(scanned())
    assert journey.state is S.MATERIALS and journey.scan_view == ScanView()
    assert journey.materials["vaccine"].status == "provided"


def test_storage_unavailable_is_said_and_retry_works(services):
    journey = start(services, "T-SBZM-005")
    journey.next_page()
    services.events.broken = True
    journey.submit()
    assert journey.state is S.SUBMIT_FAILED and journey.problem == "storage_unavailable"
    services.events.broken = False
    journey.submit()
    assert journey.state is S.RECEIPT


def test_face_failure_in_apply_leads_to_staff_and_wipes_on_home(services):
    journey = ApplyJourney(services)
    journey.choose_item("T-JZZ-001")
    journey.apply_now()
    journey.identify.choose_resident_id()
    services.documents.last.set_result(RESIDENT)
    journey.identify.accept_face_check()
    for _ in range(services.settings.face_attempts):
        services.face.last.set_result(FaceOutcome(False, True, "no_match"))
        if journey.identify.state.value == "face_failed":
            journey.identify.retry_face()
    assert journey.identify.state.value == "staff"
    assert journey.personal_data_present() == ["identify.document"]
    journey.cancel()
    assert journey.personal_data_present() == []


def test_every_kiosk_item_of_the_test_catalogue_can_be_submitted(catalogue, test_clock):
    from tests.kiosk.journeys.walk import apply_item
    for item in catalogue.kiosk_items():
        services = make_services(catalogue, test_clock)
        payload = apply_item(services, item)
        ApplicationPayload.model_validate({**payload, "materials": [
            dict(m, blobs=["0" * 64] * len(m["blobs"])) for m in payload["materials"]],
            "commitment": payload["commitment"] and dict(payload["commitment"],
                                                         signature_blob="0" * 64)})


def test_every_kiosk_item_of_the_demo_catalogue_can_be_submitted(test_clock):
    from kiosk.catalogue import load_catalogue
    from tests.kiosk.journeys.walk import apply_item
    demo = load_catalogue()
    assert len(demo.kiosk_items()) >= 20
    for item in demo.kiosk_items():
        services = make_services(demo, test_clock)
        payload = apply_item(services, item)
        assert payload["service_code"] == item.task_code
