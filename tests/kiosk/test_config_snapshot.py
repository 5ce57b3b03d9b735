"""The attract screen's configuration snapshot: used only while the files are unchanged."""
from __future__ import annotations

import os

from kiosk import config_snapshot
from kiosk.config import load_config


def site_file(tmp_path, text='[kiosk]\nname = "东城街道自助服务终端"\n'):
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_saved_sections_read_back_as_the_configuration_has_them(tmp_path):
    site = site_file(tmp_path)
    loaded = load_config(site)
    config_snapshot.save(tmp_path / "data", loaded)
    snapshot = config_snapshot.read(tmp_path / "data", site)
    assert snapshot is not None
    assert snapshot.kiosk.name == "东城街道自助服务终端" == loaded.config.kiosk.name
    assert snapshot.kiosk.journeys == loaded.config.kiosk.journeys
    assert snapshot.session.idle_timeout_s == loaded.config.session.idle_timeout_s
    assert snapshot.roles == loaded.config.roles
    assert not hasattr(snapshot, "lockers")  # no secrets (the technician PIN hash) saved


def test_a_changed_configuration_file_makes_the_snapshot_stale(tmp_path):
    site = site_file(tmp_path)
    config_snapshot.save(tmp_path / "data", load_config(site))
    site_file(tmp_path, '[kiosk]\nname = "西城街道自助服务终端"\n')
    stat = site.stat()
    os.utime(site, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert config_snapshot.read(tmp_path / "data", site) is None


def test_another_site_file_or_none_does_not_use_the_snapshot(tmp_path):
    site = site_file(tmp_path)
    config_snapshot.save(tmp_path / "data", load_config(site))
    assert config_snapshot.read(tmp_path / "data", None) is None


def test_a_missing_or_damaged_snapshot_is_ignored(tmp_path):
    assert config_snapshot.read(tmp_path, None) is None
    (tmp_path / config_snapshot.FILE_NAME).write_text("{not json", encoding="utf-8")
    assert config_snapshot.read(tmp_path, None) is None
