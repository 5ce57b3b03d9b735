"""Typed configuration: defaults from config/defaults.toml (+ defaults.d/), a site file on top.

Validation happens once, at start. Every problem becomes a `ConfigError` that names
the file the value came from, the dotted key, what is wrong and how to fix it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from foundation.config_files import DEFAULTS_FILE, ConfigError, default_files, explain, merge, \
    origin_of, read_toml
from foundation.daily_times import CLOCK_TIME_PATTERN
from devices.face.settings import FaceSettings
from devices.registry import BackendUnavailable, DeviceSpec, backend_class, kind_backends
from wire.v1 import Hall


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class KioskSection(Section):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{2,39}$")
    name: str
    name_en: str
    hall_address: str
    hall_address_en: str
    hall_phone: str
    language: Literal["zh_CN", "en_US"]
    orientation: Literal["portrait", "landscape"]
    elder_mode: bool
    voice_guidance: bool
    journeys: list[Literal["apply", "query", "pickup", "ticket", "guide", "rate", "supply"]]
    #: other halls, nearest first, for the out-of-service screen (the district pushes them)
    alternatives: list[Hall] = Field(max_length=10)


class SessionSection(Section):
    idle_timeout_s: int = Field(ge=15, le=3600)
    idle_warning_s: int = Field(ge=20, le=300)


class LoggingSection(Section):
    dir: str
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"]
    max_bytes: int = Field(ge=10_000, le=1_000_000_000)
    backups: int = Field(ge=1, le=100)


class ServerSection(Section):
    url: str = Field(pattern=r"^$|^https?://")
    #: the district's address as citizens' phones reach it (the receipt QR's 掌上办 page)
    public_url: str = Field(pattern=r"^$|^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s?#]*)?$")
    pinned_cert_sha256: str = Field(pattern=r"^$|^[0-9a-fA-F]{64}$")
    timeout_s: float = Field(gt=0, le=300)


class QueueSection(Section):
    """The offline queue and sync (offline_queue/); defaults in config/defaults.d/queue.toml."""
    dir: str
    backoff_base_s: float = Field(gt=0, le=3600)
    backoff_cap_s: float = Field(gt=0, le=86400)
    idle_sync_interval_s: float = Field(gt=0, le=86400)
    desired_state_poll_s: float = Field(gt=0, le=86400)
    desired_state_jitter_s: float = Field(ge=0, le=3600)
    chunk_bytes: int = Field(ge=4096, le=16 * 1024 * 1024)
    delivered_retention_s: float = Field(ge=0)
    oldest_unsent_alert_s: float = Field(gt=0)
    item_failure_limit: int = Field(ge=1, le=1000)
    min_free_bytes: int = Field(ge=0)
    max_item_bytes: int = Field(ge=1024)


class FaceSection(FaceSettings):
    """Face verification (devices/face/); defaults in config/defaults.d/face.toml."""
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class LockersSection(Section):
    """Pickup's limits; defaults in config/defaults.d/locker.toml."""
    code_max_tries: int = Field(ge=1, le=20)
    code_lockout_s: float = Field(gt=0, le=7 * 86400)


class UiSection(Section):
    """The Qt shell (ui/); defaults in config/defaults.d/ui.toml."""
    speech_engine: str = Field(pattern=r"^[a-z0-9_-]*$")
    speech_rate: float = Field(ge=-1.0, le=1.0)
    online_hall_url: str = Field(pattern=r"^$|^https://")
    hang_restart_s: float = Field(ge=0, le=3600)


class MaintenanceSection(Section):
    """Staff and technician mode; defaults in config/defaults.d/maintenance.toml."""
    service_key: str = Field(pattern=r"^[A-Za-z0-9]{1,12}$")
    long_press_s: float = Field(ge=1, le=30)
    inactivity_s: float = Field(ge=30, le=3600)
    max_tries: int = Field(ge=1, le=20)
    lockout_s: float = Field(gt=0, le=86400)
    max_lockout_s: float = Field(gt=0, le=7 * 86400)


