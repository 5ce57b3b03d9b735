"""`kiosk enroll` and `kiosk queue status|retry|export` against the live district server."""
from __future__ import annotations

import json

import pytest

from launcher.cli import build_parser, main
from offline_queue.sink import OutboxSink
from offline_queue.store import PAGE_SIZE, Outbox
from tests.offline_queue.helpers import application


def run(capsys, *argv: str) -> tuple[int, dict | str]:
    code = main(list(argv))
    out = capsys.readouterr().out
    try:
        return code, json.loads(out)
    except ValueError:
        return code, out


@pytest.fixture
def enrolled(district, tmp_path, capsys):
    data = tmp_path / "data"
    code, result = run(capsys, "--data-dir", str(data), "enroll", "--server", district.url,
                       "--token", district.enrollment_token("kiosk-cli-01"),
                       "--kiosk-id", "kiosk-cli-01",
                       "--json")
    assert code == 0 and result["kiosk_id"] == "kiosk-cli-01"
    return data


def test_enroll_refused_with_a_spent_token(district, tmp_path, capsys):
    token = district.enrollment_token("kiosk-cli-01")
    assert main(["--data-dir", str(tmp_path / "a"), "enroll", "--server", district.url,
                 "--token", token, "--kiosk-id", "kiosk-cli-01"]) == 0
    assert main(["--data-dir", str(tmp_path / "b"), "enroll", "--server", district.url,
                 "--token", token, "--kiosk-id", "kiosk-cli-02"]) == 1
    assert "refused (401)" in capsys.readouterr().err


def test_every_issued_token_can_be_typed_after_token(district):
    """A technician types the token the district issued as it is printed; a token starting
    with "-" was refused by the parser as an unknown option."""
    parser = build_parser(["enroll"])
    for _ in range(300):
        token = district.enrollment_token("kiosk-cli-01")
        args = parser.parse_args(["enroll", "--server", district.url, "--token", token])
        assert args.token == token


def test_enroll_unreachable_server(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "enroll", "--server", "http://127.0.0.1:9",
                 "--token", "x" * 20]) == 1
    assert "cannot reach" in capsys.readouterr().err


def test_status_retry_and_export(enrolled, tmp_path, capsys, test_clock):
    outbox = Outbox(enrolled / "queue")
    sink = OutboxSink(outbox, clock=test_clock)
    first = sink.enqueue("submission", application(1, pages=1), {"blob:page0": b"scan" * 1000})
    sink.enqueue("submission", application(2))
    outbox.quarantine(first.item_id, "409 conflict")

    code, status = run(capsys, "--data-dir", str(enrolled), "queue", "status", "--json")
    assert code == 0
    assert (status["depth"], status["quarantined"], status["enrolled"]) == (1, 1, True)

    code, exported = run(capsys, "--data-dir", str(enrolled), "queue", "export",
                         str(tmp_path / "usb"), "--json")
    assert code == 0 and exported["exported"] == 2
    manifest = json.loads((tmp_path / "usb" / "manifest.json").read_text())
    assert {i["item_id"] for i in manifest["items"]} >= {first.item_id}
    exported_bytes = b"".join(p.read_bytes() for p in (tmp_path / "usb").rglob("*") if p.is_file())
    assert b"11010519491231002X" not in exported_bytes and b"scan" not in exported_bytes
    code, checked = run(capsys, "queue", "check", str(tmp_path / "usb"), "--json")
    assert code == 0 and (checked["items"], checked["blobs"], checked["ok"]) == (2, 1, True)
    blob = next((tmp_path / "usb" / "blobs").iterdir())
    blob.write_bytes(blob.read_bytes()[:-1])        # a copy damaged on the way
    code, checked = run(capsys, "queue", "check", str(tmp_path / "usb"))
    assert code == 1 and f"blobs/{blob.name}: changed since the export" in checked

    code, retried = run(capsys, "--data-dir", str(enrolled), "queue", "retry", "--json")
    assert code == 0
    assert (retried["released"], retried["synced"], retried["delivered"]) == (1, True, 2)
    code, status = run(capsys, "--data-dir", str(enrolled), "queue", "status")
    assert "pending: 0  quarantined: 0  delivered (kept): 2" in status


