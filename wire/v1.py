"""Version 1 of the kiosk <-> district server wire protocol.

Every request and response body is a pydantic model here; the server publishes them as
its OpenAPI document and the kiosk (offline_queue/) builds and checks its requests with
them. Only pydantic and the standard library are used: the cryptography itself lives in
offline_queue/ (kiosk side) and district_server/ (server side); this module fixes the
bytes both sides sign, encrypt and hash.

Conventions
- Request bodies forbid unknown fields (a typo is a 422, not silently ignored); response
  bodies ignore them, so a kiosk of the previous release reads what a newer server sends.
- v1 grows only by optional fields (with a default, left out when unset); anything else
  (a new required field, a changed meaning) is v2.
- Signed objects (Receipt, DesiredState, CitizenAssertion) are signed with Ed25519 over
  `canonical_json(obj)`. Verify over the object exactly as received (`signed_message` of
  the raw JSON, fields this release does not know included), then parse it; never over
  the object as re-serialised from a model, which would drop or add fields.
- Times are timezone-aware UTC datetimes (naive ones are rejected); unix seconds only
  in the X-Kiosk-Timestamp header.
- Base64 is standard base64 with padding (`base64.b64encode`).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Annotated, Any, Iterable, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

# --------------------------------------------------------------------------- constants

API_VERSION = "v1"
API_PREFIX = "/v1"

#: Response header of GET /v1/health (value API_VERSION); anything else is a captive portal.
HEADER_API = "X-Kiosk-Api"
HEADER_KIOSK_ID = "X-Kiosk-Id"
HEADER_TIMESTAMP = "X-Kiosk-Timestamp"
HEADER_NONCE = "X-Kiosk-Nonce"
HEADER_SIGNATURE = "X-Kiosk-Signature"
HEADER_UPLOAD_OFFSET = "Upload-Offset"
HEADER_CHUNK_SHA256 = "X-Chunk-Sha256"
HEADER_IDEMPOTENCY_KEY = "Idempotency-Key"
#: Optional response fields a kiosk understands (comma-separated). A kiosk of the previous
#: release refuses fields it does not know, so the server adds one only when asked.
HEADER_FEATURES = "X-Kiosk-Features"
FEATURE_LAST_KIOSK_SEQ = "last-kiosk-seq"        # EnrollResponse.last_kiosk_seq
FEATURE_BACKUP_WATERMARK = "backup-watermark"    # ReceiptsPage.backup
FEATURE_KIOSK_STAFF = "kiosk-staff"              # DesiredState.staff
FEATURE_KIOSK_PIN = "kiosk-pin"                  # KioskStaff.pin_hash
FEATURE_STAFF_CARD = "staff-card"                # KioskStaff.card_hash
FEATURE_ALTERNATIVES = "alternatives"            # DesiredState.config["kiosk.alternatives"]
FEATURE_LOCKER_FILL = "locker-fill"              # LockerAssignment.size (no compartment)
#: Response header of GET /v1/health: the optional request fields this server accepts
#: (comma-separated). Requests are strict, so a kiosk sends a newer field only to a server
#: that lists it here; a server of the previous release lists nothing.
HEADER_SERVER_FEATURES = "X-District-Features"
FEATURE_FLEET_REPORT = "fleet-report"            # FLEET_REPORT_FIELDS in ReportedState
#: The server delivers remote commands (GET PATH_COMMANDS, POST PATH_COMMAND_RESULT); a kiosk
#: asks for them only from a server listing this (an older one has no such endpoint).
FEATURE_KIOSK_COMMANDS = "kiosk-commands"
FEATURE_ROLLOUT_HEALTH = "rollout-health"        # ROLLOUT_HEALTH_FIELDS in ReportedState
FEATURE_DEVICE_DETAIL = "device-detail"          # DEVICE_DETAIL_*FIELDS in ReportedState
#: Both ways: a kiosk listing it (HEADER_FEATURES) gets DesiredState.config_number; a server
#: listing it (HEADER_SERVER_FEATURES) takes CONFIG_NUMBER_FIELDS in ReportedState.
FEATURE_CONFIG_NUMBER = "config-number"
#: In HEADER_SERVER_FEATURES: the server takes BUNDLE_UPDATE_FIELDS in ReportedState. In
#: HEADER_FEATURES: the kiosk takes DesiredState.bundle_version and fetches the bundle
#: (PATH_BUNDLE_MANIFEST, PATH_BUNDLE_ARCHIVE).
FEATURE_BUNDLE_UPDATES = "bundle-updates"
#: Protocol v1.1: POST PATH_SUBMISSION_BATCH takes a SubmissionBatch. A kiosk sends batches
#: only to a server listing this; otherwise (and for blobs too large to inline) it uses v1.
FEATURE_SUBMISSION_BATCH = "submission-batch"
#: Protocol v1.1 without base64: POST PATH_SUBMISSION_BATCH_BINARY takes a binary batch body
#: (binary_batch_body). A kiosk sends one only to a server listing this; otherwise (or on a
#: 404, 405 or 415 there) it sends the JSON SubmissionBatch.
FEATURE_SUBMISSION_BATCH_BINARY = "submission-batches-binary"
FEATURE_SUPPLY_BY_SECRET = "supply-by-secret"    # CommitmentPayload.followup_secret
#: The server keeps consented scans on file (SubmittedMaterial.keep_on_file) and takes
#: PATH_CITIZEN_CERTIFICATE_WITHDRAW: a kiosk asks for the consent only then.
FEATURE_KEEP_ON_FILE = "keep-on-file"
#: Both ways: a kiosk listing it (HEADER_FEATURES) gets DesiredState.next_receipt_public_key;
#: a server listing it (HEADER_SERVER_FEATURES) takes RECEIPT_KEY_FIELDS in ReportedState.
FEATURE_RECEIPT_KEY_ROTATION = "receipt-key-rotation"
#: On GET PATH_HEALTH: the server takes a blob of up to this many bytes whole, in one
#: signed POST PATH_BLOB (201 stored, 200 already held; BlobUploadProgress), instead of
#: POST PATH_BLOB_UPLOADS and PATCHes. Absent from older servers: the kiosk uploads
#: resumably, and does for larger blobs.
HEADER_WHOLE_BLOB_MAX = "X-Kiosk-Whole-Blob-Max"

#: |server now - X-Kiosk-Timestamp| above this is 401; nonces are remembered at least this long.
SIGNATURE_WINDOW_S = 300
#: A CitizenAssertion older than this (by identified_at, server clock) is refused.
CITIZEN_ASSERTION_MAX_AGE_S = 120

#: HPKE (RFC 9180) base mode as offered by `cryptography.hazmat.primitives.hpke`:
#: Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_128_GCM), public API only (no AAD, see
#: payload_info). EncryptedPayload splits Suite.encrypt's output with split_hpke_output.
HPKE_SUITE = "DHKEM(X25519,HKDF-SHA256)/HKDF-SHA256/AES-128-GCM"
#: `Suite.encrypt` returns enc || ciphertext; enc (the X25519 ephemeral key) is this long.
HPKE_ENC_LENGTH = 32
HPKE_INFO_PREFIX = b"gov-kiosk/v1/"
#: info for blobs (content-addressed by sha256 of the HPKE output bytes, enc || ciphertext).
HPKE_BLOB_INFO = HPKE_INFO_PREFIX + b"blob"

#: Largest PUT /v1/submissions body; attachments travel as blobs.
MAX_SUBMISSION_BYTES = 1_048_576
#: Largest blob (ciphertext) and largest PATCH chunk.
MAX_BLOB_BYTES = 64 * 1_048_576
MAX_CHUNK_BYTES = 4 * 1_048_576
#: Largest POST PATH_SUBMISSION_BATCH body and most submissions in one.
MAX_BATCH_BYTES = 16 * 1_048_576
MAX_BATCH_ITEMS = 100
#: Content-Type of a binary batch body: a 4-byte big-endian length, that many bytes of
#: BinarySubmissionBatch JSON (the head), then its blobs' raw bytes in the head's order.
MEDIA_TYPE_BINARY_BATCH = "application/vnd.gov-kiosk.submission-batch"
BINARY_BATCH_HEAD_LENGTH_BYTES = 4
#: The chunk size the server advertises in BlobUploadCreated.
DEFAULT_CHUNK_BYTES = 1_048_576
#: Receipts per GET /v1/kiosks/{id}/receipts page.
RECEIPTS_PAGE_LIMIT = 500


#: Configuration keys the district may push in DesiredState.config (dotted kiosk config keys).
DESIRED_CONFIG_KEYS = frozenset({
    "kiosk.journeys", "kiosk.elder_mode", "kiosk.voice_guidance", "kiosk.language",
    "kiosk.hall_phone", "kiosk.hall_address", "kiosk.hall_address_en",
    "session.idle_timeout_s", "session.idle_warning_s",
    # a list of Hall, nearest first; only to kiosks listing FEATURE_ALTERNATIVES (the previous
    # release refuses a desired state with a key it does not know)
    "kiosk.alternatives",
})

# --------------------------------------------------------------------------- helpers


def canonical_json(obj: Any) -> bytes:
    """The bytes that are hashed and signed: JSON with sorted keys, no spaces, UTF-8.

    Models are dumped in JSON mode first (datetimes become ISO strings, UTC as 'Z')."""
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(mode="json")
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def features(header_value: str | None) -> set[str]:
    """The features a HEADER_FEATURES value lists."""
    return {part.strip() for part in (header_value or "").split(",") if part.strip()}


def signed_message(raw_signed: Any, field: str) -> bytes:
    """The bytes a signature in `raw_signed` covers: canonical JSON of `raw_signed[field]`
    exactly as received (decoded JSON, not a model), unknown fields included.

    Raises ValueError when `raw_signed` is not an object carrying that field."""
    if not isinstance(raw_signed, dict) or not isinstance(raw_signed.get(field), dict):
        raise ValueError(f"a signed object with '{field}' is expected")
    return canonical_json(raw_signed[field])


def receipt_key_fingerprint(public_key_b64: str) -> str:
    """A receipt key's short name in reports and logs: sha256 of its raw bytes, 12 hex."""
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:12]


