"""JSON-lines logs with rotation; personal data is dropped or masked even when code slips."""
from __future__ import annotations

import json
import logging

import pytest

from kiosk.logging_setup import configure_logging


@pytest.fixture
def log_dir(tmp_path):
    yield tmp_path
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_kiosk", False):
            logging.getLogger().removeHandler(handler)
            handler.close()


def read_lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_record_is_one_json_line_with_its_fields(log_dir):
    path = configure_logging(log_dir, level="INFO")
    logging.getLogger("kiosk.test").info("printer status changed",
                                         extra={"device": "receipt_printer", "paper": "low"})
    entry = read_lines(path)[-1]
    assert entry["msg"] == "printer status changed"
    assert entry["level"] == "INFO" and entry["logger"] == "kiosk.test"
    assert entry["device"] == "receipt_printer" and entry["paper"] == "low"
    assert entry["ts"].endswith("Z")


def test_logs_rotate_at_the_configured_size(log_dir):
    path = configure_logging(log_dir, level="INFO", max_bytes=10_000, backups=2)
    log = logging.getLogger("kiosk.test")
    for number in range(400):
        log.info("queue heartbeat", extra={"n": number, "pad": "x" * 40})
    assert path.exists() and (log_dir / "kiosk.log.1").exists() and (log_dir / "kiosk.log.2").exists()
    assert not (log_dir / "kiosk.log.3").exists()
    assert all(p.stat().st_size <= 10_000 for p in log_dir.glob("kiosk.log*"))


def test_personal_fields_and_id_shaped_values_never_reach_the_file(log_dir):
    path = configure_logging(log_dir, level="DEBUG")
    log = logging.getLogger("kiosk.test")
    log.info("document read for 11010519491231002X",
             extra={"full_name": "王小明", "id_number": "11010519491231002X",
                    "details": {"photo": b"\xff\xd8jpeg", "note": "holder 44030019900101123X"},
                    "mrz": "P<CHNWANG<<XIAOMING<<<<<<<<<<<<<<<<<<<<<<<<<<"})
    try:
        raise ValueError("bad card for P<CHNWANG<<XIAOMING<<<<<<<<<<<<<<<<<<<")
    except ValueError:
        log.exception("read failed")
    text = path.read_text(encoding="utf-8")
    for secret in ("王小明", "11010519491231002X", "44030019900101123X", "XIAOMING", "jpeg"):
        assert secret not in text
    assert "[id-number]" in text and "[personal]" in text and "[mrz]" in text
