"""零材料 end to end: a citizen scans a material at the kiosk and agrees to keep it on file;
staff accept it on the case; on the citizen's next application the kiosk offers it and the
district takes it instead of a new scan; the citizen withdraws the consent at the kiosk and
it is gone (scan file too) and no longer offered. The real kiosk core (offline queue,
encrypted at capture, signed citizen client) against the district server on loopback
(SQLite); only the document read, the face check and the page scan are the tests' fakes."""
from __future__ import annotations

import json
from concurrent.futures import Future
from datetime import date

import pytest

from foundation.clock import SystemClock
from kiosk.journeys.apply import ApplyJourney, ApplyState
from kiosk.journeys.ports import run_inline, run_now
from kiosk.journeys.query import QueryJourney, QueryState
from tests.kiosk.journeys.fakes import RESIDENT, FakeFace, FakeReader, FakeScanner, \
    identify_with_card, scanned
from tests.kiosk.journeys.walk import valid_value
from wire.v1 import CertificateOnFile, Text

RESIDENCE_PERMIT = "FT-GA-JZZ-001"   # materials id_card (resident_id), residence_proof
                                     # (lease_record), photo_receipt (no certificate type)


class Settled:
    """The real citizen client, each answer waited for before the journey sees it (the
    journey then takes it on the test's thread: no race with the assertions)."""

    def __init__(self, port) -> None:
        self._port = port

    def __getattr__(self, name):
        call = getattr(self._port, name)
        if name == "holder_assertion":
            return call

        def settled(*args) -> Future:
            future = call(*args)
            return run_inline(lambda: future.result(timeout=60))
        return settled


@pytest.fixture
def live(tmp_path):
    from district_server.settings import DEFAULT_CATALOGUE_DIR
    from kiosk.app import KioskCore
    from kiosk.config import load_config
    from kiosk.journeys.services import build_services
    from offline_queue.enrolment import enroll
    from tests.offline_queue.live_district import LiveDistrict
    clock = SystemClock()
    # no e-licence library: every certificate on file is one kept here
    with LiveDistrict(tmp_path / "district", demo_citizens=False,
                      reference_photo_provider="none",
                      catalogue_dir=DEFAULT_CATALOGUE_DIR) as district:
        loaded = load_config()
        enroll(district.url, district.enrollment_token(loaded.config.kiosk.id),
               loaded.config.kiosk.id, tmp_path / "kiosk" / "queue", clock=clock)
        core = KioskCore.create(loaded, tmp_path / "kiosk", clock=clock, with_face=False)
        core.devices.start()
        core.wait_settled()
        core.queue.worker.sync_once()      # learns what the district takes (keep-on-file)
        try:
            services = build_services(core, post=run_now, background=run_inline)
            services.citizen = Settled(services.citizen)
            yield core, services, district
        finally:
            core.devices.stop()
            core.queue.stop()


def _to_materials(services) -> ApplyJourney:
    services.documents, services.face, services.scanner = FakeReader(), FakeFace(), \
        FakeScanner()
    journey = ApplyJourney(services)
    journey.choose_item(RESIDENCE_PERMIT)
    journey.apply_now()
    identify_with_card(journey.identify)
    while journey.state is ApplyState.FORM:
        for form_field in journey.form_pages()[journey.page][1]:
            if not journey.values.get(form_field.id):
                journey.set_value(form_field.id, valid_value(form_field))
        journey.next_page()
    assert journey.state is ApplyState.MATERIALS, journey.problem
    return journey


def _scan(journey: ApplyJourney, material_id: str) -> None:
    journey.start_scan(material_id)
    journey.services.scanner.last.set_result(scanned())


def _submit(journey: ApplyJourney, core) -> tuple[dict, str]:
    journey.materials_done()
    assert journey.state is ApplyState.REVIEW, journey.problem
    payload, _blobs = journey.build_submission()
    journey.submit()
    assert journey.state is ApplyState.RECEIPT, journey.problem
    case_number = journey.case_number
    journey.finish()
    for _ in range(10):
        core.queue.worker.sync_once()
        if core.queue.outbox.counts().pending == 0:
            break
    assert core.queue.outbox.counts().pending == 0
    assert not list(core.queue.outbox.items(state="quarantined"))
    return payload, case_number


def _clerk(district):
    from district_server.roles import Role
    from district_server.staff.accounts import StaffMember
    return StaffMember("C001", "王芳", Role.clerk, district.settings.default_hall_code)


