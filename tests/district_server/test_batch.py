"""Protocol v1.1's submission batch: one signed request, one transaction, blobs inline and
stored once by hash for their kiosk only, one outcome per submission so that a bad one
fails only itself. Every test runs on SQLite and on PostgreSQL."""
from __future__ import annotations

import base64
import json
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from district_server.blobs.models import BlobOwner
from district_server.cases.models import Case, Commitment
from district_server.kiosks.models import KioskAlarm
from district_server.submissions.models import Event, Submission
from tests.district_server.conftest import enrolled_kiosk
from tests.district_server.kiosk_double import KioskDouble, application, deferred_application
from wire import v1


def with_photo(kiosk: KioskDouble, photo_bytes: bytes = b"scanned photo receipt",
               **changes) -> tuple[v1.SubmissionEnvelope, bytes]:
    photo = kiosk.encrypt_blob(photo_bytes)
    sha = v1.sha256_hex(photo)
    return kiosk.envelope("submission", application(photo_blob=sha, **changes),
                          blobs=[sha]), photo


def post_batch(kiosk: KioskDouble, submissions: list, blobs: list[bytes] = ()):
    body = {"submissions": [json.loads(s.model_dump_json()) if hasattr(s, "model_dump_json")
                            else s for s in submissions],
            "blobs": {v1.sha256_hex(b): base64.b64encode(b).decode() for b in blobs}}
    return kiosk.request("POST", v1.PATH_SUBMISSION_BATCH, body)


def binary_body(submissions: list, blobs: list[bytes] = (), *,
                lengths: list[int] | None = None) -> bytes:
    head = {"submissions": [json.loads(s.model_dump_json()) for s in submissions],
            "blobs": [{"sha256": v1.sha256_hex(b), "length": n}
                      for b, n in zip(blobs, lengths or [len(b) for b in blobs])]}
    return v1.binary_batch_body(json.dumps(head).encode(), list(blobs))


def post_binary(kiosk: KioskDouble, body: bytes,
                content_type: str = v1.MEDIA_TYPE_BINARY_BATCH):
    return kiosk.request("POST", v1.PATH_SUBMISSION_BATCH_BINARY, body,
                         headers={"Content-Type": content_type})


def outcomes(response) -> list[dict]:
    assert response.status_code == 200, response.text
    return v1.BatchOutcomes.model_validate_json(response.content).model_dump()["outcomes"]


def submissions_stored(ctx) -> int:
    with ctx.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(Submission))


def test_health_offers_batches(client):
    offered = v1.features(client.get(v1.PATH_HEALTH).headers[v1.HEADER_SERVER_FEATURES])
    assert {v1.FEATURE_SUBMISSION_BATCH, v1.FEATURE_SUBMISSION_BATCH_BINARY} <= offered


def test_a_batch_delivers_each_submission_with_its_own_signed_receipt(kiosk, ctx):
    first, photo_1 = with_photo(kiosk, b"page one")
    second, photo_2 = with_photo(kiosk, b"page two")
    answered = outcomes(post_batch(kiosk, [first, second], [photo_1, photo_2]))
    assert [(o["submission_id"], o["status"]) for o in answered] == \
        [(first.submission_id, 201), (second.submission_id, 201)]
    for envelope, outcome in zip((first, second), answered):
        signed = v1.SignedReceipt.model_validate(outcome["body"])
        assert kiosk.verify_district_signature(outcome["body"]["receipt"], signed.signature_b64)
        assert signed.receipt.digest == v1.submission_digest(envelope)
    assert submissions_stored(ctx) == 2
    # the same batch again: the same receipts, nothing stored twice
    again = outcomes(post_batch(kiosk, [first, second], [photo_1, photo_2]))
    assert [o["status"] for o in again] == [200, 200]
    assert [o["body"] for o in again] == [o["body"] for o in answered]
    assert submissions_stored(ctx) == 2