class WatchdogSection(Section):
    """The systemd watchdog's view of the workers (kiosk/watchdog.py); defaults in
    config/defaults.d/watchdog.toml."""
    device_answer_s: float = Field(gt=0, le=3600)
    sync_progress_s: float = Field(gt=0, le=86400)


class HousekeepingSection(Section):
    """Nightly housekeeping (kiosk/housekeeping.py); defaults in
    config/defaults.d/housekeeping.toml."""
    at: str = Field(pattern=CLOCK_TIME_PATTERN)
    retry_s: float = Field(gt=0, le=3600)
    vacuum_min_bytes: int = Field(ge=0)


class UpdatesSection(Section):
    """Application updates that roll back by themselves (kiosk/updates.py); defaults in
    config/defaults.d/updates.toml."""
    root: str = Field(min_length=1)
    confirm_within_s: float = Field(gt=0, le=86400)
    max_unconfirmed_starts: int = Field(ge=1, le=100)
    quiet_from: str = Field(pattern=CLOCK_TIME_PATTERN)
    quiet_until: str = Field(pattern=CLOCK_TIME_PATTERN)
    check_every_s: float = Field(gt=0, le=3600)
    rate_bytes_per_s: int = Field(ge=0)


class ScreenSection(Section):
    """The screen at night (kiosk/screen_blank.py); defaults in config/defaults.d/screen.toml."""
    blank_from: str = Field(pattern=CLOCK_TIME_PATTERN)
    wake_at: str = Field(pattern=CLOCK_TIME_PATTERN)
    blank_after_idle_s: float = Field(ge=10, le=86400)
    all_day_on_days_off: bool


class DocumentScanSection(Section):
    """Scanning a material (devices/docscan/); defaults in config/defaults.d/docscan.toml."""
    auto_capture_countdown_s: float = Field(ge=1, le=15)


class DeviceEntry(BaseModel):
    """kind, backend and enabled here; the other keys are the backend's options."""
    model_config = ConfigDict(extra="allow", frozen=True, strict=True)
    kind: Literal["id_reader", "camera", "code_reader", "printer", "locker"]
    backend: str
    enabled: bool = True


class KioskConfig(Section):
    kiosk: KioskSection
    session: SessionSection
    logging: LoggingSection
    server: ServerSection
    queue: QueueSection
    face: FaceSection
    lockers: LockersSection
    document_scan: DocumentScanSection
    ui: UiSection
    maintenance: MaintenanceSection
    watchdog: WatchdogSection
    housekeeping: HousekeepingSection
    updates: UpdatesSection
    screen: ScreenSection
    devices: dict[str, DeviceEntry]
    roles: dict[Literal["id_reader", "face_camera", "document_camera", "code_reader",
                        "receipt_printer", "locker_bank"], list[str]]
    #: per-backend option defaults, from defaults.d/: backends.<kind>.<backend>.<option>
    backends: dict[str, dict[str, dict[str, Any]]] = {}

    @field_validator("devices")
    @classmethod
    def _device_names(cls, devices: dict[str, DeviceEntry]) -> dict[str, DeviceEntry]:
        for name in devices:
            if not name.replace("_", "").isalnum():
                raise ValueError(f"device name {name!r} must be letters, digits and underscores")
        return devices


@dataclass
class LoadedConfig:
    config: KioskConfig
    files: list[Path]
    site_file: Path | None
    origins: dict[str, Path] = field(default_factory=dict)

    @cached_property
    def devices(self) -> list[DeviceSpec]:
        """The devices with their backend options validated, which imports each backend (and
        numpy, OpenCV...): done on first use, after the kiosk has drawn its first frame.
        Raises `ConfigError` naming the option, like `load_config`."""
        return [_device_spec(name, entry, self.config, self.origins)
                for name, entry in self.config.devices.items()]

    @property
    def simulated_devices(self) -> list[str]:
        return [d.name for d in self.devices if d.enabled and d.backend == "simulated"]

    def origin(self, key: str) -> Path:
        return origin_of(self.origins, key.split("."), DEFAULTS_FILE)


