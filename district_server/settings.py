"""Server settings: one pydantic object built by the CLI (or by `kiosk demo`) and handed to
`create_app`. Every file the server writes lives under `data_dir` unless given explicitly."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from wire import v1

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_CATALOGUE_DIR = PACKAGE_DIR.parent / "config" / "catalogue"


#: (attempts, window in seconds)
RateLimit = tuple[Annotated[int, Field(ge=1)], Annotated[int, Field(ge=1)]]


class AlertThresholds(BaseModel):
    """When a kiosk's condition becomes an alert (district_server/kiosks/alerts.py)."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: kiosks contact the district this often while online (the kiosk's
    #: queue.idle_sync_interval_s); silent for this many heartbeats: an alert
    heartbeat_s: float = Field(default=30.0, gt=0)
    silent_after_heartbeats: int = Field(default=3, ge=1)
    #: a locker door open longer than this was left open
    door_left_open_s: float = Field(default=120.0, ge=0)
    oldest_unsent_h: float = Field(default=4.0, gt=0)
    clock_skew_s: float = Field(default=30.0, gt=0)
    disk_low_bytes: int = Field(default=500_000_000, ge=0)
    #: a notice that could not be sent is retried after this, doubling up to the cap
    notice_retry_base_s: float = Field(default=30.0, gt=0)
    notice_retry_cap_s: float = Field(default=3600.0, gt=0)


class HallSettings(v1.Hall):
    """A hall of the district; where it is places its neighbours (nearest first)."""
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    data_dir: Path
    database_url: str = Field(default="", description="empty: SQLite in data_dir/district.db")
    keys_file: Path | None = Field(default=None, description="empty: data_dir/district-keys.json")
    blob_dir: Path | None = Field(default=None, description="empty: data_dir/blobs")
    catalogue_dir: Path | None = DEFAULT_CATALOGUE_DIR
    #: Publish catalogue_dir to the default cohort at start when its content changed.
    publish_catalogue_on_start: bool = True
    #: Run Alembic migrations to head at start (the embedded demo); production runs `migrate`.
    migrate_on_start: bool = True
    #: Kiosk configuration pushed to every kiosk in its desired state (allow-listed keys
    #: only, wire.v1.DESIRED_CONFIG_KEYS), e.g. {"session.idle_timeout_s": 120}.
    kiosk_config: dict[str, Any] = Field(default_factory=dict)
    default_cohort: str = "default"
    default_hall_code: str = "FT-CENTRE"
    #: The district's halls: each kiosk's out-of-service screen lists the nearest others
    halls: list[HallSettings] = Field(default_factory=list)
    min_app_version: str = "0.1.0"
    signature_window_s: int = Field(default=v1.SIGNATURE_WINDOW_S, ge=1)
    assertion_max_age_s: int = Field(default=v1.CITIZEN_ASSERTION_MAX_AGE_S, ge=1)
    max_submission_bytes: int = v1.MAX_SUBMISSION_BYTES
    max_blob_bytes: int = v1.MAX_BLOB_BYTES
    max_chunk_bytes: int = v1.MAX_CHUNK_BYTES
    chunk_bytes: int = v1.DEFAULT_CHUNK_BYTES
    #: Offer protocol v1.1's submission batches (v1.FEATURE_SUBMISSION_BATCH); off: v1 only.
    submission_batches: bool = True
    #: Take them with raw blob bytes too (v1.FEATURE_SUBMISSION_BATCH_BINARY); off: JSON only.
    binary_submission_batches: bool = True
    max_batch_bytes: int = v1.MAX_BATCH_BYTES
    enrollment_token_ttl_s: int = Field(default=7 * 24 * 3600, ge=60)
    reference_photo_provider: Literal["demo", "none"] = "demo"
    #: Optional folder of face photos the demo provider hands out (one chosen per person);
    #: empty: the demo provider draws a portrait.
    demo_photo_dir: Path | None = None
    #: Seed demo appointments and hall cases for every identified citizen (demo only).
    demo_citizens: bool = True
    sqlite_busy_timeout_s: float = 30.0
    #: Staff sign-in: sessions end after this long; this many wrong passwords in a row lock
    #: the account for staff_lockout_s.
    staff_session_ttl_s: int = Field(default=8 * 3600, ge=60)
    staff_lockout_after: int = Field(default=5, ge=1)
    staff_lockout_s: int = Field(default=15 * 60, ge=1)
    #: Rate limits (attempts per window, counted in the database across workers): sign-ins
    #: per client address, booking-code check-ins per kiosk and per code.
    login_attempts_per_client: RateLimit = (20, 300)
    booking_code_attempts_per_kiosk: RateLimit = (10, 60)
    booking_code_attempts_per_code: RateLimit = (5, 600)
    #: The 掌上办 follow-up page (receipt QR): requests per client address (a wrong secret
    #: counts too), and what one upload of an owed material may be.
    followup_requests_per_client: RateLimit = (60, 300)
    followup_upload_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    followup_upload_max_pages: int = Field(default=20, ge=1)
    #: Days a finished case keeps its decrypted application and scanned materials before
    #: `district-server purge` deletes them (personal information kept no longer than needed).
    application_retention_days: int = Field(default=180, ge=1)
    alerts: AlertThresholds = Field(default_factory=AlertThresholds)

    @field_validator("kiosk_config")
    @classmethod
    def _allow_listed(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = set(value) - v1.DESIRED_CONFIG_KEYS
        if unknown:
            raise ValueError(f"not allowed to push remotely: {sorted(unknown)}; allowed: "
                             f"{sorted(v1.DESIRED_CONFIG_KEYS)}")
        return value

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'district.db'}"

    def resolved_keys_file(self) -> Path:
        return self.keys_file or self.data_dir / "district-keys.json"

    def resolved_blob_dir(self) -> Path:
        return self.blob_dir or self.data_dir / "blobs"

    def resolved_bundle_dir(self) -> Path:
        """Where published application bundles' archives lie (district_server/bundles)."""
        return self.data_dir / "bundles"