def test_status_and_export_work_on_a_damaged_queue(enrolled, tmp_path, capsys, test_clock):
    from tests.offline_queue.test_integrity import damage_page_holding
    outbox = Outbox(enrolled / "queue")
    sink = OutboxSink(outbox, clock=test_clock)
    items = [sink.enqueue("submission", application(n)) for n in range(40)]
    rows_per_page = PAGE_SIZE // min(len(item.envelope) for item in outbox.iter_items())
    outbox.close()
    damage_page_holding(enrolled / "queue" / "outbox.sqlite3", items[20].item_id.encode())

    code, status = run(capsys, "--data-dir", str(enrolled), "queue", "status", "--json")
    assert code == 0 and "damaged" in status["alert"]
    assert len(items) - rows_per_page <= status["depth"] < len(items)  # one page's rows lost
    code, exported = run(capsys, "--data-dir", str(enrolled), "queue", "export",
                         str(tmp_path / "usb"), "--json")
    assert code == 0 and exported["exported"] == status["depth"]


def test_doctor_says_whether_the_signing_key_is_private(enrolled, capsys):
    from offline_queue.identity import SIGNING_KEY_FILE
    key = enrolled / "queue" / SIGNING_KEY_FILE
    assert oct(key.stat().st_mode)[-3:] == "600"
    assert main(["--data-dir", str(enrolled), "doctor"]) == 0
    assert "signing key: readable only by the kiosk user" in capsys.readouterr().out
    key.chmod(0o644)
    code, report = run(capsys, "--data-dir", str(enrolled), "doctor", "--json")
    assert code == 1
    [problem] = [p for p in report["problems"] if p["role"] == "signing_key"]
    assert "644" in problem["reason"] and "chmod 600" in problem["reason"]


def test_with_the_kiosk_running_its_queue_answers(enrolled, tmp_path, capsys, monkeypatch,
                                                  test_clock):
    """One owner of the queue: while the kiosk runs, status, retry and export are its own
    queue's and sync worker's (a retry and an export audited in its chain); the command never
    opens the queue beside it."""
    from launcher.cli import Context
    from offline_queue.service import QueueService
    from tests.launcher.cli.running_kiosk import AuditRecorder, running_kiosk
    outbox = Outbox(enrolled / "queue")
    first = OutboxSink(outbox, clock=test_clock).enqueue("submission", application(1))
    outbox.quarantine(first.item_id, "409 conflict")
    outbox.close()
    with running_kiosk(Context(None, enrolled), test_clock) as core:
        core.event_sink = recorder = AuditRecorder(core.event_sink)
        monkeypatch.setattr(QueueService, "open", classmethod(
            lambda *a, **k: pytest.fail("the command opened the queue beside the kiosk")))

        code, status = run(capsys, "--data-dir", str(enrolled), "queue", "status", "--json")
        assert code == 0 and (status["quarantined"], status["enrolled"]) == (1, True)

        code, retried = run(capsys, "--data-dir", str(enrolled), "queue", "retry", "--json")
        assert code == 0 and (retried["released"], retried["synced"]) == (1, True)
        code, status = run(capsys, "--data-dir", str(enrolled), "queue", "status", "--json")
        assert status["quarantined"] == 0 and status["delivered_kept"] >= 1

        code, exported = run(capsys, "--data-dir", str(enrolled), "queue", "export",
                             str(tmp_path / "usb"), "--all", "--json")
        assert code == 0 and exported["directory"] == str(tmp_path / "usb")
        manifest = json.loads((tmp_path / "usb" / "manifest.json").read_text())
        assert first.item_id in {i["item_id"] for i in manifest["items"]}
        assert [(a["action"], a["who"]) for a in recorder.audits] == [
            ("queue.retry", "technician:cli"), ("queue.exported", "technician:cli")]
        assert recorder.audits[1]["items"] == exported["exported"]