def load_config(site_file: Path | str | None = None) -> LoadedConfig:
    """Load defaults and the optional site file; raise `ConfigError` on the first problem.

    Device backends are checked by name here; their options when `devices` is first read."""
    merged: dict[str, Any] = {}
    origins: dict[str, Path] = {}
    files = default_files()
    for path in files:
        merge(merged, read_toml(path), path, origins)
    site = Path(site_file) if site_file else None
    if site is not None:
        files.append(site)
        merge(merged, read_toml(site), site, origins)
    _check_retired(merged, origins)
    try:
        config = KioskConfig.model_validate(merged)
    except ValidationError as error:
        raise explain(error, merged, origins, KioskConfig) from None
    for name, entry in config.devices.items():
        _check_backend_name(name, entry, origins)
    _check_roles(config, origins)
    return LoadedConfig(config, files, site, origins)


#: keys a site file may still set from an earlier release, and what replaced them
RETIRED_KEYS = {
    ("lockers", key): "remove it: `kiosk locker open` takes the staff id and kiosk PIN of a "
                      "person of the hall's staff list (set on the district console's own-account "
                      "page or with `district-server staff-set-pin`), locked out by "
                      "[maintenance] max_tries and lockout_s"
    for key in ("technician_pin_hash", "pin_max_tries", "pin_lockout_s")}


def _check_retired(merged: Mapping[str, Any], origins: Mapping[str, Path]) -> None:
    for (section, key), fix in RETIRED_KEYS.items():
        if key in merged.get(section, {}):
            raise ConfigError(origin_of(origins, [section, key], DEFAULTS_FILE),
                              f"{section}.{key}", "is no longer used: one technician PIN for "
                              "the whole kiosk is replaced by each person's kiosk PIN", fix)


def _check_backend_name(name: str, entry: DeviceEntry, origins: Mapping[str, Path]) -> None:
    backends = kind_backends(entry.kind)   # the kind's name table: no backend is imported
    if entry.backend not in backends:
        key = f"devices.{name}.backend"
        raise ConfigError(origin_of(origins, key.split("."), DEFAULTS_FILE), key,
                          f"unknown backend {entry.backend!r} for kind {entry.kind!r}; known "
                          f"backends: {', '.join(sorted(backends))}",
                          "use one of the known backends")


def _device_spec(name: str, entry: DeviceEntry, config: KioskConfig,
                 origins: Mapping[str, Path]) -> DeviceSpec:
    key = f"devices.{name}"
    if not entry.enabled:  # a disabled device need not load; nothing to validate
        from devices.base import DeviceSettings
        return DeviceSpec(name, entry.kind, entry.backend, DeviceSettings(), False)
    options = dict(config.backends.get(entry.kind, {}).get(entry.backend, {}))
    options.update(entry.model_extra or {})
    try:
        cls = backend_class(entry.kind, entry.backend)
    except BackendUnavailable:
        # validated when the library is present; the device reports noDevice with the reason
        from devices.base import DeviceSettings
        return DeviceSpec(name, entry.kind, entry.backend, DeviceSettings(), entry.enabled)
    try:
        settings = cls.Settings.model_validate(options)
    except ValidationError as error:
        raise explain(error, options, origins, cls.Settings, prefix=key.split(".")) from None
    return DeviceSpec(name, entry.kind, entry.backend, settings, entry.enabled)


def _check_roles(config: KioskConfig, origins: Mapping[str, Path]) -> None:
    for role, names in config.roles.items():
        for device in names:
            if device not in config.devices:
                raise ConfigError(origin_of(origins, ["roles", role], DEFAULTS_FILE),
                                  f"roles.{role}", f"names device {device!r}, which is not defined",
                                  f"define [devices.{device}] or use one of: "
                                  f"{', '.join(config.devices)}")