def test_one_bad_submission_fails_only_itself(kiosk, ctx):
    good, photo = with_photo(kiosk)
    other_kiosk = kiosk.envelope("submission", application(photo_blob=v1.sha256_hex(photo)),
                                 blobs=[v1.sha256_hex(photo)])
    other_kiosk = other_kiosk.model_copy(update={"kiosk_id": "someone-else"})
    unknown_service = kiosk.envelope("submission", application(service_code="NO-SUCH-001"))
    missing_blob = kiosk.envelope("submission", application(photo_blob="ab" * 32),
                                  blobs=["ab" * 32])
    conflicting = good.model_copy(update={"created_at": good.created_at.replace(year=2025)})
    malformed = {"submission_id": "not-a-uuid"}
    answered = outcomes(post_batch(
        kiosk, [other_kiosk, unknown_service, good, missing_blob, conflicting, malformed],
        [photo]))
    assert [(o["status"], o["body"].get("error")) for o in answered] == [
        (403, "other_kiosk"), (422, answered[1]["body"]["error"]), (201, None),
        (424, "missing_blobs"), (409, "conflicting_digest"), (422, "invalid")]
    assert answered[3]["body"]["missing"] == ["ab" * 32]
    assert answered[5]["submission_id"] == "not-a-uuid"
    assert submissions_stored(ctx) == 1


def test_inline_blobs_are_stored_once_and_only_for_the_kiosk_that_sent_them(ctx, client, kiosk):
    envelope, photo = with_photo(kiosk)
    wrong = b"these bytes are not what the name says"
    wrong_sha = v1.sha256_hex(b"something else")
    named_wrongly = kiosk.envelope("submission", application(photo_blob=wrong_sha),
                                   blobs=[wrong_sha])
    body = {"submissions": [json.loads(envelope.model_dump_json()),
                            json.loads(named_wrongly.model_dump_json())],
            "blobs": {v1.sha256_hex(photo): base64.b64encode(photo).decode(),
                      wrong_sha: base64.b64encode(wrong).decode()}}
    answered = outcomes(kiosk.request("POST", v1.PATH_SUBMISSION_BATCH, body))
    assert [o["status"] for o in answered] == [201, 424]
    assert ctx.blobs.read(v1.sha256_hex(photo)) == photo
    assert not ctx.blobs.path(wrong_sha).exists()
    other = enrolled_kiosk(ctx, client, "test-kiosk-002")
    reuse = other.envelope("submission", application(photo_blob=v1.sha256_hex(photo)),
                           blobs=[v1.sha256_hex(photo)])
    assert [o["status"] for o in outcomes(post_batch(other, [reuse]))] == [424]
    assert [o["status"] for o in outcomes(post_batch(other, [reuse], [photo]))] == [201]
    with ctx.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(BlobOwner)) == 2


