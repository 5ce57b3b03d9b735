"""Every id_reader backend takes its defaults from config/defaults.d/id_reader.toml."""
from __future__ import annotations

import pytest

from devices.id_reader.sam import SamIdReader
from kiosk.config import ConfigError, load_config


@pytest.mark.parametrize("backend", ["simulated", "pcsc", "sam"])
def test_backend_defaults_validate(tmp_path, backend):
    site = tmp_path / "site.toml"
    site.write_text(f'[devices.id_card_reader]\nkind = "id_reader"\nbackend = "{backend}"\n')
    spec = next(d for d in load_config(site).devices if d.name == "id_card_reader")
    assert spec.backend == backend and spec.settings.poll_interval_s == 0.5


def test_site_options_override_and_typos_are_named(tmp_path):
    site = tmp_path / "site.toml"
    site.write_text('[devices.id_card_reader]\nkind = "id_reader"\nbackend = "sam"\n'
                    'port = "/dev/ttyS3"\n')
    spec = next(d for d in load_config(site).devices if d.name == "id_card_reader")
    assert isinstance(spec.settings, SamIdReader.Settings) and spec.settings.port == "/dev/ttyS3"
    site.write_text('[devices.id_card_reader]\nkind = "id_reader"\nbackend = "sam"\n'
                    'prot = "/dev/ttyS3"\n')
    # backend options are validated when the devices are specified (after the first frame,
    # and by `kiosk config check`), not by the fast load that draws the attract screen
    with pytest.raises(ConfigError, match="devices.id_card_reader.prot.: unknown key"):
        load_config(site).devices
