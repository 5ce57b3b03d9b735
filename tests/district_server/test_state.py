"""Desired state (signed, ETag/304, moves with its content, the next receipt key announced),
reported state as deltas, the published catalogue bytes matching the signed hash."""
from __future__ import annotations

import hashlib

import pytest
from pydantic import ValidationError

from district_server.cases.models import Parcel
from district_server.cases.service import assign_parcel
from tests.district_server.conftest import enrolled_kiosk
from tests.district_server.kiosk_double import application
from wire import v1


def desired(kiosk, etag: str | None = None, *, features: str = ""):
    headers = {**({"If-None-Match": etag} if etag else {}),
               **({v1.HEADER_FEATURES: features} if features else {})} or None
    return kiosk.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/desired-state", headers=headers)


def test_desired_state_is_signed_and_cached_by_etag(kiosk):
    first = desired(kiosk)
    assert first.status_code == 200
    signed = v1.SignedDesiredState.model_validate_json(first.content)
    # over the state as received (wire.v1.signed_message): a field left out stays out
    assert kiosk.verify_district_signature(first.json()["state"], signed.signature_b64)
    assert signed.state.catalogue_version == "2026.11.1"
    assert signed.state.holder_hmac_key_id == kiosk.district.holder_hmac_key_id
    assert first.headers["ETag"] == f'"{signed.state.version}"'
    unchanged = desired(kiosk, first.headers["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""


def test_catalogue_bytes_match_the_signed_hash(kiosk):
    state = v1.SignedDesiredState.model_validate_json(desired(kiosk).content).state
    response = kiosk.request("GET", f"/v1/catalogue/{state.catalogue_version}")
    assert response.status_code == 200
    assert v1.sha256_hex(response.content) == state.catalogue_sha256
    catalogue = v1.Catalogue.model_validate_json(response.content)
    assert len(catalogue.items) >= 20
    assert kiosk.request("GET", "/v1/catalogue/1999.1").status_code == 404


def parcel_for_a_new_case(kiosk, ctx, parcel_id: str, size: str) -> str:
    """The kiosk submits an application; its result is assigned to the kiosk's lockers by
    size (pickup code 483920). Returns the case number."""
    photo = kiosk.upload_blob(kiosk.encrypt_blob(b"photo"))
    number = kiosk.put(kiosk.envelope("submission", application(photo_blob=photo),
                                      blobs=[photo])).json()["receipt"]["case_number"]
    with ctx.db.transaction() as session:
        assign_parcel(session, parcel_id=parcel_id, kiosk_id=kiosk.kiosk_id, locker="lockers",
                      size=size, case_number=number, code="483920", items=["居住证"],
                      now=ctx.now())
    return number


def test_a_parcel_in_the_locker_moves_the_desired_state_on(kiosk, ctx):
    fill = v1.FEATURE_LOCKER_FILL
    first = desired(kiosk, features=fill)
    number = parcel_for_a_new_case(kiosk, ctx, "P0001", "L")
    changed = desired(kiosk, first.headers["ETag"], features=fill)
    assert changed.status_code == 200
    state = v1.SignedDesiredState.model_validate_json(changed.content).state
    assert state.version == int(first.headers["ETag"].strip('"')) + 1
    [assignment] = state.locker_assignments
    assert (assignment.size, assignment.compartment) == ("L", None)
    scheme, n, r, p, salt, digest = assignment.code_hash.split("$")
    assert hashlib.scrypt(b"483920", salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                          dklen=32).hex() == digest
    assert "483920" not in changed.text and assignment.items == ["居住证"]
    assert assignment.holder_hmac == v1.holder_hmac(
        v1.b64decode_strict(kiosk.district.holder_hmac_key), "11010519491231002X")
    # a kiosk of the previous release cannot fill by size: it is not given the parcel
    assert v1.SignedDesiredState.model_validate_json(
        desired(kiosk).content).state.locker_assignments == []
    # The payloads exactly as kiosk/pickup.py sends them.
    stored = kiosk.envelope("deposit", {"parcel_id": "P0001", "compartment": 7,
                                        "outcome": "stored", "staff_id": "staff-017",
                                        "at": "2026-11-26T11:00:00+08:00"})
    assert kiosk.put(stored).status_code == 201
    assert v1.SignedDesiredState.model_validate_json(
        desired(kiosk, features=fill).content).state.locker_assignments == []
    picked = kiosk.envelope("pickup", {"parcel_id": "P0001", "case_number": number,
                                       "compartment": 7, "verification": "pickup_code",
                                       "picked_at": "2026-11-26T12:00:00+08:00"})
    assert kiosk.put(picked).status_code == 201
    with ctx.db.transaction() as session:
        parcel = session.get(Parcel, "P0001")
        assert (parcel.state, parcel.compartment) == ("collected", 7)


def test_another_kiosk_cannot_fill_or_collect_a_parcel(kiosk, ctx, client):
    parcel_for_a_new_case(kiosk, ctx, "P0002", "M")
    other = enrolled_kiosk(ctx, client, "kiosk-other-1")
    assert v1.SignedDesiredState.model_validate_json(desired(
        other, features=v1.FEATURE_LOCKER_FILL).content).state.locker_assignments == []
    stored = other.envelope("deposit", {"parcel_id": "P0002", "compartment": 1,
                                        "outcome": "stored", "staff_id": "staff-017",
                                        "at": "2026-11-26T11:00:00+08:00"})
    assert other.put(stored).status_code == 422
    picked = other.envelope("pickup", {"parcel_id": "P0002", "compartment": 1,
                                       "verification": "pickup_code",
                                       "picked_at": "2026-11-26T12:00:00+08:00"})
    assert other.put(picked).status_code == 422
    with ctx.db.transaction() as session:
        assert session.get(Parcel, "P0002").state == "assigned"


def test_reported_state_merges_deltas(kiosk):
    target = f"/v1/kiosks/{kiosk.kiosk_id}/state"
    first = kiosk.request("PATCH", target, {"queue_depth": 3, "devices": {
        "receipt_printer": {"availability": "online", "severity": "ok"}}})
    assert first.status_code == 200, first.text
    second = kiosk.request("PATCH", target, {"queue_depth": 0, "devices": {
        "lockers": {"availability": "hardwareError", "severity": "error", "detail": "door 7"}}})
    reported = second.json()["reported"]
    assert reported["queue_depth"] == 0
    assert set(reported["devices"]) == {"receipt_printer", "lockers"}
    assert kiosk.request("PATCH", target, {"unknown_field": 1}).status_code == 422


def test_pushed_configuration_is_allow_listed(kiosk, ctx):
    from district_server.app import build_context
    from district_server.kiosk_config import service as kiosk_config
    with pytest.raises(ValidationError, match="not allowed to push remotely"):
        ctx.settings.model_validate({**ctx.settings.model_dump(),
                                     "kiosk_config": {"server.url": "http://elsewhere"}})
    with ctx.db.transaction() as session, \
            pytest.raises(kiosk_config.ConfigInvalid, match="not allowed to push remotely"):
        kiosk_config.store(session, {"server.url": "http://elsewhere"}, now=ctx.now(),
                           source="test")
    before = v1.SignedDesiredState.model_validate_json(
        desired(kiosk, features=v1.FEATURE_CONFIG_NUMBER).content).state
    # the settings' configuration, changed, is a new version published at the next start
    build_context(ctx.settings.model_copy(update={
        "kiosk_config": {"session.idle_timeout_s": 120}})).db.dispose()
    state = v1.SignedDesiredState.model_validate_json(
        desired(kiosk, features=v1.FEATURE_CONFIG_NUMBER).content).state
    assert state.config == {"session.idle_timeout_s": 120}
    assert state.config_number == before.config_number + 1
    older_kiosk = v1.SignedDesiredState.model_validate_json(desired(kiosk).content).state
    assert older_kiosk.config_number is None and older_kiosk.config == state.config


def test_the_halls_staff_go_to_its_kiosks_and_a_revoked_person_is_refused_after_a_sync(
        kiosk, ctx, tmp_path, test_clock):
    """The desired state carries the hall's staff list with each person's kiosk PIN hash
    (never the web password's); a revocation moves it on, and the kiosk's entry
    (kiosk.staff_access) refuses that person. The previous release, which requires a hash
    per person, gets the PIN hash in its field and only the people who have a PIN."""
    from district_server.staff.accounts import revoke, set_kiosk_pin
    from district_server.staff.models import StaffAccount
    from kiosk.config import load_config
    from kiosk.staff_access import Refused, StaffAccess
    from tests.district_server.conftest import STAFF_PASSWORD, add_staff
    technician = add_staff(ctx, "technician", staff_id="tech-1")
    add_staff(ctx, "clerk", staff_id="clerk-1")
    add_staff(ctx, "technician", hall_code="OTHER-HALL", staff_id="tech-elsewhere")
    with ctx.db.transaction() as session:
        set_kiosk_pin(session, technician, "314159", now=ctx.now())
        set_kiosk_pin(session, "tech-elsewhere", "271828", now=ctx.now())
        password_hashes = [a.password_hash for a in session.query(StaffAccount)]
    assert v1.SignedDesiredState.model_validate_json(desired(kiosk).content).state.staff is None
    features = f"{v1.FEATURE_KIOSK_STAFF},{v1.FEATURE_KIOSK_PIN}"
    response = desired(kiosk, features=features)
    first = v1.SignedDesiredState.model_validate_json(response.content).state
    assert {(s.staff_id, s.role, s.pin_hash is not None, s.secret_hash) for s in first.staff} \
        == {("tech-1", "technician", True, None), ("clerk-1", "hall_staff", False, None)}
    previous = desired(kiosk, features=v1.FEATURE_KIOSK_STAFF)
    [only_with_a_pin] = v1.SignedDesiredState.model_validate_json(previous.content).state.staff
    assert only_with_a_pin.staff_id == "tech-1" and only_with_a_pin.secret_hash
    for text in (response.text, previous.text):
        assert STAFF_PASSWORD not in text and not any(h in text for h in password_hashes)
    access = StaffAccess(tmp_path, load_config(None).config.maintenance, test_clock)
    access.update(first.staff)
    assert isinstance(access.check(technician, STAFF_PASSWORD), Refused)
    assert isinstance(access.check("clerk-1", ""), Refused)
    assert access.check(technician, "314159").role == "technician"
    access.update(v1.SignedDesiredState.model_validate_json(previous.content).state.staff)
    assert isinstance(access.check(technician, "314159"), Refused)   # secret_hash is not a PIN's
    with ctx.db.transaction() as session:
        revoke(session, technician, now=ctx.now())
    synced = v1.SignedDesiredState.model_validate_json(
        desired(kiosk, features=features).content).state
    assert synced.version > first.version
    access.update(synced.staff)
    assert isinstance(access.check(technician, "314159"), Refused)


def test_a_staff_card_goes_to_kiosks_that_take_it_as_a_hash_of_its_number(kiosk, ctx):
    """A registered staff card reaches the kiosks announcing FEATURE_STAFF_CARD as the salted
    hash of the ID number (never the number, nor in the audit); others get no card field."""
    from district_server.audit.models import AuditEntry
    from district_server.staff.accounts import set_staff_card
    from kiosk.pickup_secrets import verify_secret
    from tests.district_server.conftest import add_staff
    technician = add_staff(ctx, "technician", staff_id="tech-1")
    add_staff(ctx, "clerk", staff_id="clerk-1")
    with ctx.db.transaction() as session:
        set_staff_card(session, technician, " 11010519491231002x", now=ctx.now())
        details = [str(e.detail) for e in session.query(AuditEntry)
                   if e.action == "staff.card_set"]
    assert details and not any("110105" in d for d in details)
    features = f"{v1.FEATURE_KIOSK_STAFF},{v1.FEATURE_KIOSK_PIN}"
    with_cards = desired(kiosk, features=features + "," + v1.FEATURE_STAFF_CARD)
    assert "11010519491231002" not in with_cards.text
    staff = {s.staff_id: s for s in
             v1.SignedDesiredState.model_validate_json(with_cards.content).state.staff}
    assert staff["clerk-1"].card_hash is None
    assert verify_secret(v1.staff_card_secret("11010519491231002X"), staff["tech-1"].card_hash)
    older = desired(kiosk, features=features)
    assert "card_hash" not in older.text


def hall(code: str, name: str, latitude: float | None = None,
         longitude: float | None = None) -> dict:
    return {"code": code, "name": {"zh": name, "en": name}, "address": {"zh": "路", "en": "Rd"},
            "hours": {"zh": "9:00-18:00", "en": "9:00-18:00"}, "latitude": latitude,
            "longitude": longitude}


def test_the_nearest_other_halls_go_to_kiosks_that_show_them(kiosk, ctx):
    """The out-of-service screen's alternatives: the other halls of the district, nearest
    to the kiosk's hall first, placed ones before unplaced; only to a kiosk asking for them
    (an older one refuses a configuration key it does not know)."""
    from kiosk.config import load_config
    from kiosk.desired_config import apply_pushed
    ctx.settings = ctx.settings.model_validate({**ctx.settings.model_dump(), "halls": [
        hall("NOWHERE", "未定位大厅"), hall("FAR", "远的大厅", 22.60, 114.10),
        hall("FT-CENTRE", "本大厅", 22.54, 114.06), hall("NEAR", "近的大厅", 22.55, 114.06),
        hall("MIDDLE", "中间大厅", 22.50, 114.00)]})
    assert "kiosk.alternatives" not in v1.SignedDesiredState.model_validate_json(
        desired(kiosk).content).state.config
    both = f"{v1.FEATURE_KIOSK_STAFF},{v1.FEATURE_ALTERNATIVES}"
    state = v1.SignedDesiredState.model_validate_json(desired(kiosk, features=both).content).state
    pushed = state.config["kiosk.alternatives"]
    assert [h["code"] for h in pushed] == ["NEAR", "MIDDLE", "FAR"]
    assert "latitude" not in pushed[0]                 # where halls are stays at the district
    config, refused = apply_pushed(load_config(None).config, state.config)
    assert refused == {} and [h.name.zh for h in config.kiosk.alternatives] == \
        ["近的大厅", "中间大厅", "远的大厅"]


def test_the_next_receipt_key_goes_only_to_kiosks_that_take_it_and_moves_the_state_on(
        kiosk, ctx):
    rotation = v1.FEATURE_RECEIPT_KEY_ROTATION
    before = v1.SignedDesiredState.model_validate_json(desired(kiosk, features=rotation).content)
    assert before.state.next_receipt_public_key is None
    announced = ctx.keys.add_next_receipt_key()   # this test's context only
    older = desired(kiosk)   # a kiosk of the previous release would refuse the field
    assert "next_receipt_public_key" not in older.json()["state"]
    newer = desired(kiosk, f'"{before.state.version}"', features=rotation)
    assert newer.status_code == 200   # a new version: a kiosk holding the ETag fetches it
    signed = v1.SignedDesiredState.model_validate_json(newer.content)
    assert signed.state.next_receipt_public_key == announced
    assert kiosk.verify_district_signature(newer.json()["state"], signed.signature_b64)