def test_a_certificate_is_captured_accepted_offered_again_and_withdrawn(live):
    from district_server.audit.models import AuditEntry
    from district_server.citizens import certificates
    from district_server.citizens.models import KeptCertificate
    from district_server.errors import ProblemError
    from district_server.staff import service as staff
    core, services, district = live
    ctx = district.app.state.ctx

    # 1. captured: both identity materials scanned; only the proof of home is to be kept
    journey = _to_materials(services)
    assert journey.certificates == []          # nothing on file yet
    _scan(journey, "residence_proof")
    journey.keep_on_file("residence_proof", True)
    _scan(journey, "id_card")
    journey.keep_on_file("id_card", False)
    _scan(journey, "photo_receipt")
    first, first_case = _submit(journey, core)
    sent = {m["code"]: m.get("keep_on_file", False) for m in first["materials"]}
    assert sent == {"residence_proof": True, "id_card": False, "photo_receipt": False}

    # 2. accepted by staff on the case (the console's path): with consent it goes on file
    keeping = certificates.Keeping("residence_proof", "福田区住房和建设局", date(2024, 3, 1),
                                   date(2099, 2, 28))
    with ctx.db.transaction() as session:
        staff.keep_certificate(session, ctx, _clerk(district), first_case, keeping)
    with pytest.raises(ProblemError) as refused, ctx.db.transaction() as session:
        staff.keep_certificate(session, ctx, _clerk(district), first_case,
                               certificates.Keeping("id_card", "x", date(2024, 3, 1), None))
    assert refused.value.error == "not_keepable"     # the citizen said no
    with ctx.db.transaction() as session:
        kept = session.query(KeptCertificate).one()
        scan_files = [ctx.blobs.path(sha) for sha in json.loads(kept.blobs_json)]
        holder = kept.holder_hmac
    assert kept.elicence_type == "lease_record" and len(scan_files) == 1
    assert scan_files[0].exists()
    assert holder == ctx.keys.holder(RESIDENT.id_number)     # keyed by the holder HMAC

    # 3. offered on the next application, and the district takes it instead of a scan
    journey = _to_materials(services)
    offered = journey.certificates_for(journey.materials["residence_proof"].material)
    assert [(c.certificate_id, c.issuer, c.valid_until, c.withdrawable) for c in offered] == [
        (kept.certificate_id, "福田区住房和建设局", date(2099, 2, 28), True)]
    assert journey.certificates_for(journey.materials["id_card"].material) == []
    journey.use_on_file("residence_proof", kept.certificate_id)
    _scan(journey, "id_card")
    _scan(journey, "photo_receipt")
    second, second_case = _submit(journey, core)
    reused = next(m for m in second["materials"] if m["code"] == "residence_proof")
    assert reused["status"] == "reused" and reused["certificate_id"] == kept.certificate_id
    with ctx.db.transaction() as session:      # staff reviewing it see the kept scan
        staff_view = staff.case_detail(session, ctx, _clerk(district), second_case)
        shown = staff.material_scan(session, ctx, _clerk(district), second_case,
                                    scan_files[0].name)
    assert staff_view.case.state.value == "accepted"
    assert shown == scanned().image

    # 4. withdrawn at the kiosk (我的办件): asked once more, then the certificate and its
    # scan are gone and nothing is offered
    query = QueryJourney(services)
    services.documents, services.face = FakeReader(), FakeFace()
    identify_with_card(query.identify)
    assert query.state is QueryState.CASES
    assert {c.case_number for c in query.cases} == {first_case, second_case}
    assert [c.certificate_id for c in query.kept] == [kept.certificate_id]
    query.withdraw_certificate(kept.certificate_id)
    query.keep_certificate()                     # not after all: nothing happens
    assert query.state is QueryState.CASES and len(query.kept) == 1
    query.withdraw_certificate(kept.certificate_id)
    query.confirm_withdraw()
    assert (query.state, query.problem, query.kept) == (QueryState.CASES,
                                                        "certificate_withdrawn", [])
    query.finish()
    with ctx.db.transaction() as session:
        assert session.query(KeptCertificate).count() == 0
        assert [e.action for e in session.query(AuditEntry).filter(
            AuditEntry.subject_hmac == holder, AuditEntry.action.like("certificate.%"))] == [
            "certificate.kept", "certificate.withdrawn"]
        details = " ".join(e.detail for e in session.query(AuditEntry))
    assert RESIDENT.id_number not in details           # the ID number never in clear
    assert not scan_files[0].exists()
    journey = _to_materials(services)
    assert journey.certificates_for(journey.materials["residence_proof"].material) == []
    assert journey.certificates == []


def test_the_district_refuses_a_certificate_not_on_file_for_the_applicant(live):
    """A kept certificate's id named by an application it does not belong to (withdrawn,
    another person's, made up) refuses the submission: it never reaches a case."""
    from district_server.cases.models import Case
    core, services, district = live
    journey = _to_materials(services)
    _scan(journey, "id_card")
    _scan(journey, "photo_receipt")
    journey.materials["residence_proof"].status = "reused"     # as a kiosk could send it
    journey.materials["residence_proof"].certificate = CertificateOnFile(
        certificate_id="kept-0123456789abcdef01234567", elicence_type="lease_record",
        name=Text(zh="房屋租赁凭证", en="Tenancy record"), number_masked="", issuer="x",
        issued_on=date(2024, 1, 1), valid_until=None, withdrawable=True)
    journey.materials_done()
    journey.submit()
    journey.finish()
    core.queue.worker.sync_once()
    refused = list(core.queue.outbox.items(state="quarantined"))
    assert len(refused) == 1 and "not on file for the applicant" in refused[0].last_error
    with district.app.state.ctx.db.transaction() as session:
        assert session.query(Case).count() == 0
