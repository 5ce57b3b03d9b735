import pytest

from devices.model import InvalidData, UserError
from kiosk.journeys.identify import IdentifyJourney, IdentifyState as S, mrz_key_from_code
from kiosk.journeys.ports import CitizenDocument, FaceGuidance, FaceOutcome
from tests.kiosk.journeys.fakes import PASSPORT, RESIDENT, FakeCitizen, make_services


@pytest.fixture
def services(catalogue, test_clock):
    return make_services(catalogue, test_clock)


def test_resident_card_and_face(services):
    journey = IdentifyJourney(services)
    seen = []
    journey.subscribe(lambda j: seen.append(j.state))
    journey.choose_resident_id()
    assert journey.state is S.READ_ID_CARD and journey.step() == (1, 2)
    services.documents.last.set_result(RESIDENT)
    assert journey.state is S.FACE_CONSENT and journey.step() == (2, 2)
    assert services.face.futures == []                # no camera before the consent
    journey.accept_face_check()
    assert journey.state is S.FACE_CHECK and journey.step() == (2, 2)
    assert services.face.reference == RESIDENT.photo
    services.face.on_guidance(FaceGuidance("move_closer", 0.2))
    assert journey.guidance.instruction == "move_closer"
    services.face.last.set_result(FaceOutcome(True, True))
    assert journey.state is S.IDENTIFIED
    assert journey.identified.id_number == RESIDENT.id_number
    assert journey.identified.method == "document+face"
    assert journey.document.masked_name == "王*明"
    assert S.IDENTIFIED in seen


def test_passport_with_typed_mrz_key(services):
    journey = IdentifyJourney(services)
    journey.choose_passport()
    journey.enter_mrz("E1234567", "901301", "300101")     # month 13
    assert journey.state is S.ENTER_MRZ and journey.problem == "mrz_invalid_birth_date"
    journey.enter_mrz("e1234567 8", "900101", "300101")
    assert journey.state is S.READ_PASSPORT
    assert services.documents.keys[-1].document_number == "E12345678"
    services.documents.last.set_result(PASSPORT)
    journey.accept_face_check()
    assert journey.state is S.FACE_CHECK


def test_passport_key_read_from_a_code(services):
    journey = IdentifyJourney(services)
    journey.choose_passport()
    journey.scan_mrz()
    assert journey.state is S.SCAN_MRZ
    services.codes.last.set_result("L898902C<3UTO6908061F9406236ZE184226B<<<<<14")
    assert journey.state is S.READ_PASSPORT
    key = services.documents.keys[-1]
    assert (key.document_number, key.birth_date, key.expiry_date) == \
        ("L898902C", "690806", "940623")


def test_a_code_without_mrz_says_so(services):
    journey = IdentifyJourney(services)
    journey.choose_passport()
    journey.scan_mrz()
    services.codes.last.set_result("https://example.com")
    assert journey.state is S.ENTER_MRZ and journey.problem == "code_not_mrz"


def test_mrz_key_formats():
    assert mrz_key_from_code("E12345678:900101:300101").document_number == "E12345678"
    td1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
           "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
    key = mrz_key_from_code("\n".join(td1))
    assert (key.document_number, key.birth_date, key.expiry_date) == \
        ("D23145890", "740812", "120415")
    with pytest.raises(ValueError):
        mrz_key_from_code("hello")


@pytest.mark.parametrize("error, problem", [
    (UserError("card removed"), "read_try_again"),
    (InvalidData("bad TLV"), "read_unreadable"),
    (RuntimeError("driver"), "read_fault"),
])
def test_read_failures_keep_the_citizen_going(services, error, problem):
    journey = IdentifyJourney(services)
    journey.choose_resident_id()
    services.documents.last.set_exception(error)
    assert journey.state is S.READ_FAILED and journey.problem == problem
    journey.choose_resident_id()
    assert journey.state is S.READ_ID_CARD


