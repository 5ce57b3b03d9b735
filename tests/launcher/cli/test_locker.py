"""`kiosk locker status|open|hash-pin` through run() with the simulated bank."""
from __future__ import annotations

import argparse
import io
import json

import pytest

from launcher.cli import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, Context
from launcher.cli import locker as locker_cli
from kiosk.pickup_secrets import hash_secret
from tests.launcher.cli.running_kiosk import descriptors_on, running_kiosk

PIN = "246810"


@pytest.fixture
def ctx(tmp_path):
    site = tmp_path / "site.toml"
    site.write_text(f'[lockers]\ntechnician_pin_hash = "{hash_secret(PIN, n=2 ** 10)}"\n'
                    "pin_max_tries = 2\n", "utf-8")
    return Context(site, tmp_path)


def run(ctx, monkeypatch, stdin: str = "", **args) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return locker_cli.run(argparse.Namespace(**args), ctx)


def test_status_json_lists_every_compartment(ctx, monkeypatch, capsys):
    assert run(ctx, monkeypatch, locker_action="status", json=True) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert [c["number"] for c in report["compartments"]] == list(range(1, 17))
    assert {c["door"] for c in report["compartments"]} == {"closed"}
    assert report["status"]["availability"] == "online"


def test_open_with_the_technician_pin(ctx, monkeypatch, capsys):
    code = run(ctx, monkeypatch, PIN + "\n", locker_action="open", number=4, reason="test")
    assert code == EXIT_OK
    assert "compartment 4: open" in capsys.readouterr().out


def test_wrong_pins_lock_the_command_out_across_runs(ctx, monkeypatch, capsys):
    for _ in range(2):
        assert run(ctx, monkeypatch, "000000\n", locker_action="open", number=4,
                   reason="x") == EXIT_FAILED
    assert "locked until" in capsys.readouterr().err
    # a fresh process (new limiter, same data dir): still locked, even with the right PIN
    assert run(ctx, monkeypatch, PIN + "\n", locker_action="open", number=4,
               reason="x") == EXIT_FAILED
    assert "too many wrong PINs" in capsys.readouterr().err
    assert (ctx.data_dir / "locker-pin-tries.json").exists()


def test_open_without_a_configured_pin_is_a_configuration_error(tmp_path, monkeypatch, capsys):
    ctx = Context(None, tmp_path)
    assert run(ctx, monkeypatch, PIN + "\n", locker_action="open", number=1,
               reason="x") == EXIT_CONFIG
    assert "technician_pin_hash" in capsys.readouterr().err


def test_hash_pin_prints_a_hash_the_config_accepts(ctx, monkeypatch, capsys):
    assert run(ctx, monkeypatch, PIN + "\n", locker_action="hash-pin") == EXIT_OK
    assert capsys.readouterr().out.startswith("scrypt$16384$8$1$")


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
        assert run(ctx, monkeypatch, PIN + "\n", locker_action="open", number=4,
                   reason="test") == EXIT_OK
        assert "compartment 4: open (by the running kiosk)" in capsys.readouterr().out
        bank = core.devices.for_role("locker_bank")[0]
        assert str(bank.door_states()[4]) == "open"
        # the board simulator keeps its own end of the pty open; the bank opened it once
        assert descriptors_on(bank.boards.port) == 2
        [(kind, audit)] = core.event_sink.items
        assert audit["action"] == "locker.open" and audit["compartment"] == 4
        assert audit["chain_seq"] == 1
        assert run(ctx, monkeypatch, locker_action="status", json=True) == EXIT_OK
        report = json.loads(capsys.readouterr().out)
        assert {c["door"] for c in report["compartments"] if c["number"] == 4} == {"open"}
    assert not (ctx.data_dir / SOCKET_NAME).exists()
