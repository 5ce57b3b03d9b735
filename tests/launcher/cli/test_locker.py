"""`kiosk locker status|open` through run() with the simulated bank: a door opens for a person
of the hall's staff list with their kiosk PIN, through the running kiosk or on its own."""
from __future__ import annotations

import argparse
import base64
import io
import json

import pytest

from foundation.config_files import ConfigError
from kiosk.config import load_config
from kiosk.pickup_secrets import hash_secret
from launcher.cli import EXIT_FAILED, EXIT_OK, Context
from launcher.cli import locker as locker_cli
from offline_queue.fileio import write_durably
from offline_queue.sink import default_queue_dir
from tests.launcher.cli.running_kiosk import descriptors_on, running_kiosk
from wire import v1

PIN = "246810"
STAFF = [v1.KioskStaff(staff_id="T001", role="technician",
                       pin_hash=hash_secret(PIN, n=2 ** 10)),
         v1.KioskStaff(staff_id="H001", role="hall_staff")]      # has set no PIN


def with_staff_list(ctx: Context) -> Context:
    """The desired state last applied on this kiosk carries the hall's staff list (as the
    queue's sync leaves it on disk)."""
    state = v1.DesiredState(version=1, catalogue_version="c1", catalogue_sha256="0" * 64,
                            config={}, locker_assignments=[], cohort="default",
                            min_app_version="0", holder_hmac_key_id="h1", staff=STAFF)
    signed = v1.SignedDesiredState(state=state,
                                   signature_b64=base64.b64encode(bytes(64)).decode())
    queue_dir = default_queue_dir(ctx.data_dir, ctx.config.config.queue.dir)
    (queue_dir / "desired").mkdir(parents=True, exist_ok=True)
    write_durably(queue_dir / "desired" / "current.json",
                  signed.model_dump_json(exclude_none=True).encode())
    return ctx


@pytest.fixture
def ctx(tmp_path, test_clock, monkeypatch):
    """A kiosk with a staff list, on the test clock (a lockout never runs out meanwhile)."""
    monkeypatch.setattr(Context, "clock", property(lambda _self: test_clock))
    return with_staff_list(Context(None, tmp_path))


def run(ctx, monkeypatch, stdin: str = "", **args) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    if args.get("locker_action") == "open":
        args = {"staff_id": "T001", "reason": "test", **args}
    return locker_cli.run(argparse.Namespace(**args), ctx)


def test_status_json_lists_every_compartment(ctx, monkeypatch, capsys):
    assert run(ctx, monkeypatch, locker_action="status", json=True) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert [c["number"] for c in report["compartments"]] == list(range(1, 17))
    assert {c["door"] for c in report["compartments"]} == {"closed"}
    assert report["status"]["availability"] == "online"


def test_open_with_the_persons_kiosk_pin(ctx, monkeypatch, capsys):
    assert run(ctx, monkeypatch, PIN + "\n", locker_action="open", number=4) == EXIT_OK
    assert "compartment 4: open" in capsys.readouterr().out


def test_wrong_pins_lock_the_command_out_across_runs(ctx, monkeypatch, capsys):
    """The maintenance entry's own lockout: an unknown id, a person with no PIN and a wrong
    PIN all count, are told the same, and a fresh process (same data dir) stays locked."""
    for staff_id, pin in (("T001", "000000"), ("nobody", PIN), ("H001", PIN)):
        assert run(ctx, monkeypatch, pin + "\n", locker_action="open", number=4,
                   staff_id=staff_id) == EXIT_FAILED
    err = capsys.readouterr().err
    assert err.count("unknown staff id or wrong PIN") == 2 and "locked until" in err
    assert run(ctx, monkeypatch, PIN + "\n", locker_action="open", number=4) == EXIT_FAILED
    assert "too many wrong tries: locked until" in capsys.readouterr().err
    assert (ctx.data_dir / "maintenance" / "entry-tries.json").exists()


def queued_audits(ctx, district) -> list[dict]:
    """The audit events in the kiosk's queue, as the district will open them."""
    from offline_queue.seal import SUITE
    from offline_queue.store import Outbox
    outbox = Outbox(default_queue_dir(ctx.data_dir, ctx.config.config.queue.dir))
    try:
        envelopes = [v1.SubmissionEnvelope.model_validate_json(item.envelope)
                     for item in outbox.items() if item.kind == "audit"]
    finally:
        outbox.close()
    return [json.loads(SUITE.decrypt(
        base64.b64decode(e.payload.enc_b64) + base64.b64decode(e.payload.ciphertext_b64),
        district.payload_key, info=v1.payload_info("audit", e.submission_id)))
        for e in envelopes]