def test_the_signature_covers_the_bytes_received(kiosk, ctx):
    envelope, photo = with_photo(kiosk)
    body = json.dumps({"submissions": [json.loads(envelope.model_dump_json())],
                       "blobs": {}}).encode()
    headers = kiosk.signed_headers("POST", v1.PATH_SUBMISSION_BATCH, body)
    tampered = body + b"\n"  # the same JSON, other bytes
    response = kiosk.client.post(v1.PATH_SUBMISSION_BATCH, content=tampered,
                                 headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 401 and response.json()["error"] == "bad_signature"
    assert submissions_stored(ctx) == 0


@contextmanager
def server_with(tmp_path, db_url, template, **settings):
    """(context, client) of a server with these settings."""
    from fastapi.testclient import TestClient

    from district_server.app import build_context, create_app
    from tests.district_server.conftest import make_settings
    made = make_settings(tmp_path, db_url, template, **settings)
    ctx = build_context(made)
    with TestClient(create_app(made, context=ctx)) as client:
        yield ctx, client


def test_a_server_not_offering_batches_answers_404_and_v1_still_works(tmp_path, db_url,
                                                                     template):
    with server_with(tmp_path, db_url, template, submission_batches=False) as (ctx, client):
        assert v1.FEATURE_SUBMISSION_BATCH not in v1.features(
            client.get(v1.PATH_HEALTH).headers[v1.HEADER_SERVER_FEATURES])
        kiosk = enrolled_kiosk(ctx, client)
        envelope, photo = with_photo(kiosk)
        assert post_batch(kiosk, [envelope], [photo]).status_code == 404
        kiosk.upload_blob(photo)
        assert kiosk.put(envelope).status_code == 201


def test_a_binary_batch_carries_raw_blob_bytes_checked_against_their_names(kiosk, ctx):
    first, photo_1 = with_photo(kiosk, b"page one")
    second, photo_2 = with_photo(kiosk, b"page two")
    wrong_sha = v1.sha256_hex(b"something else")
    named_wrongly = kiosk.envelope("submission", application(photo_blob=wrong_sha),
                                   blobs=[wrong_sha])
    head = {"submissions": [json.loads(e.model_dump_json())
                            for e in (first, second, named_wrongly)],
            "blobs": [{"sha256": v1.sha256_hex(photo_1), "length": len(photo_1)},
                      {"sha256": v1.sha256_hex(photo_2), "length": len(photo_2)},
                      {"sha256": wrong_sha, "length": 6}]}
    body = v1.binary_batch_body(json.dumps(head).encode(), [photo_1, photo_2, b"forged"])
    answered = outcomes(post_binary(kiosk, body))
    assert [(o["submission_id"], o["status"]) for o in answered] == [
        (first.submission_id, 201), (second.submission_id, 201),
        (named_wrongly.submission_id, 424)]
    for envelope, outcome in zip((first, second), answered):
        signed = v1.SignedReceipt.model_validate(outcome["body"])
        assert kiosk.verify_district_signature(outcome["body"]["receipt"], signed.signature_b64)
        assert signed.receipt.digest == v1.submission_digest(envelope)
    assert ctx.blobs.read(v1.sha256_hex(photo_1)) == photo_1
    assert ctx.blobs.read(v1.sha256_hex(photo_2)) == photo_2
    assert not ctx.blobs.path(wrong_sha).exists()
    # the same batch as JSON: the same receipts
    again = outcomes(post_batch(kiosk, [first, second], [photo_1, photo_2]))
    assert [o["body"] for o in again] == [o["body"] for o in answered[:2]]
    assert submissions_stored(ctx) == 2


@pytest.mark.parametrize("framing", ["head_past_the_end", "blob_bytes_short",
                                     "blob_bytes_left_over", "blob_named_twice", "no_head"])
def test_a_binary_batch_framed_wrongly_is_a_400_and_stores_nothing(kiosk, ctx, framing):
    envelope, photo = with_photo(kiosk)
    body = {
        "head_past_the_end": (10_000).to_bytes(4, "big") + b'{"submissions":[]}',
        "blob_bytes_short": binary_body([envelope], [photo], lengths=[len(photo) + 1]),
        "blob_bytes_left_over": binary_body([envelope], [photo]) + b"x",
        "blob_named_twice": binary_body([envelope], [photo, photo]),
        "no_head": b"\x00\x00",
    }[framing]
    response = post_binary(kiosk, body)
    assert response.status_code == 400 and response.json()["error"] == "bad_framing"
    assert response.json()["detail"]
    assert submissions_stored(ctx) == 0
    assert not ctx.blobs.path(v1.sha256_hex(photo)).exists()
    # the kiosk, told why, sends it right and loses nothing
    assert [o["status"] for o in outcomes(post_binary(kiosk, binary_body([envelope], [photo])))
            ] == [201]


def test_a_binary_batch_with_a_head_that_is_no_batch_is_a_422(kiosk, ctx):
    response = post_binary(kiosk, v1.binary_batch_body(b'{"submissions":"none"}', []))
    assert response.status_code == 422 and "submissions" in response.json()["detail"]
    assert submissions_stored(ctx) == 0


def test_a_binary_batch_needs_its_media_type(kiosk, ctx):
    envelope, photo = with_photo(kiosk)
    response = post_binary(kiosk, binary_body([envelope], [photo]),
                           content_type="application/json")
    assert response.status_code == 415
    assert v1.MEDIA_TYPE_BINARY_BATCH in response.json()["detail"]
    assert submissions_stored(ctx) == 0


def test_the_signature_of_a_binary_batch_covers_the_blob_bytes(kiosk, ctx):
    envelope, photo = with_photo(kiosk)
    body = binary_body([envelope], [photo])
    headers = kiosk.signed_headers("POST", v1.PATH_SUBMISSION_BATCH_BINARY, body)
    tampered = body[:-1] + bytes([body[-1] ^ 1])
    response = kiosk.client.post(v1.PATH_SUBMISSION_BATCH_BINARY, content=tampered,
                                 headers={**headers,
                                          "Content-Type": v1.MEDIA_TYPE_BINARY_BATCH})
    assert response.status_code == 401 and response.json()["error"] == "bad_signature"
    assert submissions_stored(ctx) == 0


def test_a_server_taking_batches_as_json_only_answers_404_to_raw_bytes(tmp_path, db_url,
                                                                      template):
    with server_with(tmp_path, db_url, template,
                     binary_submission_batches=False) as (ctx, client):
        offered = v1.features(client.get(v1.PATH_HEALTH).headers[v1.HEADER_SERVER_FEATURES])
        assert v1.FEATURE_SUBMISSION_BATCH in offered
        assert v1.FEATURE_SUBMISSION_BATCH_BINARY not in offered
        kiosk = enrolled_kiosk(ctx, client)
        envelope, photo = with_photo(kiosk)
        assert post_binary(kiosk, binary_body([envelope], [photo])).status_code == 404
        assert [o["status"] for o in outcomes(post_batch(kiosk, [envelope], [photo]))] == [201]


def sequence_gap(ctx, kiosk_id: str) -> KioskAlarm | None:
    with ctx.db.transaction() as session:
        alarm = session.get(KioskAlarm, (kiosk_id, "sequence_gap"))
        session.expunge_all()
        return alarm


def test_a_gap_inside_a_batch_raises_the_alarm_and_the_batch_that_fills_it_clears_it(kiosk,
                                                                                     ctx):
    rating = {"level": 5, "indicator_set_version": "v", "rated_at": "2026-11-26T10:00:00Z"}
    envelopes = {seq: kiosk.envelope("rating", rating, seq=seq) for seq in range(1, 8)}
    assert [o["status"] for o in outcomes(post_batch(kiosk, [envelopes[s] for s in (1, 2)]))
            ] == [201, 201]
    assert sequence_gap(ctx, kiosk.kiosk_id) is None
    assert [o["status"] for o in outcomes(post_batch(
        kiosk, [envelopes[s] for s in (3, 5, 6)]))] == [201, 201, 201]
    alarm = sequence_gap(ctx, kiosk.kiosk_id)
    assert alarm.resolved_at is None and "kiosk_seq 4 missing" in alarm.detail
    # a replay of what is held, and the missing one: the gap closes
    assert [o["status"] for o in outcomes(post_batch(
        kiosk, [envelopes[s] for s in (3, 4, 7)]))] == [200, 201, 201]
    assert sequence_gap(ctx, kiosk.kiosk_id).resolved_at is not None


def test_a_batch_that_starts_a_kiosk_s_sequence_after_later_ones_clears_the_alarm(kiosk, ctx):
    rating = {"level": 5, "indicator_set_version": "v", "rated_at": "2026-11-26T10:00:00Z"}
    envelopes = {seq: kiosk.envelope("rating", rating, seq=seq) for seq in range(1, 5)}
    assert [o["status"] for o in outcomes(post_batch(kiosk, [envelopes[3], envelopes[4]]))
            ] == [201, 201]
    assert "kiosk_seq 1 missing" in sequence_gap(ctx, kiosk.kiosk_id).detail
    assert [o["status"] for o in outcomes(post_batch(kiosk, [envelopes[1], envelopes[2]]))
            ] == [201, 201]
    assert sequence_gap(ctx, kiosk.kiosk_id).resolved_at is not None


@contextmanager
def statements(ctx):
    """The SQL statements the server runs meanwhile (their text, first line)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        seen.append(statement.lstrip().split("\n")[0])
    event.listen(ctx.db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", record)


def test_a_batch_s_new_submissions_and_their_rows_are_written_together(kiosk, ctx):
    """Applications (one with a 容缺 commitment) and an event: one INSERT a table, one
    UPDATE for the receipts, whatever the number of items."""
    first, photo_1 = with_photo(kiosk, b"page one")
    second, photo_2 = with_photo(kiosk, b"page two")
    owing, signature = deferred_application(kiosk)
    deferred = kiosk.envelope("submission", owing, blobs=[signature])
    ticket = kiosk.envelope("ticket", {"ticket_no": "A017", "category": "general",
                                       "printed_at": "2026-11-26T10:00:00Z"})
    with statements(ctx) as seen:
        answered = outcomes(post_binary(kiosk, binary_body(
            [first, second, deferred, ticket], [photo_1, photo_2])))
    assert [o["status"] for o in answered] == [201, 201, 201, 201]
    inserts = [s for s in seen if s.startswith("INSERT INTO")]
    for table in ("submissions", "cases", "commitments", "events"):
        assert sum(s.startswith(f"INSERT INTO {table} ") for s in inserts) == 1, inserts
    assert sum(s.startswith("UPDATE submissions ") for s in seen) == 1
    with ctx.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Commitment)) == 1
        assert session.scalar(select(func.count()).select_from(Event)) == 1
        cases_opened = {row.case_number: row.submission_id for row in session.execute(
            select(Case.case_number, Case.submission_id))}
        stored = {row.submission_id: row for row in session.scalars(select(Submission))}
    assert set(cases_opened.values()) == {first.submission_id, second.submission_id,
                                          deferred.submission_id}
    for envelope, outcome in zip((first, second, deferred, ticket), answered):
        receipt = outcome["body"]["receipt"]
        assert kiosk.verify_district_signature(receipt, outcome["body"]["signature_b64"])
        assert receipt["server_seq"] == stored[envelope.submission_id].server_seq
        assert json.loads(stored[envelope.submission_id].receipt) == receipt
        assert (receipt["case_number"] in cases_opened) == (envelope.kind == "submission")


def take_case_number(ctx, envelope: v1.SubmissionEnvelope) -> None:
    """A hall case already holding the number the envelope's application would open."""
    from datetime import datetime, timezone
    now = datetime.now(timezone.utc)
    with ctx.db.transaction() as session:
        session.add(Case(case_number=v1.case_number(envelope.kiosk_id, envelope.kiosk_seq),
                         holder_hmac="0" * 64, service_code="FT-GA-JZZ-001",
                         catalogue_version="2026.11.1", state="accepted", submitted_at=now,
                         pickup_method="window", updated_at=now))


@pytest.mark.parametrize("framing", ["binary", "json"])
def test_an_item_that_would_break_a_constraint_fails_only_itself(kiosk, ctx, framing):
    """Its case number is taken: the bulk write fails on it, the batch is recorded one by
    one and only that item is refused; the others are stored with their receipts."""
    items = [with_photo(kiosk, f"page {n}".encode()) for n in range(3)]
    envelopes, photos = [e for e, _ in items], [p for _, p in items]
    unknown_service = kiosk.envelope("submission", application(service_code="NO-SUCH-001"))
    take_case_number(ctx, envelopes[1])
    sent = [envelopes[0], unknown_service, envelopes[1], envelopes[2]]
    post = (lambda: post_binary(kiosk, binary_body(sent, photos))) if framing == "binary" \
        else (lambda: post_batch(kiosk, sent, photos))
    answered = outcomes(post())
    assert [o["status"] for o in answered] == [201, 422, 500, 201]
    assert submissions_stored(ctx) == 2
    # sent again: the stored ones answered with their receipts, the others refused again
    again = outcomes(post())
    assert [o["status"] for o in again] == [200, 422, 500, 200]
    assert [again[i]["body"] for i in (0, 3)] == [answered[i]["body"] for i in (0, 3)]
    assert submissions_stored(ctx) == 2


def test_a_binary_batch_resent_with_new_items_answers_the_stored_ones_from_their_rows(kiosk,
                                                                                      ctx):
    first, photo_1 = with_photo(kiosk, b"page one")
    second, photo_2 = with_photo(kiosk, b"page two")
    stored = outcomes(post_binary(kiosk, binary_body([first], [photo_1])))
    conflicting = first.model_copy(update={"created_at": first.created_at.replace(year=2025)})
    reused_seq = kiosk.envelope("submission", application(photo_blob=v1.sha256_hex(photo_1)),
                                blobs=[v1.sha256_hex(photo_1)], seq=first.kiosk_seq)
    answered = outcomes(post_binary(kiosk, binary_body(
        [first, second, second, conflicting, reused_seq], [photo_1, photo_2])))
    assert [(o["status"], o["body"].get("error")) for o in answered] == [
        (200, None), (201, None), (200, None), (409, "conflicting_digest"),
        (409, "kiosk_seq_reused")]
    assert answered[0]["body"] == stored[0]["body"]
    assert answered[2]["body"] == answered[1]["body"]
    assert submissions_stored(ctx) == 2
