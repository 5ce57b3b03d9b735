"""A whole citizen session leaves no personal data in the logs.

The session is real: the simulated reader reads a document through the eMRTD code, the
face step matches the live face in the face child process, the application with the
applicant's name, ID number and a face evidence image goes through the offline queue
(encrypted at capture) and the sync worker delivers it to a live district server. Then
the log files are searched for the ID number, the names and the face bytes.
"""
from __future__ import annotations

import base64
import json
import logging
import threading
import uuid
from pathlib import Path

import pytest
import yaml

from kiosk.app import KioskCore
from foundation.clock import SystemClock
from kiosk.config import load_config
from kiosk.logging_setup import configure_logging
from offline_queue.seal import verify_signed
from tests.conftest import shared_data
from tests.offline_queue.catalogue import CATALOGUE, VERSION as CATALOGUE_VERSION
from wire.v1 import SignedReceipt, signed_message

ID_NUMBER = "11010519491231002X"
NAME_ZH = "王小明"


@pytest.fixture
def log_dir(tmp_path):
    path = tmp_path / "logs"
    configure_logging(path, level="DEBUG")
    yield path
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_kiosk", False):
            logging.getLogger().removeHandler(handler)
            handler.close()
    logging.getLogger().setLevel(logging.WARNING)


SERVICE = "PRIV-0001"


def district_catalogue(directory: Path) -> Path:
    """The queue tests' catalogue plus an item whose form holds a name and an ID number."""
    text = {"zh": "姓名", "en": "Name"}
    item = {**CATALOGUE["items"][0], "task_code": SERVICE, "catalog_code": "C0002",
            "form": [{"id": "full_name", "label": text, "kind": "text"},
                     {"id": "id_number", "label": text, "kind": "id_number"},
                     {"id": "document_name", "label": text, "kind": "text"}],
            "materials": [{"id": "face-evidence", "name": text, "necessity": "required"}]}
    directory.mkdir(parents=True)
    catalogue = {**CATALOGUE, "items": [*CATALOGUE["items"], item]}
    (directory / "catalogue.yaml").write_text(yaml.safe_dump(catalogue, allow_unicode=True),
                                              encoding="utf-8")
    return directory


def site_file(tmp_path: Path, holder: Path) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(f'[devices.face_camera]\nholder_image = "{holder}"\n', encoding="utf-8")
    return path


def wait_settled(core: KioskCore, item_id: str, timeout_s: float = 60):
    """The item once it left the pending state (delivered or quarantined)."""
    done = threading.Event()
    for _ in range(int(timeout_s * 10)):
        item = core.queue.outbox.get(item_id)
        if item.state != "pending":
            return item
        core.queue.worker.wake()
        done.wait(0.1)  # polling the queue's own state; the sync worker runs on real time
    pytest.fail(f"not delivered: {core.queue.status()}")


def assert_delivered_with_a_verified_receipt(core: KioskCore, item) -> None:
    assert item.state == "delivered", f"{item.state}: {item.last_error}"
    signed_json = json.loads(item.receipt)
    signed = SignedReceipt.model_validate(signed_json)
    identity = core.queue.identity
    assert verify_signed(signed_message(signed_json, "receipt"), signed.signature_b64,
                         identity.receipt_public_key)
    receipt = signed.receipt
    assert (receipt.submission_id, receipt.kiosk_id, receipt.kiosk_seq, receipt.digest) == \
        (item.item_id, identity.kiosk_id, item.kiosk_seq, item.digest)


def test_a_whole_session_leaves_no_personal_data_in_the_logs(tmp_path, log_dir):
    from offline_queue.enrolment import enroll
    from tests.offline_queue.live_district import LiveDistrict

    holder = shared_data("faces", "obama2.jpg")
    reference_photo = shared_data("faces", "obama.jpg").read_bytes()
    clock = SystemClock()
    with LiveDistrict(tmp_path / "district",
                      catalogue_dir=district_catalogue(tmp_path / "catalogue")) as district:
        kiosk_dir = tmp_path / "kiosk"
        loaded = load_config(site_file(tmp_path, holder))
        enroll(district.url, district.enrollment_token(loaded.config.kiosk.id),
               loaded.config.kiosk.id, kiosk_dir / "queue", clock=clock)
        loaded = load_config(site_file(tmp_path, holder))
        core = KioskCore.create(loaded, kiosk_dir, clock=clock)
        core.start()
        try:
            reader = core.devices["id_card_reader"]
            document = reader.read().result(30).unwrap()
            read_name, read_number = document.name_latin or document.name_zh, document.document_number

            camera = core.devices["face_camera"]
            camera.simulate("person", who="holder")
            step = core.face.begin(camera, reference_photo)
            outcome = step.done.result(120)
            evidence = step.take_evidence() or reference_photo
            core.face.finish(step)

            enqueued = core.event_sink.enqueue("submission", {
                "service_code": SERVICE,
                "catalogue_version": CATALOGUE_VERSION,
                "applicant": {"id_number": ID_NUMBER, "name": NAME_ZH},
                "identity_method": "document+face",
                "form_data": {"full_name": NAME_ZH, "id_number": ID_NUMBER,
                              "document_name": read_name},
                "materials": [{"code": "face-evidence", "status": "provided",
                               "blobs": ["blob:face"]}],
                "pickup_method": "window",
                "followup_secret": uuid.uuid4().hex,
            }, {"blob:face": evidence})
            assert enqueued.case_number
            assert_delivered_with_a_verified_receipt(core, wait_settled(core, enqueued.item_id))
        finally:
            core.stop()

    logs = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in log_dir.glob("kiosk.log*"))
    assert "device status changed" in logs  # the session did write its log
    assert outcome.finished
    secrets = [ID_NUMBER, NAME_ZH, read_number, read_name]
    for secret in filter(None, secrets):
        assert secret not in logs, f"personal data in the logs: {secret[:3]}..."
    for image in (reference_photo, evidence, document.photo.data):
        if image:
            chunk = image[len(image) // 2: len(image) // 2 + 24]
            assert chunk.hex() not in logs and base64.b64encode(chunk).decode() not in logs