def test_wrong_mrz_key_is_named(services):
    journey = IdentifyJourney(services)
    journey.choose_passport()
    journey.enter_mrz("E12345678", "900101", "300101")
    services.documents.last.set_exception(UserError("BAC failed"))
    assert journey.problem == "read_wrong_key" and journey.mrz_key is None


def test_card_without_photo_uses_the_reference_photo(services):
    journey = IdentifyJourney(services)
    journey.choose_resident_id()
    services.documents.last.set_result(CitizenDocument("resident_id", "1", "李四", photo=None))
    assert journey.state is S.FACE_CONSENT and journey.reference_photo is None
    journey.accept_face_check()
    assert journey.state is S.FACE_CHECK
    assert services.face.reference == b"\xff\xd8reference"


def test_offline_without_photo_says_so_and_offers_staff(catalogue, test_clock):
    services = make_services(catalogue, test_clock, citizen=FakeCitizen(online=False))
    journey = IdentifyJourney(services)
    journey.choose_resident_id()
    services.documents.last.set_result(CitizenDocument("resident_id", "1", "李四", photo=None))
    journey.accept_face_check()
    assert journey.state is S.NO_PHOTO and journey.problem == "no_photo_offline"
    journey.call_staff()
    assert journey.state is S.STAFF
    # offline: the call is queued for statistics, the referral still prints
    assert services.events.items[-1][0] == "staff_call"
    assert services.printer.printed[-1][0] == "referral"


def test_staff_path_after_n_face_failures(services):
    journey = IdentifyJourney(services)
    journey.choose_resident_id()
    services.documents.last.set_result(RESIDENT)
    journey.accept_face_check()
    for attempt in range(1, services.settings.face_attempts):
        services.face.last.set_result(FaceOutcome(False, True, "no_match"))
        assert journey.state is S.FACE_FAILED and journey.face_attempts == attempt
        journey.retry_face()
    services.face.last.set_result(FaceOutcome(False, False, "not_live"))
    assert journey.state is S.STAFF and journey.problem == "face_failed"
    assert journey.staff_position == 2
    assert services.citizen.staff_calls == ["identity_failed"]
    assert journey.reference_photo is None


def test_declining_the_face_check_leads_to_staff(services):
    journey = IdentifyJourney(services)
    journey.choose_resident_id()
    services.documents.last.set_result(RESIDENT)
    assert journey.state is S.FACE_CONSENT
    journey.decline_face_check()
    assert journey.state is S.STAFF and journey.problem == "consent_declined"
    assert services.face.futures == []                 # the camera never started
    assert services.citizen.staff_calls == ["identity_failed"]
    assert services.printer.printed[-1][0] == "referral"
    journey.cancel()
    assert journey.personal_data_present() == []


def test_camera_down_goes_to_staff(catalogue, test_clock):
    services = make_services(catalogue, test_clock,
                             role_usable=lambda role: role != "face_camera")
    journey = IdentifyJourney(services)
    journey.choose_resident_id()
    services.documents.last.set_result(RESIDENT)
    assert journey.state is S.STAFF and journey.problem == "camera_down"


def test_no_printer_staff_path_still_calls(catalogue, test_clock):
    services = make_services(catalogue, test_clock, printer=None)
    journey = IdentifyJourney(services)
    journey.call_staff("help")
    assert journey.state is S.STAFF and services.citizen.staff_calls == ["help"]


def test_a_late_card_read_after_cancel_brings_nothing_back(services):
    journey = IdentifyJourney(services)
    journey.choose_resident_id()
    reading = services.documents.last
    journey.cancel()
    assert services.documents.cancels >= 1
    reading.set_result(RESIDENT)
    assert journey.state is S.ENDED and journey.personal_data_present() == []


def test_back_abandons_the_read(services):
    journey = IdentifyJourney(services)
    journey.choose_resident_id()
    reading = services.documents.last
    journey.back()
    reading.set_result(RESIDENT)
    assert journey.state is S.CHOOSE_DOCUMENT and journey.document is None
