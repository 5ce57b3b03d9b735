"""`district-server` commands, the migrations matching the models, and `run` serving real
HTTP on loopback with several workers."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from district_server.cli import main
from district_server.migrations import upgrade
from district_server.settings import Settings
from district_server.models import metadata
from tests.district_server.kiosk_double import KioskDouble
from wire import v1


def test_migrations_produce_exactly_the_models(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    engine.dispose()


def test_keys_and_enroll_token(tmp_path: Path, capsys):
    data = ["--data-dir", str(tmp_path)]
    assert main(data + ["keys"]) == 0
    keys = json.loads(capsys.readouterr().out)
    assert "holder_hmac_key" not in keys and len(keys["payload_key_ids"]) == 1
    assert oct((tmp_path / "district-keys.json").stat().st_mode)[-3:] == "600"
    assert main(data + ["keys", "--rotate-payload-key"]) == 0
    rotated = json.loads(capsys.readouterr().out)
    assert len(rotated["payload_key_ids"]) == 2 and rotated["key_id"] != keys["key_id"]
    assert main(data + ["enroll-token", "--kiosk-id", "kiosk-a"]) == 0
    assert len(capsys.readouterr().out.strip()) >= 16
    with pytest.raises(SystemExit) as usage:        # a token is bound to one kiosk id
        main(data + ["enroll-token"])
    assert usage.value.code == 2 and "--kiosk-id" in capsys.readouterr().err


def test_staff_add_and_revoke_staff_and_kiosks(tmp_path: Path, capsys, monkeypatch):
    import io
    data = ["--data-dir", str(tmp_path)]
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough password\n"))
    assert main(data + ["staff-add", "--id", "wang01", "--name", "王", "--role", "supervisor",
                        "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(data + ["staff-add", "--id", "li02", "--name", "李", "--password-stdin"]) == 5
    assert "at least" in capsys.readouterr().err
    # an administrator sets someone's kiosk PIN: digits only, never echoed, audited
    for pin, code in (("12ab56", 5), ("2718281", 0)):
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{pin}\n"))
        assert main(data + ["staff-set-pin", "--id", "wang01", "--pin-stdin"]) == code
    out = capsys.readouterr()
    assert "6 to 12 digits" in out.err and "kiosk PIN of wang01 set" in out.out
    assert "2718281" not in out.out + out.err
    monkeypatch.setattr("sys.stdin", io.StringIO("2718281\n"))
    assert main(data + ["staff-set-pin", "--id", "nobody", "--pin-stdin"]) == 5
    # and registers their resident ID card as their staff card: the number from stdin only
    for number, code in (("11010519491231002", 5), ("11010519491231002x", 0)):
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{number}\n"))
        assert main(data + ["staff-set-card", "--id", "wang01"]) == code
    out = capsys.readouterr()
    assert "17 digits and a check digit" in out.err and "staff card of wang01 set" in out.out
    assert "11010519491231002" not in out.out + out.err
    assert main(data + ["staff-revoke", "wang01"]) == 0
    assert main(data + ["staff-revoke", "nobody"]) == 5
    assert main(data + ["kiosk-revoke", "kiosk-nobody"]) == 5


def test_catalogue_validate_reports_problems(tmp_path: Path, capsys):
    (tmp_path / "catalogue.yaml").write_text("version: '1'\nitems: []\n")
    assert main(["--data-dir", str(tmp_path), "catalogue", "validate", str(tmp_path)]) == 5
    assert "problem" in capsys.readouterr().err


def test_a_configuration_file_is_published_and_a_bad_one_refused(tmp_path: Path, capsys):
    from district_server.app import build_context
    from district_server.kiosk_config import service
    data = ["--data-dir", str(tmp_path)]
    wanted = {"kiosk.hall_phone": "0755-8888 0000", "session.idle_warning_s": 45}
    (tmp_path / "good.json").write_text(json.dumps(wanted), encoding="utf-8")
    assert main(data + ["config", "publish", str(tmp_path / "good.json")]) == 0
    assert "published to cohort default" in capsys.readouterr().out
    ctx = build_context(Settings(data_dir=tmp_path))
    with ctx.db.transaction() as session:
        in_use = service.published_number(session, "default", "default")
        assert service.content(session, in_use) == wanted
    (tmp_path / "unknown.json").write_text('{"kiosk.id": "other"}', encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"kiosk.hall_phone": ', encoding="utf-8")
    for name, problem in (("unknown.json", "not allowed to push remotely"),
                          ("broken.json", "not JSON"),
                          ("missing.json", "No such file")):
        assert main(data + ["config", "publish", str(tmp_path / name)]) == 5
        assert problem in capsys.readouterr().err, name
    with ctx.db.transaction() as session:   # nothing refused was stored or published
        assert service.published_number(session, "default", "default") == in_use


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def served(data_dir: Path, *options: str) -> Iterator[str]:
    """`district-server run` in a process of its own; yields its base URL once healthy."""
    port = free_port()
    command = [sys.executable, "-m", "district_server.cli", "run", "--data-dir", str(data_dir),
               "--port", str(port), *options]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)


def enrolment_token(data_dir: Path, kiosk_id: str) -> str:
    return subprocess.run([sys.executable, "-m", "district_server.cli", "--data-dir",
                           str(data_dir), "enroll-token", "--kiosk-id", kiosk_id],
                          capture_output=True, text=True, check=True).stdout.strip()


def test_run_serves_over_loopback_with_two_workers(tmp_path: Path):
    with served(tmp_path, "--workers", "2") as base:
        health = httpx.get(f"{base}/v1/health", timeout=2)
        assert health.status_code == 204
        assert health.headers[v1.HEADER_API] == "v1" and "GMT" in health.headers["Date"]
        token = enrolment_token(tmp_path, "live-kiosk-01")
        with httpx.Client(base_url=base, timeout=10) as http:
            kiosk = KioskDouble(http, "live-kiosk-01")
            kiosk.enroll(token)
            statuses = {kiosk.request("GET", "/v1/kiosks/live-kiosk-01/receipts").status_code
                        for _ in range(6)}          # spread over both workers
            assert statuses == {200}
            assert http.get("/openapi.json").json()["info"]["version"] == "v1"


def test_booking_code_rate_limit_holds_across_two_server_processes(tmp_path: Path):
    """Guesses alternate between two servers on one database; the limit counts them all
    (a per-process counter would let twice as many through)."""
    limit, _window = Settings(data_dir=tmp_path).booking_code_attempts_per_kiosk
    with served(tmp_path) as first, served(tmp_path) as second:
        token = enrolment_token(tmp_path, "guessing-kiosk")
        with httpx.Client(base_url=first, timeout=10) as one, \
                httpx.Client(base_url=second, timeout=10) as two:
            kiosks = [KioskDouble(one, "guessing-kiosk"), KioskDouble(two, "guessing-kiosk")]
            kiosks[0].enroll(token)
            kiosks[1].key, kiosks[1].district = kiosks[0].key, kiosks[0].district
            statuses = [kiosks[n % 2].request("POST", "/v1/citizen/check-in",
                                              {"booking_code": f"G{n:08d}"}).status_code
                        for n in range(2 * limit)]
    assert statuses == [404] * limit + [429] * limit


def test_tls_options_go_together(tmp_path: Path):
    assert main(["run", "--data-dir", str(tmp_path), "--tls-cert", "cert.pem"]) == 2


def test_purge_command(tmp_path: Path, capsys):
    assert main(["--data-dir", str(tmp_path), "purge", "--retention-days", "30"]) == 0
    assert "purged 0 cases" in capsys.readouterr().out


def test_on_call_add_puts_a_member_of_the_hall_on_call_for_a_shift(tmp_path: Path, capsys):
    from datetime import datetime, timedelta, timezone

    from district_server.app import build_context
    from district_server.notices.service import on_call
    from district_server.staff.accounts import create_account
    data = ["--data-dir", str(tmp_path)]
    ctx = build_context(Settings(data_dir=tmp_path, publish_catalogue_on_start=False))
    with ctx.db.transaction() as session:
        create_account(session, staff_id="night-1", name="Night", role="clerk",
                       hall_code="FT-NORTH", password="long enough pw", now=ctx.now())
    starts = datetime.now(timezone(timedelta(hours=8))).replace(microsecond=0)
    ends = starts + timedelta(hours=12)

    def shift(staff: str, start: str) -> list[str]:
        return data + ["on-call-add", "--hall", "FT-NORTH", "--staff", staff, "--channel",
                       "sms", "--recipient", "+8613800000000", "--from", start,
                       "--to", ends.isoformat()]
    assert main(shift("night-1", starts.replace(tzinfo=None).isoformat())) == 5
    assert "UTC offset" in capsys.readouterr().err
    assert main(shift("nobody", starts.isoformat())) == 5
    assert "No member of staff nobody in hall FT-NORTH" in capsys.readouterr().err
    assert main(shift("night-1", starts.isoformat())) == 0
    with ctx.db.transaction() as session:
        [duty] = on_call(session, "FT-NORTH", starts + timedelta(hours=1))
        assert duty.recipient == "+8613800000000" and duty.name == "night-1"
        assert on_call(session, "FT-NORTH", ends) == []
    ctx.db.dispose()


def test_upgrade_keeps_blobs_visible_to_the_kiosks_that_submitted_them(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url, "0006")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO blobs (sha256, length, stored_at) VALUES "
            "('" + "a" * 64 + "', 3, '2026-11-26 10:00:00'), "
            "('" + "b" * 64 + "', 3, '2026-11-26 10:00:00')")
        connection.exec_driver_sql(
            "INSERT INTO submissions (submission_id, kiosk_id, kiosk_seq, kind, digest, "
            "envelope, receipt, signature_b64, received_at) VALUES ('s-1', 'kiosk-a', 1, "
            "'submission', 'd', '{\"blobs\": [\"" + "a" * 64 + "\"]}', '', '', "
            "'2026-11-26 10:00:00')")
    upgrade(url)
    with engine.connect() as connection:
        owners = connection.exec_driver_sql("SELECT sha256, kiosk_id FROM blob_owners").all()
    assert owners == [("a" * 64, "kiosk-a")]