def app_version_key(version: str) -> tuple[int, ...]:
    """Dotted app versions compared by their numbers ("0.10.0" after "0.9.2"): how
    DesiredState.min_app_version is met."""
    return tuple(int(part) for part in re.findall(r"\d+", version))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_request(method: str, path_with_query: str, timestamp: int, nonce: str,
                      body: bytes | Iterable[bytes]) -> bytes:
    """What X-Kiosk-Signature signs (Ed25519, kiosk key). `body`: the bytes, or the parts
    sent one after the other (hashed as their concatenation, which is what is received)."""
    digest = hashlib.sha256()
    for part in (body,) if isinstance(body, (bytes, bytearray, memoryview)) else body:
        digest.update(part)
    return "\n".join([method.upper(), path_with_query, str(int(timestamp)), nonce,
                      digest.hexdigest()]).encode("utf-8")


def binary_batch_parts(head: bytes, blobs: list[bytes]) -> list[bytes]:
    """A MEDIA_TYPE_BINARY_BATCH body in the parts it is sent as (a kiosk never joins its
    16 MiB of blobs into one copy): the head's length, `head` (BinarySubmissionBatch JSON,
    whose `blobs` name `blobs` in this order with their lengths), then the blobs' bytes."""
    return [len(head).to_bytes(BINARY_BATCH_HEAD_LENGTH_BYTES, "big"), head, *blobs]


def binary_batch_body(head: bytes, blobs: list[bytes]) -> bytes:
    """binary_batch_parts joined: the body as received."""
    return b"".join(binary_batch_parts(head, blobs))


def split_binary_batch(body: bytes) -> tuple[bytes, memoryview]:
    """(the head's JSON bytes, the blob bytes after it) of a MEDIA_TYPE_BINARY_BATCH body.

    Raises ValueError when the body is shorter than the head it announces."""
    if len(body) < BINARY_BATCH_HEAD_LENGTH_BYTES:
        raise ValueError("the body ends before its head's length")
    end = BINARY_BATCH_HEAD_LENGTH_BYTES + int.from_bytes(
        body[:BINARY_BATCH_HEAD_LENGTH_BYTES], "big")
    if end > len(body):
        raise ValueError(f"the head's length ({end - BINARY_BATCH_HEAD_LENGTH_BYTES} bytes) "
                         f"runs past the body's end ({len(body)} bytes)")
    view = memoryview(body)
    return bytes(view[BINARY_BATCH_HEAD_LENGTH_BYTES:end]), view[end:]


def binary_batch_blobs(head: "BinarySubmissionBatch", rest: memoryview) -> dict[str, bytes]:
    """The blobs after a binary batch's head, by the names the head gives them (not yet
    checked against their bytes). Raises ValueError when the lengths do not add up to the
    bytes after the head or a name repeats."""
    declared = sum(blob.length for blob in head.blobs)
    if declared != len(rest):
        raise ValueError(f"the head declares {declared} blob bytes, {len(rest)} follow it")
    blobs, offset = {}, 0
    for blob in head.blobs:
        if blob.sha256 in blobs:
            raise ValueError(f"blob {blob.sha256} is named twice")
        blobs[blob.sha256] = bytes(rest[offset:offset + blob.length])
        offset += blob.length
    return blobs


def submission_digest(envelope: "SubmissionEnvelope") -> str:
    """sha256 hex of the canonical JSON of the whole envelope: the idempotency comparison."""
    return sha256_hex(canonical_json(envelope))


def payload_info(kind: str, submission_id: str) -> bytes:
    """HPKE info for a submission payload: b"gov-kiosk/v1/" + kind + b"/" + submission_id.

    The submission id is bound through info rather than AAD because the public
    `cryptography` HPKE API (Suite.encrypt/decrypt) takes no AAD; info enters the key
    schedule, so a payload moved to another submission or kind fails to decrypt."""
    return HPKE_INFO_PREFIX + kind.encode("ascii") + b"/" + submission_id.encode("ascii")


def split_hpke_output(sealed: bytes) -> tuple[bytes, bytes]:
    """Split the output of Suite.encrypt (enc || ciphertext) into its two parts."""
    if len(sealed) <= HPKE_ENC_LENGTH:
        raise ValueError("HPKE output shorter than its encapsulated key")
    return sealed[:HPKE_ENC_LENGTH], sealed[HPKE_ENC_LENGTH:]


def case_number(kiosk_id: str, kiosk_seq: int) -> str:
    """Kiosk-issued case number, printed before any sync: '<kiosk id>-<kiosk_seq>'."""
    return f"{kiosk_id}-{kiosk_seq}"


#: Stored pickup codes: "scrypt$n$r$p$salt$hash" (hashlib.scrypt, hex salt and hash).
PICKUP_CODE_HASH_PATTERN = (r"^scrypt\$[0-9]{1,8}\$[0-9]{1,2}\$[0-9]{1,2}"
                            r"\$[0-9a-f]{16,64}\$[0-9a-f]{32,128}$")


def followup_path(case_number: str, followup_secret: str) -> str:
    """The 掌上办 page of a case (relative to the server's public URL) for the receipt QR."""
    return f"/case/{case_number}?t={followup_secret}"


def followup_from_url(url: str) -> tuple[str, str] | None:
    """(case number, follow-up secret) from a receipt QR's URL (followup_path on any base);
    None for any other code."""
    from urllib.parse import parse_qs, urlsplit
    parts = urlsplit(url.strip())
    head, _slash, number = parts.path.rpartition("/")
    secret = parse_qs(parts.query).get("t", [""])[0]
    if not head.endswith("/case") or not number or not secret:
        return None
    return number, secret


def b64decode_strict(value: str) -> bytes:
    return base64.b64decode(value.encode("ascii"), validate=True)


# --------------------------------------------------------------------------- field types

def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("timestamp must carry a timezone (UTC)")
    return value.astimezone(timezone.utc)


def _base64(value: str) -> str:
    try:
        b64decode_strict(value)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise ValueError("not valid base64") from None
    return value


def _base64_key32(value: str) -> str:
    if len(b64decode_strict(_base64(value))) != 32:
        raise ValueError("a raw 32-byte key in base64 is expected")
    return value


def _base64_sig64(value: str) -> str:
    if len(b64decode_strict(_base64(value))) != 64:
        raise ValueError("a 64-byte Ed25519 signature in base64 is expected")
    return value


