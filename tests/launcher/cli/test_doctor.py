"""`kiosk doctor`: every simulated device online -> exit 0; printer offline -> exit 1."""
from __future__ import annotations

import json

import pytest

from launcher.cli import main


def doctor(capsys, tmp_path, *extra):
    code = main(["--data-dir", str(tmp_path), "doctor", "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_every_simulated_device_online(capsys, tmp_path):
    code, report = doctor(capsys, tmp_path)
    assert code == 0 and report["ok"] and report["problems"] == []
    devices = {d["name"]: d for d in report["devices"]}
    assert set(devices) >= {"id_card_reader", "face_camera", "document_camera", "code_scanner",
                            "receipt_printer", "lockers"}
    for device in devices.values():
        assert device["backend"] == "simulated" and device["status"] == "online", device
        assert device["roles"], f"{device['name']} fills no role"
    assert all(j["available"] for j in report["journeys"].values())
    assert report["queue"]["usable"] is True and "depth" in report["queue"]
    assert report["server"]["reachable"] is None  # no server configured by default


def test_printer_offline_names_the_affected_journeys_and_fails(capsys, tmp_path):
    code, report = doctor(capsys, tmp_path, "--simulate", "receipt_printer:offline")
    assert code == 1 and not report["ok"]
    printer = next(d for d in report["devices"] if d["name"] == "receipt_printer")
    assert printer["status"] != "online" and printer["reason"]
    [problem] = report["problems"]
    assert problem["role"] == "receipt_printer"
    assert set(problem["journeys"]) == {"apply", "ticket"}
    assert report["journeys"]["apply"]["degraded"]


def test_unknown_simulator_action_is_a_usage_error(capsys, tmp_path):
    code = main(["--data-dir", str(tmp_path), "doctor", "--simulate", "receipt_printer:explode"])
    assert code == 2
    assert "known actions" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["receipt_printer", "receipt_printer:paper:level"])
def test_malformed_simulate_option(text):
    from launcher.cli.doctor import UsageProblem, parse_simulate
    with pytest.raises(UsageProblem):
        parse_simulate(text)


def test_simulate_arguments_are_typed():
    from launcher.cli.doctor import parse_simulate
    assert parse_simulate("lockers:jam:compartment=3") == ("lockers", "jam", {"compartment": 3})
    assert parse_simulate("receipt_printer:offline:offline=false") == \
        ("receipt_printer", "offline", {"offline": False})


def test_virtual_pcsc_reader_fails_doctor_unless_the_reader_is_simulated(monkeypatch):
    pytest.importorskip("smartcard")
    import devices.id_reader.pcsc as pcsc
    from devices.id_reader.security import virtual_reader_finding

    monkeypatch.setattr(pcsc, "virtual_readers", lambda: ["Virtual PCD 00 00"])
    assert "Virtual PCD 00 00" in virtual_reader_finding(["pcsc"])
    assert virtual_reader_finding(["simulated"]) == ""
    monkeypatch.setattr(pcsc, "virtual_readers", lambda: [])
    assert virtual_reader_finding(["pcsc"]) == ""


def test_this_machine_can_open_the_kiosk_window(capsys, tmp_path):
    code, report = doctor(capsys, tmp_path)
    assert report["display"]["usable"] is True, report["display"]
    assert report["display"]["missing"] == []


def test_a_missing_display_library_is_named_with_its_package(capsys, tmp_path,
                                                              broken_platform_plugin):
    code, report = doctor(capsys, tmp_path / "data")
    assert code == 1 and not report["ok"]
    assert report["display"]["missing"] == ["libkiosk-gone.so.4"]
    [problem] = [p for p in report["problems"] if p["role"] == "display"]
    assert "libkiosk-gone.so.4" in problem["reason"] and "libkiosk-gone4" in problem["reason"]
    assert "scripts/install-debian-deps.sh" in problem["reason"]
    assert set(problem["journeys"]) == set(report["journeys"])


def test_the_service_state_and_its_storage_stop_are_reported(capsys, tmp_path):
    """The disk guard's stop is the service state's: doctor shows it, names apply, fails."""
    code, report = doctor(capsys, tmp_path)
    assert report["service"] == {"mode": "in_service", "stops": {}, "role": None}
    site = tmp_path / "site.toml"
    site.write_text("[queue]\nmin_free_bytes = 4611686018427387904\n", encoding="utf-8")
    code = main(["--config", str(site), "--data-dir", str(tmp_path), "doctor"])
    text = capsys.readouterr().out
    assert code == 1
    assert "service: in service; storage stop: " in text
    assert "service stop storage:" in text and "journeys affected: apply" in text
