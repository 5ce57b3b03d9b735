"""`kiosk locker status|open|hash-pin` through run() with the simulated bank."""
from __future__ import annotations

import argparse
import io
import json

import pytest

from launcher.cli import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, Context
from launcher.cli import locker as locker_cli
from kiosk.pickup_secrets import hash_secret

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