UtcDateTime = Annotated[datetime, AfterValidator(_aware_utc)]
Base64 = Annotated[str, Field(max_length=2 * MAX_SUBMISSION_BYTES), AfterValidator(_base64)]
Key32B64 = Annotated[str, Field(max_length=64), AfterValidator(_base64_key32)]
SignatureB64 = Annotated[str, Field(max_length=128), AfterValidator(_base64_sig64)]
KioskId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{2,39}$")]
Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Nonce = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
SubmissionId = Annotated[str, Field(
    pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
    description="UUIDv7, lower case, made at capture")]
#: The kinds of item a kiosk enqueues and the server accepts: defined here and nowhere else.
SubmissionKind = Literal["submission", "pickup", "rating", "commitment", "audit", "ticket",
                         "checkin", "staff_call", "deposit"]
SUBMISSION_KINDS: tuple[str, ...] = get_args(SubmissionKind)
Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
#: a released application version, dotted numbers ("1.4.2"), compared by app_version_key
AppVersion = Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+){0,3}$")]
LongText = Annotated[str, Field(max_length=4000)]
IdNumber = Annotated[str, Field(pattern=r"^[0-9A-Za-z]{6,24}$",
                                description="resident ID (GB 11643) or passport/permit number")]

#: the secret of a case's receipt QR (followup_path)
FollowupSecret = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{16,64}$")]


class Request(BaseModel):
    """A body the kiosk sends: strict about unknown fields."""
    model_config = ConfigDict(extra="forbid", frozen=True)


class Response(BaseModel):
    """A body the server sends. Unknown fields are ignored: they are the optional fields a
    newer server (or a newer release's stored state) adds to v1."""
    model_config = ConfigDict(extra="ignore", frozen=True)


class Problem(Response):
    """Every 4xx/5xx body: a stable machine code and a sentence for the log."""
    error: str
    detail: str = ""
    missing: list[Sha256Hex] | None = Field(default=None, description="424: blobs to upload")


# --------------------------------------------------------------------------- enrolment

class EnrollRequest(Request):
    token: str = Field(min_length=16, max_length=128)
    kiosk_id: KioskId
    signing_public_key: Key32B64 = Field(description="raw Ed25519 public key")


class DistrictKeys(Response):
    payload_public_key: Key32B64 = Field(description="raw X25519 public key for HPKE")
    receipt_public_key: Key32B64 = Field(description="raw Ed25519 key that signs receipts "
                                                     "and desired state")
    key_id: Code = Field(description="id of the payload key; goes into EncryptedPayload.key_id")
    holder_hmac_key_id: Code
    holder_hmac_key: Key32B64 = Field(description="HMAC-SHA256 key for holder identities "
                                                  "(parcel holders, CitizenAssertion.id_hmac)")


class EnrollResponse(Response):
    kiosk_id: KioskId
    district: DistrictKeys
    last_kiosk_seq: int | None = Field(
        default=None, ge=0,
        description="the highest kiosk_seq the district holds for this kiosk id (0: none), "
                    "so a kiosk re-enrolled on a fresh disk never re-uses a sequence or the "
                    "case number made from it; sent when the enrolment request lists "
                    "FEATURE_LAST_KIOSK_SEQ in HEADER_FEATURES; absent from older servers")