def test_without_the_kiosk_an_open_and_a_refusal_join_its_audit_chain(ctx, monkeypatch,
                                                                      capsys):
    """No kiosk runs: the command appends to the kiosk's own chain through its queue, the
    open before the door moves, a refusal with no credential in it."""
    from offline_queue.testing.district_keys import District, enrol
    district = District.generate()
    enrol(default_queue_dir(ctx.data_dir, ctx.config.config.queue.dir), district)
    assert run(ctx, monkeypatch, "999999\n", locker_action="open", number=5) == EXIT_FAILED
    assert run(ctx, monkeypatch, PIN + "\n", locker_action="open", number=4) == EXIT_OK
    refused, opened = queued_audits(ctx, district)
    assert refused["action"] == "locker.open_refused" and refused["compartment"] == 5
    assert "999999" not in json.dumps(refused) and "T001" not in json.dumps(refused)
    assert (opened["action"], opened["who"], opened["actor"], opened["compartment"]) == (
        "locker.open", "staff:T001", "technician", 4)
    assert [a["chain_seq"] for a in (refused, opened)] == [1, 2]
    assert opened["chain_prev"] == refused["chain_hash"]


def test_no_staff_list_yet_opens_for_no_one(tmp_path, monkeypatch, capsys):
    ctx = Context(None, tmp_path)
    assert run(ctx, monkeypatch, PIN + "\n", locker_action="open", number=1) == EXIT_FAILED
    assert "unknown staff id or wrong PIN" in capsys.readouterr().err


@pytest.mark.parametrize("key", ["technician_pin_hash", "pin_max_tries"])
def test_a_site_file_still_setting_the_technician_pin_is_told_what_replaced_it(tmp_path, key):
    site = tmp_path / "site.toml"
    site.write_text(f'[lockers]\n{key} = {3 if key == "pin_max_tries" else repr("scrypt$x")}\n',
                    "utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(site)
    message = str(error.value)
    assert f"lockers.{key}" in message and str(site) in message
    assert "staff-set-pin" in message and "is no longer used" in message


def test_with_the_kiosk_running_open_goes_through_its_control_socket(ctx, monkeypatch, capsys,
                                                                     test_clock):
    """One owner of the devices: the running kiosk opens the door (its own bank, its audit
    chain); the command never builds a second locker bank beside it."""
    import stat

    from kiosk.control_socket import SOCKET_NAME
    from tests.kiosk.test_core import ListSink
    with running_kiosk(ctx, test_clock, event_sink=ListSink()) as core:
        socket_path = ctx.data_dir / SOCKET_NAME
        assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600
        monkeypatch.setattr("launcher.cli._devices.device_for_role",
                            lambda *a: pytest.fail("a second locker bank was opened"))
        core.maintenance.access.update(STAFF)     # the staff list of its desired state
        assert run(ctx, monkeypatch, PIN + "\n", locker_action="open", number=4) == EXIT_OK
        assert "compartment 4: open (by the running kiosk)" in capsys.readouterr().out
        bank = core.devices.for_role("locker_bank")[0]
        assert str(bank.door_states()[4]) == "open"
        # the board simulator keeps its own end of the pty open; the bank opened it once
        assert descriptors_on(bank.boards.port) == 2
        [(kind, audit)] = core.event_sink.items
        assert audit["action"] == "locker.open" and audit["compartment"] == 4
        assert audit["who"] == "staff:T001" and audit["chain_seq"] == 1
        # the kiosk checks the PIN itself: a wrong one opens nothing and is audited, no PIN
        assert run(ctx, monkeypatch, "999999\n", locker_action="open", number=5) == EXIT_FAILED
        assert "unknown staff id or wrong PIN" in capsys.readouterr().err
        assert str(bank.door_states()[5]) == "closed"
        refused = core.event_sink.items[-1][1]
        assert refused["action"] == "locker.open_refused" and "999999" not in str(refused)
        assert run(ctx, monkeypatch, locker_action="status", json=True) == EXIT_OK
        report = json.loads(capsys.readouterr().out)
        assert {c["door"] for c in report["compartments"] if c["number"] == 4} == {"open"}
    assert not (ctx.data_dir / SOCKET_NAME).exists()
