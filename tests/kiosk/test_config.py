"""Bad configuration stops start-up with the file, the key and the fix named."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from foundation.config_files import DEFAULTS_FILE
from kiosk.config import ConfigError, load_config


def site(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_alone_make_every_device_simulated():
    loaded = load_config(None)
    assert loaded.site_file is None
    assert {d.backend for d in loaded.devices} == {"simulated"}
    assert set(loaded.config.roles) == {"id_reader", "face_camera", "document_camera",
                                        "code_reader", "receipt_printer", "locker_bank"}


def test_site_file_overrides_a_default(tmp_path):
    loaded = load_config(site(tmp_path, "[session]\nidle_timeout_s = 120\n"))
    assert loaded.config.session.idle_timeout_s == 120
    assert loaded.config.session.idle_warning_s == 30  # untouched default
    assert loaded.origin("session.idle_timeout_s") == tmp_path / "site.toml"
    assert loaded.origin("session.idle_warning_s") == DEFAULTS_FILE


def test_typo_in_key_names_file_key_and_suggestion(tmp_path):
    path = site(tmp_path, "[session]\nidle_timeout = 60\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert error.file == str(path)
    assert error.key == "session.idle_timeout"
    assert "unknown key" in error.problem
    assert "did you mean 'session.idle_timeout_s'" in error.fix


def test_typo_in_section_name(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(site(tmp_path, "[sesion]\nidle_timeout_s = 60\n"))
    assert caught.value.key == "sesion"
    assert "did you mean 'session'" in caught.value.fix


def test_wrong_type_names_file_key_and_expected_type(tmp_path):
    path = site(tmp_path, '[kiosk]\nelder_mode = "yes"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message and "kiosk.elder_mode" in message
    assert "bool" in message and "Fix:" in message


def test_out_of_range_value_names_the_bound(tmp_path):
    path = site(tmp_path, "[session]\nidle_warning_s = 5\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == "session.idle_warning_s"
    assert "out of range" in caught.value.problem
    assert ">= 20" in caught.value.fix


def test_the_public_follow_up_address_is_checked(tmp_path):
    loaded = load_config(site(tmp_path, '[server]\npublic_url = "https://zwfw.example.cn/ft"\n'))
    assert loaded.config.server.public_url == "https://zwfw.example.cn/ft"
    assert load_config(None).config.server.public_url == ""   # default: the enrolled server
    path = site(tmp_path, '[server]\npublic_url = "zwfw.example.cn/case?x=1"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == "server.public_url" and str(path) in str(caught.value)


def test_value_not_in_choices(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(site(tmp_path, '[kiosk]\norientation = "diagonal"\n'))
    assert "portrait" in caught.value.fix


def test_unknown_backend_is_named(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(site(tmp_path, '[devices.receipt_printer]\nbackend = "carrier-pigeon"\n'))
    assert caught.value.key == "devices.receipt_printer.backend"
    assert "simulated" in caught.value.problem  # the known backends are listed


def test_role_naming_a_missing_device(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(site(tmp_path, '[roles]\nreceipt_printer = ["printer_2"]\n'))
    assert caught.value.key == "roles.receipt_printer"
    assert "printer_2" in caught.value.problem


def test_broken_toml_names_the_line(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(site(tmp_path, "[session\nidle_timeout_s = 60\n"))
    assert "line 1" in caught.value.problem


def test_missing_site_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_cli_stops_with_exit_3_and_the_message(tmp_path):
    path = site(tmp_path, "[session]\nidle_warning_s = 5\n")
    result = subprocess.run([sys.executable, "-m", "launcher", "--config", str(path), "config",
                             "check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3
    assert str(path) in result.stderr and "session.idle_warning_s" in result.stderr
    assert "Fix:" in result.stderr


def test_cli_says_when_everything_is_simulated():
    result = subprocess.run([sys.executable, "-m", "launcher", "config", "check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "every device uses its simulator" in result.stdout


def test_typo_in_a_backend_option_is_named_with_a_suggestion(tmp_path):
    path = site(tmp_path, "[devices.receipt_printer]\npaper_widht_mm = 58\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path).devices  # backend options are checked when the devices are built
    assert caught.value.file == str(path)
    assert caught.value.key == "devices.receipt_printer.paper_widht_mm"
    assert "did you mean 'devices.receipt_printer.paper_width_mm'" in caught.value.fix


def test_out_of_range_backend_option(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(site(tmp_path, "[devices.receipt_printer]\npaper_width_mm = 3\n")).devices
    assert caught.value.key == "devices.receipt_printer.paper_width_mm"


def test_a_bad_backend_option_stops_the_cli_with_exit_3(tmp_path):
    path = site(tmp_path, "[devices.receipt_printer]\npaper_width_mm = 3\n")
    result = subprocess.run([sys.executable, "-m", "launcher", "--config", str(path), "config",
                             "check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    assert "devices.receipt_printer.paper_width_mm" in result.stderr


def test_loading_the_configuration_imports_no_device_backend():
    """Backends are named in their kind's table and imported only when the devices are
    built: the attract screen must not wait for numpy, OpenCV or the crypto libraries."""
    probe = ("import sys; from kiosk.config import load_config; load_config(); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('numpy', 'cv2', 'cryptography', 'serial', 'smartcard')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip() == "[]"


def test_the_auto_capture_countdown_has_one_default_and_a_site_may_lengthen_it(tmp_path):
    assert load_config(None).config.document_scan.auto_capture_countdown_s == 3.0
    loaded = load_config(site(tmp_path, "[document_scan]\nauto_capture_countdown_s = 5\n"))
    assert loaded.config.document_scan.auto_capture_countdown_s == 5


@pytest.mark.parametrize("value, fix", [("0", ">= 1"), ("60", "<= 15"), ('"3 s"', "float")])
def test_a_bad_auto_capture_countdown_names_the_key_the_file_and_the_fix(tmp_path, value, fix):
    path = site(tmp_path, f"[document_scan]\nauto_capture_countdown_s = {value}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert error.file == str(path) and error.key == "document_scan.auto_capture_countdown_s"
    assert fix in error.fix