def holder_hmac(key: bytes, id_number: str) -> str:
    """A citizen's holder identity: HMAC-SHA256 of the upper-cased ID number (hex)."""
    return hmac.new(key, id_number.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------- submissions

class EncryptedPayload(Request):
    suite: Literal["DHKEM(X25519,HKDF-SHA256)/HKDF-SHA256/AES-128-GCM"] = HPKE_SUITE
    key_id: Code
    enc_b64: Base64
    ciphertext_b64: Base64


class SubmissionEnvelope(Request):
    submission_id: SubmissionId
    kiosk_id: KioskId
    kiosk_seq: int = Field(ge=1, le=2**53)
    kind: SubmissionKind
    created_at: UtcDateTime
    payload: EncryptedPayload
    blobs: list[Sha256Hex] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _unique_blobs(self) -> "SubmissionEnvelope":
        if len(set(self.blobs)) != len(self.blobs):
            raise ValueError("blobs lists a hash twice")
        return self


class Receipt(Response):
    submission_id: SubmissionId
    kiosk_id: KioskId
    kiosk_seq: int
    digest: Sha256Hex
    case_number: str | None = Field(description="set for kind 'submission'")
    received_at: UtcDateTime
    server_seq: int


class SignedReceipt(Response):
    receipt: Receipt
    signature_b64: SignatureB64 = Field(description="Ed25519 (district receipt key) over "
                                                    "canonical_json(receipt)")


class SubmissionBatch(Request):
    """Protocol v1.1 (FEATURE_SUBMISSION_BATCH): several submissions and their small blobs
    in one signed request, one transaction, one outcome per submission."""
    submissions: list[dict[str, Any]] = Field(
        min_length=1, max_length=MAX_BATCH_ITEMS,
        description="SubmissionEnvelope objects, each validated on its own: an invalid one "
                    "fails only its own outcome")
    blobs: dict[Sha256Hex, str] = Field(
        default_factory=dict,
        description="blob bytes inline (standard base64) by sha256, each at most the health "
                    "answer's HEADER_WHOLE_BLOB_MAX; stored once by hash, for this kiosk "
                    "only; larger blobs are uploaded beforehand as in v1")


class BinaryBlob(Request):
    sha256: Sha256Hex
    length: int = Field(ge=1, le=MAX_BATCH_BYTES, description="its bytes in the body")


class BinarySubmissionBatch(Request):
    """Protocol v1.1 without base64 (FEATURE_SUBMISSION_BATCH_BINARY): the head of a
    MEDIA_TYPE_BINARY_BATCH body; the request's signature covers the whole body as sent."""
    submissions: list[dict[str, Any]] = Field(
        min_length=1, max_length=MAX_BATCH_ITEMS,
        description="SubmissionEnvelope objects, each validated on its own")
    blobs: list[BinaryBlob] = Field(
        default_factory=list,
        description="the blobs whose raw bytes follow the head, in this order, each named "
                    "once; as SubmissionBatch.blobs otherwise")


class BatchOutcome(Response):
    submission_id: str | None = Field(description="as the submission named it (None when "
                                                  "unreadable)")
    status: int = Field(description="what PUT PATH_SUBMISSION would have answered for it")
    body: dict[str, Any] = Field(description="a SignedReceipt (200, 201) or a Problem; a 424 "
                                             "means: send this one the v1 way")


class BatchOutcomes(Response):
    outcomes: list[BatchOutcome] = Field(description="one per submission, in request order")


class BackupWatermark(Response):
    backed_up_through: int = Field(ge=0, description="every submission with server_seq up "
                                                     "to this is in the district's latest "
                                                     "backup (0: no backup yet)")
    taken_at: UtcDateTime | None = None


class SignedBackupWatermark(Response):
    watermark: BackupWatermark
    signature_b64: SignatureB64 = Field(description="Ed25519 (district receipt key) over "
                                                    "canonical_json(watermark)")


class ReceiptsPage(Response):
    receipts: list[SignedReceipt]
    contiguous_through: int = Field(description="every kiosk_seq 1..N has a receipt (0: none)")
    has_more: bool = False
    backup: SignedBackupWatermark | None = Field(
        default=None, description="what the latest backup holds: a kiosk keeps a delivered "
                                  "item until this covers its receipt's server_seq, so it "
                                  "can send it again to a district restored from that "
                                  "backup; sent when the request lists "
                                  "FEATURE_BACKUP_WATERMARK in HEADER_FEATURES; absent from "
                                  "older servers")


# --------------------------------------------------------------------------- payloads
# The plaintext inside EncryptedPayload, one model per kind (PAYLOAD_MODELS). The server
# decrypts and validates them; an invalid one is a 422 for the whole submission.

class Applicant(Request):
    kind: Literal["person", "organisation"] = "person"
    id_type: Literal["resident_id", "passport", "hk_macao_permit", "taiwan_permit",
                     "foreign_permanent", "uscc"] = "resident_id"
    id_number: IdNumber
    name: ShortText
    mobile: Annotated[str, Field(pattern=r"^1[3-9][0-9]{9}$")] | None = None
    legal_representative: ShortText | None = None


class MaterialStatus(StrEnum):
    provided = "provided"          # scanned at the kiosk (blobs)
    reused = "reused"              # certificate on file (零材料)
    deferred = "deferred"          # 容缺: supplied later under a commitment
    waived = "waived"              # not needed in this applicant's case


class SubmittedMaterial(Request):
    code: Code
    status: MaterialStatus
    blobs: list[Sha256Hex] = Field(default_factory=list, max_length=50)
    certificate_id: Code | None = None
    keep_on_file: bool = Field(
        default=False, description="the citizen agreed on screen that, once staff accept "
                                   "this scanned material, it is kept as a certificate on "
                                   "file for their next application (零材料); withdrawable")

    @model_validator(mode="after")
    def _consistent(self) -> "SubmittedMaterial":
        if self.status is MaterialStatus.provided and not self.blobs:
            raise ValueError("a provided material needs its scanned pages (blobs)")
        if self.status is MaterialStatus.reused and not self.certificate_id:
            raise ValueError("a reused material names the certificate on file")
        if self.keep_on_file and self.status is not MaterialStatus.provided:
            raise ValueError("only a scanned material can be kept on file")
        return self


class ToleranceCommitment(Request):
    """容缺受理: the signed promise to supply deferred materials by due_date."""
    materials: list[Code] = Field(min_length=1)
    text_version: Code
    signature_blob: Sha256Hex = Field(description="the finger signature image (blob)")
    signed_at: UtcDateTime
    due_date: date
    supply_channel: Literal["upload", "locker", "window", "post"]


class ApplicationPayload(Request):
    """kind 'submission': an application for a service item."""
    service_code: Code
    catalogue_version: str = Field(max_length=40)
    applicant: Applicant
    agent: Applicant | None = None
    identity_method: Literal["document+face", "document", "staff"]
    form_data: dict[str, Any]
    materials: list[SubmittedMaterial] = Field(default_factory=list)
    commitment: ToleranceCommitment | None = None
    pickup_method: Literal["locker", "window", "post", "electronic", "none"]
    hall_code: Code | None = None
    followup_secret: FollowupSecret | None = Field(
        default=None, description="random secret the kiosk puts in the receipt's QR code "
                                  "(followup_url); the server keeps only its hash")

    @model_validator(mode="after")
    def _commitment_covers_deferred(self) -> "ApplicationPayload":
        deferred = {m.code for m in self.materials if m.status is MaterialStatus.deferred}
        if deferred and (self.commitment is None or set(self.commitment.materials) != deferred):
            raise ValueError("deferred materials need a commitment naming exactly them")
        return self


HOLDER_ASSERTION = ("for a case another kiosk opened: the case holder identified at this "
                    "kiosk, at most CITIZEN_ASSERTION_MAX_AGE_S before the envelope's "
                    "created_at (a kiosk acts only on its own cases otherwise)")


class CommitmentPayload(Request):
    """kind 'commitment': a material supplied later, or a commitment signed separately."""
    case_number: str = Field(max_length=80)
    action: Literal["signed", "supplied"]
    commitment: ToleranceCommitment | None = None
    supplied: list[SubmittedMaterial] = Field(default_factory=list)
    holder_assertion: SignedCitizenAssertion | None = Field(
        default=None, description=HOLDER_ASSERTION)
    followup_secret: FollowupSecret | None = Field(
        default=None, description="for a case another kiosk opened: the secret of its receipt "
                                  "QR, read at this kiosk (proves the receipt is at hand); "
                                  "only to a server listing FEATURE_SUPPLY_BY_SECRET")


class PickupPayload(Request):
    """kind 'pickup': a parcel taken out of a locker (the door closed after the open)."""
    parcel_id: Code
    case_number: str | None = Field(default=None, max_length=80)
    locker: Code | None = None
    compartment: int = Field(ge=1, le=999)
    picked_at: UtcDateTime
    verification: Literal["pickup_code", "document+face", "staff"]
    outcome: Literal["picked", "door_jammed", "not_found", "outcome_unknown"] = "picked"


CompartmentSize = Literal["S", "M", "L", "XL"]


class DepositPayload(Request):
    """kind 'deposit': hall staff changed what a compartment holds, seen by its door closing:
    `stored` (the parcel put into `compartment`) or `recalled` (taken back out). Sent only for
    parcels assigned by size (FEATURE_LOCKER_FILL), so only to a server that knows this kind."""
    parcel_id: Code
    locker: Code | None = None
    compartment: int = Field(ge=1, le=999)
    outcome: Literal["stored", "recalled"]
    at: UtcDateTime
    staff_id: Annotated[str, Field(min_length=1, max_length=40)]


class RatingPayload(Request):
    """kind 'rating': 好差评, five levels (5 非常满意 .. 1 非常不满意)."""
    case_number: str | None = Field(default=None, max_length=80)
    service_code: Code | None = None
    target: Literal["kiosk", "window", "staff", "service"] = "kiosk"
    level: int = Field(ge=1, le=5)
    indicator_set_version: Code
    indicators: list[Code] = Field(default_factory=list, max_length=20)
    comment: LongText = ""
    rated_at: UtcDateTime
    holder_assertion: SignedCitizenAssertion | None = Field(
        default=None, description=HOLDER_ASSERTION)


AuditValue = str | int | float | bool | None


class AuditPayload(Request):
    """kind 'audit': one kiosk audit entry (maintenance actions, locker opens, sessions,
    device faults). Besides the named fields an entry may carry up to 20 more scalar fields
    (e.g. parcel_id, compartment). Never personal data in any of them."""
    model_config = ConfigDict(extra="allow", frozen=True)
    action: Code
    at: UtcDateTime
    actor: Literal["citizen", "technician", "staff", "system"] | None = None
    who: Annotated[str, Field(max_length=80)] | None = Field(
        default=None, description="e.g. 'staff:<id>', 'citizen:pickup_code'")
    why: Annotated[str, Field(max_length=200)] | None = None
    detail: dict[str, AuditValue] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _extras_are_small_scalars(self) -> "AuditPayload":
        extras = self.model_extra or {}
        if len(extras) > 20:
            raise ValueError("an audit entry carries at most 20 extra fields")
        for key, value in extras.items():
            if not isinstance(value, (str, int, float, bool, type(None))) or \
                    (isinstance(value, str) and len(value) > 200) or len(key) > 40:
                raise ValueError(f"audit field {key[:40]!r}: a short scalar is expected")
        return self

    def fields(self) -> dict[str, AuditValue]:
        """Everything but action and at, flattened (for the server's audit log)."""
        named = {k: getattr(self, k) for k in ("actor", "who", "why") if getattr(self, k)}
        return {**self.detail, **(self.model_extra or {}), **named}


#: the extra fields of a kiosk's own audit chain: each entry names its place (1, 2, ...) and
#: the hash of the entry before it (AUDIT_GENESIS for the first), and carries its own hash
AUDIT_CHAIN_SEQ, AUDIT_CHAIN_PREV, AUDIT_CHAIN_HASH = "chain_seq", "chain_prev", "chain_hash"
AUDIT_GENESIS = "0" * 64


def audit_entry_hash(payload: AuditPayload) -> str:
    """The hash of a kiosk audit entry in its chain: over the action, the time and every
    field but the hash itself (the place and the previous hash included), as validated, so
    that the district recomputes it from what it stored."""
    fields = {k: v for k, v in payload.fields().items() if k != AUDIT_CHAIN_HASH}
    return sha256_hex(canonical_json({"action": payload.action,
                                      "at": payload.model_dump(mode="json")["at"],
                                      "fields": fields}))


class TicketPayload(Request):
    """kind 'ticket': a queue ticket printed at the kiosk (issued by the server online)."""
    ticket_no: ShortText
    category: Code
    printed_at: UtcDateTime


class CheckinPayload(Request):
    """kind 'checkin': an appointment checked in at the kiosk."""
    appointment_id: Code
    at: UtcDateTime


class StaffCallPayload(Request):
    """kind 'staff_call': a help call made while offline, delivered later for statistics."""
    reason: Literal["help", "accessibility", "device_fault", "identity_failed", "other"]
    journey: Code | None = None
    at: UtcDateTime


PAYLOAD_MODELS: dict[str, type[Request]] = {
    "submission": ApplicationPayload, "commitment": CommitmentPayload, "pickup": PickupPayload,
    "rating": RatingPayload, "audit": AuditPayload, "ticket": TicketPayload,
    "checkin": CheckinPayload, "staff_call": StaffCallPayload, "deposit": DepositPayload,
}


# --------------------------------------------------------------------------- blobs

class BlobUploadCreate(Request):
    length: int = Field(ge=1, description="ciphertext bytes; over MAX_BLOB_BYTES is a 413")


class BlobUploadCreated(Response):
    upload_id: Code | None = Field(description="None when the blob is already present")
    offset: int = Field(description="bytes already received (resume from here)")
    chunk_size: int = Field(description="advised PATCH chunk size")
    complete: bool = Field(default=False, description="the blob is present: nothing to send")


class BlobUploadProgress(Response):
    offset: int
    complete: bool = Field(description="the full hash verified and the blob published")


# --------------------------------------------------------------------------- desired / reported state

class LockerAssignment(Response):
    """A result for this kiosk's lockers: hall staff fill a free compartment of `size` at the
    kiosk (the kiosk chooses it and reports it in a `deposit` item), the holder collects it
    (identified, or with the pickup code). A kiosk that does not list FEATURE_LOCKER_FILL
    gets only assignments naming a fixed `compartment` (the previous release's form)."""
    parcel_id: Code
    locker: Code
    compartment: int | None = Field(default=None, ge=1, le=999,
                                    description="fixed compartment (previous release); "
                                                "absent when assigned by size")
    size: CompartmentSize | None = Field(default=None, description="FEATURE_LOCKER_FILL")
    case_number: str
    holder_hmac: Sha256Hex = Field(description="holder_hmac(district key, ID number)")
    code_hash: Annotated[str, Field(pattern=PICKUP_CODE_HASH_PATTERN)] = Field(
        description="the pickup code, never in clear: scrypt$n$r$p$salt_hex$hash_hex")
    expires_at: UtcDateTime
    items: list[ShortText] = Field(default_factory=list, description="documents inside")

    @model_validator(mode="after")
    def _compartment_or_size(self) -> "LockerAssignment":
        if (self.compartment is None) == (self.size is None):
            raise ValueError("an assignment names either a compartment or a size")
        return self


class KioskStaff(Response):
    """A person of the kiosk's hall who may enter its maintenance mode, with their kiosk PIN
    (never the web password): a person given no PIN hash is refused at the kiosk."""
    staff_id: Annotated[str, Field(min_length=1, max_length=40)]
    role: Literal["technician", "hall_staff"]
    pin_hash: Annotated[str, Field(pattern=PICKUP_CODE_HASH_PATTERN)] | None = Field(
        default=None, description="the person's kiosk PIN, never in clear: "
        "scrypt$n$r$p$salt_hex$hash_hex; sent when the kiosk lists FEATURE_KIOSK_PIN; absent: "
        "the person has set no kiosk PIN yet")
    secret_hash: Annotated[str, Field(pattern=PICKUP_CODE_HASH_PATTERN)] | None = Field(
        default=None, description="the previous release's field, which it requires: to a kiosk "
        "not listing FEATURE_KIOSK_PIN the server sends the kiosk PIN's hash here (and only "
        "people who have a PIN); a kiosk listing it ignores this field")
    card_hash: Annotated[str, Field(pattern=PICKUP_CODE_HASH_PATTERN)] | None = Field(
        default=None, description="the person's staff card: the scrypt hash of their resident "
        "ID number as `staff_card_secret` writes it, salted per person; sent when the kiosk "
        "lists FEATURE_STAFF_CARD; absent: no card registered (they sign in with the PIN)")


_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")


def staff_card_secret(id_number: str) -> str:
    """A resident ID number as the staff card's hash covers it (the district hashing the
    number it was given, the kiosk the number its reader read): one spelling, whatever the
    case of the check character or the spaces around it. ValueError: not an ID number."""
    number = id_number.strip().upper()
    if not _RESIDENT_ID.fullmatch(number):
        raise ValueError("a resident ID number is 17 digits and a check digit (0-9 or X)")
    return number


class DesiredState(Response):
    version: int = Field(description="monotonic; also the ETag")
    catalogue_version: str
    catalogue_sha256: Sha256Hex = Field(description="sha256 of canonical_json(Catalogue)")
    config: dict[str, Any] = Field(description="only keys in DESIRED_CONFIG_KEYS")
    locker_assignments: list[LockerAssignment]
    cohort: Code
    min_app_version: str
    holder_hmac_key_id: Code
    config_number: int | None = Field(
        default=None, ge=1, description="the number of the district's configuration version "
        "`config` is (numbers only grow); sent when the kiosk lists FEATURE_CONFIG_NUMBER in "
        "HEADER_FEATURES")
    staff: list[KioskStaff] | None = Field(
        default=None, description="who may enter maintenance at this kiosk (its hall's staff, "
                                  "revoked ones left out), sent when the kiosk lists "
                                  "FEATURE_KIOSK_STAFF in HEADER_FEATURES; absent from older "
                                  "servers")
    bundle_version: AppVersion | None = Field(
        default=None, description="the application bundle this kiosk should run (its signed "
                                  "BundleManifest at PATH_BUNDLE_MANIFEST); sent when the kiosk "
                                  "lists FEATURE_BUNDLE_UPDATES in HEADER_FEATURES")
    next_receipt_public_key: Key32B64 | None = Field(
        default=None, description="the district's next receipt key (raw Ed25519), announced "
                                  "under the current key's signature: the kiosk trusts it from "
                                  "now on, and drops the current one once a message is signed "
                                  "by it; sent when the kiosk lists FEATURE_RECEIPT_KEY_ROTATION "
                                  "in HEADER_FEATURES")

    @model_validator(mode="after")
    def _allow_listed(self) -> "DesiredState":
        unknown = set(self.config) - DESIRED_CONFIG_KEYS
        if unknown:
            raise ValueError(f"configuration keys not allowed remotely: {sorted(unknown)}")
        return self


class SignedDesiredState(Response):
    state: DesiredState
    signature_b64: SignatureB64


class BundleManifest(Response):
    """One published version of the kiosk application: a tar.gz of the bundle's folder
    (PyInstaller one-folder, `kiosk` at its top) at PATH_BUNDLE_ARCHIVE."""
    version: AppVersion
    archive_sha256: Sha256Hex = Field(description="sha256 of the archive's bytes")
    archive_bytes: int = Field(gt=0, description="the archive's length")
    unpacked_bytes: int | None = Field(
        default=None, ge=0, description="the files' total size once unpacked: the kiosk "
                                        "needs room for it and the archive before fetching")


class SignedBundleManifest(Response):
    """GET PATH_BUNDLE_MANIFEST. Signed like the desired state (Ed25519, the district's
    receipt key, over signed_message(raw, "manifest"))."""
    manifest: BundleManifest
    signature_b64: SignatureB64


UnitStateName = Literal["full", "low", "out", "jammed", "open", "closed", "occupied", "empty",
                        "unknown"]
#: ReportedState fields (top level, and inside each DeviceHealth) a kiosk sends only to a
#: server listing FEATURE_FLEET_REPORT (`refused` is newer than the previous release too).
FLEET_REPORT_FIELDS = frozenset({"refused", "session_active", "free_compartments",
                                 "service_state"})
FLEET_REPORT_DEVICE_FIELDS = frozenset({"kind", "units"})
#: ReportedState fields a kiosk sends only to a server listing FEATURE_ROLLOUT_HEALTH.
ROLLOUT_HEALTH_FIELDS = frozenset({"set_aside", "crashes"})
#: ReportedState fields (top level, and inside each DeviceHealth) a kiosk sends only to a
#: server listing FEATURE_DEVICE_DETAIL.
DEVICE_DETAIL_FIELDS = frozenset({"config_version"})
DEVICE_DETAIL_DEVICE_FIELDS = frozenset({"error_code", "action", "since", "counters"})
#: ReportedState fields a kiosk sends only to a server listing FEATURE_CONFIG_NUMBER.
CONFIG_NUMBER_FIELDS = frozenset({"config_number"})
#: ReportedState fields a kiosk sends only to a server listing FEATURE_BUNDLE_UPDATES.
BUNDLE_UPDATE_FIELDS = frozenset({"update"})
#: ReportedState fields a kiosk sends only to a server listing FEATURE_RECEIPT_KEY_ROTATION.
RECEIPT_KEY_FIELDS = frozenset({"receipt_keys"})

class DeviceCounts(Request):
    """A device's durable counters (kiosk.device_counters), counted since install."""
    counts: dict[Code, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict, max_length=40, description="prints, cuts, rolls_fitted, "
        "card_reads, face_checks, door_opens, ...")
    errors: dict[Code, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict, max_length=100, description="times each error code was taken")
    fixes: dict[Code, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict, max_length=100, description="guided fixes staff completed, "
                                                          "by error code")


class DeviceHealth(Request):
    availability: Literal["starting", "online", "busy", "offline", "noDevice", "hardwareError",
                          "userError"]
    severity: Literal["ok", "warning", "error"]
    detail: Annotated[str, Field(max_length=500)] = ""
    kind: Code | None = Field(default=None, description="printer, camera, id_reader, "
                              "code_reader, locker, ...; FEATURE_FLEET_REPORT")
    units: dict[Annotated[str, Field(max_length=40)], UnitStateName] | None = Field(
        default=None, max_length=200, description="consumables and doors: paper, "
        "compartment-N; FEATURE_FLEET_REPORT")
    error_code: Annotated[str, Field(max_length=64)] | None = Field(
        default=None, description="the current error's code, empty when none; "
                                  "FEATURE_DEVICE_DETAIL")
    action: Annotated[str, Field(max_length=40)] | None = Field(
        default=None, description="what fixes the current error: reset, clear, maintenance, "
                                  "configuration, replenish, none; empty when none; "
                                  "FEATURE_DEVICE_DETAIL")
    since: UtcDateTime | None = Field(default=None, description="when the status last "
                                      "changed, by the kiosk's clock; FEATURE_DEVICE_DETAIL")
    counters: DeviceCounts | None = Field(default=None, description="FEATURE_DEVICE_DETAIL")


class ServiceStateReport(Request):
    """The kiosk's service state (kiosk.service_state): in service, maintenance or out of
    service, with every stop in force (source -> reason)."""
    mode: Literal["in_service", "entering_maintenance", "maintenance", "leaving_maintenance",
                  "out_of_service"]
    stops: dict[Annotated[str, Field(max_length=60)], Annotated[str, Field(max_length=500)]] \
        = Field(default_factory=dict, max_length=20)
    role: Literal["technician", "hall_staff"] | None = Field(
        default=None, description="the role of the person in maintenance (never who)")


class UpdateReport(Request):
    """Where the kiosk's application updates stand (kiosk/updates.py)."""
    running: Annotated[str, Field(max_length=40)] = Field(description="the version running now")
    confirmed: bool = Field(description="the running version passed its health check (or "
                                        "was installed by hand)")
    pending: Annotated[str, Field(max_length=40)] | None = Field(
        default=None, description="a version downloaded or being downloaded, not yet "
                                  "switched to")
    last_failure: Annotated[str, Field(max_length=500)] | None = Field(
        default=None, description="the last update that was refused, rolled back or could "
                                  "not be fetched (no room on the disk), and why")
    failed_version: Annotated[str, Field(max_length=40)] | None = Field(
        default=None, description="the last version refused or rolled back (never taken "
                                  "again): how a district's rollout sees its canary refuse a "
                                  "bundle")


class ReportedState(Request):
    """PATCH /v1/kiosks/{id}/state: only the fields that changed (send exclude_unset)."""
    app_version: str | None = Field(default=None, max_length=40)
    applied_desired_version: int | None = None
    catalogue_version: str | None = Field(default=None, max_length=40)
    queue_depth: int | None = Field(default=None, ge=0)
    oldest_unsent_age_s: float | None = Field(default=None, ge=0)
    receipts_lag: int | None = Field(default=None, ge=0)
    clock_offset_ms: int | None = None
    disk_free_bytes: int | None = Field(default=None, ge=0)
    devices: dict[Code, DeviceHealth] | None = None
    last_errors: list[Annotated[str, Field(max_length=500)]] | None = Field(default=None,
                                                                            max_length=20)
    refused: dict[Annotated[str, Field(max_length=60)], Annotated[str, Field(max_length=500)]] \
        | None = Field(default=None, max_length=20,
                       description="what of the desired state the kiosk did not apply (the "
                                   "catalogue, a configuration key) and why; empty: none")
    service_state: ServiceStateReport | None = None
    session_active: bool | None = Field(default=None, description="a citizen is mid-journey "
                                        "(nothing about who); FEATURE_FLEET_REPORT")
    free_compartments: dict[CompartmentSize, Annotated[int, Field(ge=0)]] | None = \
        Field(default=None, description="locker compartments holding or reserved for no "
                                        "parcel, by size; FEATURE_FLEET_REPORT")
    set_aside: int | None = Field(default=None, ge=0, description="queue items set aside "
                                  "(quarantined) now; FEATURE_ROLLOUT_HEALTH")
    crashes: int | None = Field(default=None, ge=0, description="starts after an unclean "
                                "end (crash, hang guard), counted since install; "
                                "FEATURE_ROLLOUT_HEALTH")
    config_version: Annotated[str, Field(pattern=r"^[0-9a-f]{12,64}$")] | None = Field(
        default=None, description="the configuration in use (the kiosk's files with the "
        "district's keys): sha256 of its canonical JSON, first 12 hex digits; "
        "FEATURE_DEVICE_DETAIL")
    config_number: int | None = Field(default=None, ge=1, description="the number of the "
                                      "district's configuration version in use "
                                      "(DesiredState.config_number); FEATURE_CONFIG_NUMBER")
    update: UpdateReport | None = Field(default=None, description="FEATURE_BUNDLE_UPDATES")
    receipt_keys: list[Annotated[str, Field(pattern=r"^[0-9a-f]{12}$")]] | None = Field(
        default=None, max_length=2, description="the district receipt keys the kiosk trusts "
        "(receipt_key_fingerprint of each: the current one, then the next one if announced); "
        "FEATURE_RECEIPT_KEY_ROTATION")


class KioskStateView(Response):
    """What the server holds for a kiosk after merging the deltas."""
    kiosk_id: KioskId
    reported: dict[str, Any]
    updated_at: UtcDateTime | None


# --------------------------------------------------------------------------- remote commands

#: What the district may ask a kiosk to do. `reload_config`: fetch and apply the desired state
#: now; `out_of_service`/`back_in_service`: the district's stop of the kiosk's one service
#: state; `open_compartment` (args: number, reason); `print_test_page`; `collect_logs`: the
#: kiosk's log files, sealed to the district as a blob; `restart_app`.
CommandKind = Literal["reload_config", "out_of_service", "back_in_service", "open_compartment",
                      "print_test_page", "collect_logs", "restart_app"]
#: Commands that would disturb a citizen (they use the screen, the printer or a door): they
#: wait until no citizen session runs.
SCREEN_COMMANDS = frozenset({"reload_config", "out_of_service", "open_compartment",
                             "print_test_page", "restart_app"})
#: The lifecycle of a command on the server: queued -> delivered -> running -> succeeded or
#: failed; queued or delivered past expires_at -> expired.
COMMAND_STATES = ("queued", "delivered", "running", "succeeded", "failed", "expired")


class KioskCommand(Response):
    """One command for one kiosk, signed by the district (SignedKioskCommand). Executing the
    same command_id twice has no second effect: the kiosk keeps what it did with each."""
    command_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    kiosk_id: KioskId
    kind: CommandKind
    args: dict[str, Any] = Field(default_factory=dict)
    issued_at: UtcDateTime
    expires_at: UtcDateTime


class SignedKioskCommand(Response):
    command: KioskCommand
    signature_b64: SignatureB64


class KioskCommands(Response):
    """GET PATH_COMMANDS: the kiosk's commands not yet running, finished or expired."""
    commands: list[SignedKioskCommand]


class CommandResult(Request):
    """POST PATH_COMMAND_RESULT: what became of a command on the kiosk (idempotent)."""
    state: Literal["running", "succeeded", "failed"]
    detail: Annotated[str, Field(max_length=500)] = ""
    blob_sha256: Sha256Hex | None = Field(default=None, description="collect_logs: the sealed "
                                          "log archive, uploaded as a blob")


# --------------------------------------------------------------------------- catalogue
# The catalogue as published by the district (GET /v1/catalogue/{version}) and as kept in
# config/catalogue/ (read by wire/catalogue_files.py): one schema, validated whole by the
# server before publishing and by the kiosk before using it.

class Text(Response):
    """A citizen-facing text in Chinese and English."""
    zh: Annotated[str, Field(min_length=1, max_length=4000)]
    en: Annotated[str, Field(min_length=1, max_length=4000)]

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.zh


class Hall(Response):
    """A service hall citizens can go to instead of a kiosk that is out of service
    (DesiredState.config["kiosk.alternatives"], or the kiosk's own site file)."""
    code: Code
    name: Text
    address: Text
    hours: Text = Field(description="opening hours, as the hall words them")
    phone: Annotated[str, Field(max_length=40)] = ""


class TimeLimit(Response):
    days: int = Field(ge=0, le=3650, description="0: settled on the spot (即办)")
    unit: Literal["working_days", "calendar_days"] = "working_days"

    @property
    def instant(self) -> bool:
        return self.days == 0


class Fee(Response):
    name: Text
    amount_yuan: float = Field(ge=0)
    basis: str = ""


class Channel(Response):
    type: Literal["kiosk", "hall", "online", "mobile", "post"]
    processing_days: int | None = Field(default=None, ge=0)


class Output(Response):
    name: Text
    kind: Literal["paper", "electronic", "both", "none"]
    elicence_type: Code | None = None


class Necessity(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    CONDITIONAL = "conditional"


class Material(Response):
    id: Code
    name: Text
    necessity: Necessity = Necessity.REQUIRED
    condition: Text | None = None
    form: Literal["paper", "electronic", "either"] = "either"
    copies: int = Field(default=1, ge=1, le=20)
    source_type: Literal["applicant", "government", "third_party"] = "applicant"
    accept_standard: Text | None = None
    elicence_type: Code | None = Field(default=None, description="reusable from certificates "
                                                                 "on file (零材料)")
    tolerance_allowed: bool = False
    max_supply_days: int | None = Field(default=None, ge=1, le=180,
                                        description="working days to supply it under 容缺")

    @model_validator(mode="after")
    def _tolerance_needs_days(self) -> "Material":
        if self.tolerance_allowed and self.max_supply_days is None:
            raise ValueError(f"material {self.id}: 容缺 needs max_supply_days")
        if self.necessity == "conditional" and self.condition is None:
            raise ValueError(f"material {self.id}: a conditional material names its condition")
        return self


class Choice(Response):
    value: Code
    label: Text


class FieldKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    YES_NO = "yes_no"
    ID_NUMBER = "id_number"
    USCC = "uscc"
    PHONE = "phone"


#: Document attributes a form field may be prefilled from.
PREFILL_SOURCES = ("name", "id_number", "birth_date", "gender", "address", "nationality")


class FormField(Response):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    label: Text
    kind: FieldKind = FieldKind.TEXT
    group: Text | None = Field(default=None, description="one group of questions per screen")
    required: bool = True
    prefill: Literal["name", "id_number", "birth_date", "gender", "address",
                     "nationality"] | None = None
    choices: list[Choice] = Field(default_factory=list)
    min_value: float | None = None
    max_value: float | None = None
    max_length: int = Field(default=60, ge=1, le=500)
    hint: Text | None = None

    @model_validator(mode="after")
    def _choices_only_on_choice(self) -> "FormField":
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"field {self.id}: choices exactly when kind is 'choice'")
        return self


class Faq(Response):
    question: Text
    answer: Text


class ImplementingBody(Response):
    name: Text
    uscc: Annotated[str, Field(pattern=r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")]


class ServiceItem(Response):
    task_code: Code = Field(description="实施编码, the item's identity on the wire")
    catalog_code: Annotated[str, Field(min_length=1, max_length=40)] = Field(
        description="基本编码")
    version: Annotated[str, Field(pattern=r"^[0-9]{1,6}$")] = "1"
    name: Text
    item_type: Literal["行政许可", "行政给付", "行政确认", "行政裁决", "行政奖励", "其他行政权力",
                       "公共服务"]
    department: Text
    implementing_body_uscc: Annotated[str, Field(
        pattern=r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")] | None = None
    summary: Text | None = None
    legal_basis: list[Text] = Field(min_length=1)
    accept_conditions: list[Text] = Field(default_factory=list)
    project_type: Literal["instant", "commitment"] = Field(description="即办件 / 承诺件")
    legal_limit: TimeLimit
    promised_limit: TimeLimit
    visits_required: int = Field(ge=0, le=5)
    fees: list[Fee] = Field(default_factory=list, description="empty: free of charge (零收费)")
    channels: list[Channel] = Field(min_length=1)
    tongban_scope: Literal["none", "district", "city", "province", "national"]
    outputs: list[Output] = Field(default_factory=list)
    pickup_methods: list[Literal["locker", "window", "post", "electronic", "none"]] = Field(
        min_length=1)
    kiosk_enabled: bool = True
    tolerance_allowed: bool = False
    commitment_template: Text | None = None
    queue_category: Code
    topics: list[Code] = Field(default_factory=list)
    life_events: list[Code] = Field(default_factory=list)
    synonyms: list[ShortText] = Field(default_factory=list)
    materials: list[Material] = Field(default_factory=list)
    form: list[FormField] = Field(min_length=1)
    faq: list[Faq] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> "ServiceItem":
        code = self.task_code
        if self.legal_limit.days and self.promised_limit.days > self.legal_limit.days:
            raise ValueError(f"{code}: promised limit exceeds the legal limit")
        if (self.project_type == "instant") != (self.promised_limit.days == 0):
            raise ValueError(f"{code}: an instant item (即办件) has a promised limit of 0 days")
        for values, what in (([m.id for m in self.materials], "material ids"),
                             ([f.id for f in self.form], "form field ids")):
            if len(values) != len(set(values)):
                raise ValueError(f"{code}: {what} must be unique")
        check_commitment_text(self)
        if any(o.kind in ("paper", "both") for o in self.outputs) \
                and "locker" not in self.pickup_methods:
            raise ValueError(f"{code}: a paper result must be collectable from a locker")
        return self

    @property
    def free(self) -> bool:
        return not any(fee.amount_yuan > 0 for fee in self.fees)

    def material(self, material_id: str) -> Material:
        for material in self.materials:
            if material.id == material_id:
                return material
        raise KeyError(material_id)

    def form_groups(self) -> list[tuple[Text, list[FormField]]]:
        """Form fields grouped for one screen each, in the order they first appear."""
        groups: dict[str, tuple[Text, list[FormField]]] = {}
        default = Text(zh="基本信息", en="Basic information")
        for form_field in self.form:
            label = form_field.group or default
            groups.setdefault(label.zh, (label, []))[1].append(form_field)
        return list(groups.values())


def check_commitment_text(item: Any) -> None:
    """The 容缺 rule, for the district's and the kiosk's catalogue models alike: an item with
    a material that may be supplied later needs tolerance_allowed and the commitment text
    the citizen signs. Raises ValueError naming the item."""
    deferrable = any(m.tolerance_allowed for m in item.materials)
    if deferrable and not (item.tolerance_allowed and item.commitment_template):
        raise ValueError(f"{item.task_code}: deferrable materials need tolerance_allowed and "
                         "a commitment_template")


class Category(Response):
    """A topic (主题) or life event (一件事) tile."""
    id: Code
    name: Text
    icon: str = ""


class QueueCategoryDef(Response):
    id: Code
    name: Text
    prefix: Annotated[str, Field(pattern=r"^[A-Z]{1,2}$")]


class CalendarData(Response):
    """Public holidays and make-up working days (调休) for promised dates."""
    holidays: list[date] = Field(default_factory=list)
    workdays: list[date] = Field(default_factory=list, description="weekend days worked")


class Catalogue(Response):
    version: Annotated[str, Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")]
    topics: list[Category] = Field(default_factory=list)
    life_events: list[Category] = Field(default_factory=list)
    queue_categories: list[QueueCategoryDef] = Field(min_length=1)
    items: list[ServiceItem] = Field(min_length=1)
    faq: list[Faq] = Field(default_factory=list)
    calendar: CalendarData = CalendarData()

    @model_validator(mode="after")
    def _references_resolve(self) -> "Catalogue":
        codes = [i.task_code for i in self.items]
        if len(codes) != len(set(codes)):
            raise ValueError("service item task_codes must be unique")
        categories = {c.id for c in self.topics} | {c.id for c in self.life_events}
        queues = {q.id for q in self.queue_categories}
        for item in self.items:
            unknown = (set(item.topics) | set(item.life_events)) - categories
            if unknown:
                raise ValueError(f"{item.task_code}: unknown topics/life events {sorted(unknown)}")
            if item.queue_category not in queues:
                raise ValueError(f"{item.task_code}: unknown queue category {item.queue_category}")
        return self

    def item(self, task_code: str) -> ServiceItem | None:
        return next((i for i in self.items if i.task_code == task_code), None)


# --------------------------------------------------------------------------- citizen services

class CitizenAssertion(Request):
    """The kiosk's statement that this citizen was identified at it just now."""
    kiosk_id: KioskId
    id_number: IdNumber | None = None
    id_hmac: Sha256Hex | None = Field(default=None, description="holder_hmac(key, id_number)")
    method: Literal["document+face", "document", "pickup_code"]
    identified_at: UtcDateTime
    nonce: Nonce

    @model_validator(mode="after")
    def _one_identity(self) -> "CitizenAssertion":
        if (self.id_number is None) == (self.id_hmac is None):
            raise ValueError("give exactly one of id_number and id_hmac")
        return self


class SignedCitizenAssertion(Request):
    assertion: CitizenAssertion
    signature_b64: SignatureB64 = Field(description="Ed25519 (kiosk key) over "
                                                    "canonical_json(assertion)")


class CitizenRequest(Request):
    """Body of the citizen endpoints that need nothing but the identification."""
    assertion: SignedCitizenAssertion


class CaseState(StrEnum):
    received = "received"                      # 已接件
    accepted = "accepted"                      # 已受理
    awaiting_material = "awaiting_material"    # 容缺: material outstanding
    in_review = "in_review"
    special_procedure = "special_procedure"    # 特别程序 (clock stopped)
    completed = "completed"                    # 办结
    ready_for_pickup = "ready_for_pickup"
    picked_up = "picked_up"
    rejected = "rejected"                      # 不予受理 / 不通过
    withdrawn = "withdrawn"


class CaseSummary(Response):
    case_number: str
    service_code: Code
    service_name: Text
    state: CaseState
    submitted_at: UtcDateTime
    promised_date: date | None
    kiosk_id: str | None
    hall_code: str | None
    outstanding_materials: list[Code] = Field(default_factory=list)
    material_due_date: date | None = None
    pickup: Literal["locker", "window", "post", "electronic", "none"]


class CasesResponse(Response):
    cases: list[CaseSummary]


class FollowupCaseRequest(Request):
    """Body of PATH_CITIZEN_FOLLOWUP_CASE: a case by its receipt QR (answer: CaseSummary;
    404 when there is no such case or the secret is not its own)."""
    case_number: str = Field(min_length=1, max_length=80)
    followup_secret: FollowupSecret


class CertificatesRequest(CitizenRequest):
    elicence_types: list[Code] = Field(default_factory=list, description="empty: all")


class CertificateOnFile(Response):
    certificate_id: Code
    elicence_type: Code
    name: Text
    number_masked: str
    issuer: str
    issued_on: date
    valid_until: date | None
    withdrawable: bool = Field(default=False, description="kept from a material the citizen "
                                                          "scanned (consent they may withdraw: "
                                                          "PATH_CITIZEN_CERTIFICATE_WITHDRAW)")


class CertificatesResponse(Response):
    certificates: list[CertificateOnFile]


class CertificateWithdrawRequest(CitizenRequest):
    """Body of PATH_CITIZEN_CERTIFICATE_WITHDRAW: the holder withdraws their consent; the
    certificate and its scan are deleted (answer: CertificatesResponse, what remains)."""
    certificate_id: Code


class ReferencePhotoResponse(Response):
    photo_b64: Base64
    media_type: Literal["image/jpeg", "image/png"]
    source: str = Field(description="which provider answered, e.g. 'demo'")


class Appointment(Response):
    appointment_id: Code
    service_code: Code
    service_name: Text
    queue_category: Code
    slot_start: UtcDateTime
    slot_end: UtcDateTime
    hall_code: Code
    status: Literal["booked", "checked_in", "cancelled", "no_show"]


class AppointmentsResponse(Response):
    appointments: list[Appointment]


class QueueCategory(Response):
    code: Code
    name: Text
    prefix: str
    waiting: int = Field(description="tickets issued and not yet called")


class QueueCategoriesResponse(Response):
    hall_code: Code
    categories: list[QueueCategory]


class TicketRequest(Request):
    """A walk-in queue ticket. Anyone may take a normal one; a priority ticket (elderly,
    disabled) needs the assertion of the document read that shows it."""
    assertion: SignedCitizenAssertion | None = None
    category: Code
    priority: Literal["normal", "elderly", "disabled"] = "normal"


class BookingCheckInRequest(Request):
    """Check in with the booking code from the appointment message (typed or scanned):
    possession of the code is the credential, as a pickup code is for a parcel."""
    booking_code: Annotated[str, Field(pattern=r"^[A-Z0-9]{4,32}$")]


class QueueTicket(Response):
    ticket_no: str
    category: Code
    category_name: Text
    priority: Literal["normal", "elderly", "disabled", "appointment"]
    issued_at: UtcDateTime
    waiting_ahead: int
    hall_code: Code


class CheckInResponse(Response):
    appointment: Appointment
    ticket: QueueTicket


class StaffCallRequest(Request):
    """A call for hall staff. The assertion is optional: a citizen who cannot be identified
    (camera down, card unreadable) must still be able to call for help; when present it is
    verified like any other and the staff see who is waiting."""
    assertion: SignedCitizenAssertion | None = None
    reason: Literal["help", "accessibility", "device_fault", "identity_failed", "other"]
    journey: Code | None = None


class StaffCallResponse(Response):
    call_id: Code
    position: int = Field(description="open calls ahead at this hall")
    created_at: UtcDateTime


# Endpoints, for clients (paths relative to the server root).
PATH_HEALTH = "/v1/health"
PATH_ENROLL = "/v1/enroll"
PATH_SUBMISSION = "/v1/submissions/{submission_id}"
PATH_SUBMISSION_BATCH = "/v1/submission-batches"
PATH_SUBMISSION_BATCH_BINARY = "/v1/submission-batches/binary"
PATH_BLOB = "/v1/blobs/{sha256}"
PATH_BLOB_UPLOADS = "/v1/blobs/{sha256}/uploads"
PATH_BLOB_UPLOAD = "/v1/blobs/uploads/{upload_id}"
PATH_RECEIPTS = "/v1/kiosks/{kiosk_id}/receipts"
PATH_DESIRED_STATE = "/v1/kiosks/{kiosk_id}/desired-state"
PATH_REPORTED_STATE = "/v1/kiosks/{kiosk_id}/state"
PATH_COMMANDS = "/v1/kiosks/{kiosk_id}/commands"
PATH_COMMAND_RESULT = "/v1/kiosks/{kiosk_id}/commands/{command_id}/result"
PATH_CATALOGUE = "/v1/catalogue/{version}"
PATH_BUNDLE_MANIFEST = "/v1/bundles/{version}/manifest"
#: served with Range (RFC 9110): an interrupted download goes on from its last byte
PATH_BUNDLE_ARCHIVE = "/v1/bundles/{version}/archive"
PATH_QUEUE_CATEGORIES = "/v1/queue/categories"
PATH_CITIZEN_CASES = "/v1/citizen/cases"
PATH_CITIZEN_FOLLOWUP_CASE = "/v1/citizen/followup-case"
PATH_CITIZEN_CERTIFICATES = "/v1/citizen/certificates"
PATH_CITIZEN_CERTIFICATE_WITHDRAW = "/v1/citizen/certificates/withdraw"
PATH_CITIZEN_REFERENCE_PHOTO = "/v1/citizen/reference-photo"
PATH_CITIZEN_APPOINTMENTS = "/v1/citizen/appointments"
PATH_CITIZEN_CHECKIN = "/v1/citizen/appointments/{appointment_id}/check-in"
PATH_CITIZEN_TICKETS = "/v1/citizen/tickets"
PATH_CITIZEN_BOOKING_CHECKIN = "/v1/citizen/check-in"
PATH_CITIZEN_STAFF_CALL = "/v1/citizen/staff-call"
