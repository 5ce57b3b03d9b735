"""`kiosk id read` against the simulated reader and the SAM simulator."""
from __future__ import annotations

import json

import pytest

from foundation.config_files import CONFIG_DIR
from devices.id_reader.sam_simulator import RESIDENT_NUMBER, SamSimulator
from launcher.cli import main


@pytest.fixture
def kiosk(tmp_path, capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(tmp_path), "id", "read", *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def test_json_read_of_the_simulated_passport(kiosk, tmp_path):
    photo = tmp_path / "face.jpg"
    code, out, _ = kiosk("--json", "--photo-out", str(photo))
    assert code == 0
    shown = json.loads(out)
    for key in ("document_type", "document_number", "name", "birth_date", "expiry_date",
                "photo", "verification", "timings_ms"):
        assert key in shown
    # the simulated card carries the demo holder's picture (photo_file in the defaults)
    demo_photo = CONFIG_DIR / "demo" / "holder.jpg"
    assert shown["photo"] == {"format": "jpeg", "size_bytes": demo_photo.stat().st_size,
                              "width": 240, "height": 300, "written_to": str(photo)}
    assert photo.read_bytes() == demo_photo.read_bytes()
    assert photo.read_bytes()[:2] == b"\xff\xd8"
    assert "\\xff\\xd8" not in out and "/9j/" not in out  # no photo in the output
    assert {c["check"]: c["outcome"] for c in shown["verification"]}["sod_signature"] == "passed"
    assert shown["reader"].startswith("simulated")


def test_typed_key_and_profile(kiosk):
    code, out, _ = kiosk("--backend", "simulated", "--device", "icao_specimen",
                         "--bac", "L898902C:690806:940623")
    assert code == 0 and "ERIKSSON ANNA MARIA" in out and "verified: yes" in out


def test_wrong_key_is_a_failed_read(kiosk):
    code, _, err = kiosk("--bac", "E12345670:900101:320101")
    assert code == 1 and "refused the access key" in err


def test_malformed_key_is_a_usage_error(kiosk):
    code, _, err = kiosk("--bac", "E12345678:900199:320101")
    assert code == 2 and "day 99" in err


def test_unknown_profile_is_device_unavailable(kiosk):
    code, _, err = kiosk("--device", "nope")
    assert code == 4 and "known: icao_specimen" in err


def test_sam_reader_on_a_pty(kiosk):
    with SamSimulator("resident") as sim:
        code, out, _ = kiosk("--backend", "sam", "--device", sim.path, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["document_number"] == RESIDENT_NUMBER
    assert shown["photo"]["absent"].startswith("photo not available")


def test_missing_serial_port_is_device_unavailable(kiosk, tmp_path):
    code, _, err = kiosk("--backend", "sam", "--device", str(tmp_path / "ttyNONE"))
    assert code == 4 and "cannot be opened" in err


def test_with_the_kiosk_running_its_reader_does_a_masked_test_read(tmp_path, capsys,
                                                                   monkeypatch, test_clock):
    """One owner of the reader: the running kiosk reads (audited), the command shows only the
    checks and masked fields, and the serial port is open once (checked on the pty)."""
    from launcher.cli import Context
    from tests.kiosk.test_core import ListSink
    from tests.launcher.cli.running_kiosk import descriptors_on, running_kiosk
    with SamSimulator("resident") as sim:
        site = tmp_path / "site.toml"
        site.write_text('[devices.id_card_reader]\nkind = "id_reader"\nbackend = "sam"\n'
                        f'port = "{sim.path}"\n', "utf-8")
        with running_kiosk(Context(site, tmp_path), test_clock, event_sink=ListSink()) as core:
            monkeypatch.setattr("launcher.cli.id._build_device",
                                lambda *a: pytest.fail("a second reader was opened"))

            def kiosk(*argv: str) -> tuple[int, str, str]:
                code = main(["--config", str(site), "--data-dir", str(tmp_path), "id", "read",
                             *argv])
                captured = capsys.readouterr()
                return code, captured.out, captured.err
            code, out, _ = kiosk("--json")
            shown = json.loads(out)
            assert code == 0 and shown["verified"] is True and shown["source"] == "sam"
            assert shown["document_number"] == RESIDENT_NUMBER[0] + "*" * 16 + \
                RESIDENT_NUMBER[-1]
            assert RESIDENT_NUMBER not in out and "birth" not in out and "address" not in out
            # the simulator keeps its own end of the pty open; the kiosk's reader opened it once
            assert descriptors_on(sim.path) == 2
            [(kind, audit)] = core.event_sink.items
            assert (kind, audit["action"], audit["device"]) == ("audit", "id.test_read",
                                                                 "id_card_reader")
            assert RESIDENT_NUMBER not in json.dumps(audit)

            code, out, _ = kiosk()
            assert code == 0 and "verified: yes" in out and "fields masked, no photo" in out
            assert f"number: {shown['document_number']}" in out and RESIDENT_NUMBER not in out

            code, _, err = kiosk("--photo-out", str(tmp_path / "face.jpg"))
            assert code == 2 and "the kiosk is running and owns the identity reader" in err
            assert not (tmp_path / "face.jpg").exists() and len(core.event_sink.items) == 2
