"""District server fixtures: the app on SQLite and on PostgreSQL (same tests, `db` param),
an enrolled kiosk double, and a live uvicorn on loopback."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import warnings
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from district_server.app import build_context, create_app
from district_server.kiosks.service import issue_token
from district_server.settings import Settings
from tests.conftest import require_service
from tests.district_server.kiosk_double import KioskDouble

PG_URL = os.environ.get("KIOSK_TEST_PG_URL",
                        "postgresql+psycopg://kiosk_test:kiosk_test@127.0.0.1:5432/kiosk_test")


def _postgres_reachable() -> tuple[bool, str]:
    try:
        import psycopg
        with psycopg.connect(_psycopg_url(PG_URL),
                             connect_timeout=3):
            return True, ""
    except Exception as error:        # any failure means "not available" here
        return False, f"{PG_URL}: {error} (run scripts/services/postgresql.sh as root)"


def _prepared(url: str, data_dir: Path) -> None:
    """Schema at head, keys made, demo catalogue published: what every test starts from."""
    build_context(Settings(data_dir=data_dir, database_url=url)).db.dispose()


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """A prepared SQLite database and key file, copied for each test (migrating and
    publishing the catalogue per test would take most of the suite's time)."""
    directory = tmp_path_factory.mktemp("template")
    _prepared(f"sqlite:///{directory / 'district.db'}", directory)
    return directory


@pytest.fixture(scope="session")
def prepared_postgres(template: Path) -> str:
    """A database of this test run's own (kiosk_test_<pid>, dropped at the end), so that
    test runs in several worktrees at once do not truncate each other's tables."""
    ok, reason = _postgres_reachable()
    require_service("postgresql", ok, reason)
    import psycopg
    from sqlalchemy.engine import make_url
    name = f"kiosk_test_{os.getpid()}"
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(_psycopg_url(PG_URL), autocommit=True) as connection:
        _drop_abandoned_databases(connection)
        connection.execute(f'CREATE DATABASE "{name}"')
    _prepared(url, template)
    yield url
    with psycopg.connect(_psycopg_url(PG_URL), autocommit=True) as connection:
        _drop_database(connection, name)


def _drop_database(connection, name: str) -> None:
    """Drop a test run's database. PostgreSQL once refused to end a process still holding it
    at teardown ("must be a member of the role whose process is being terminated", with this
    run's role its only user: a server process of its own); such a database is left for the
    next run's `_drop_abandoned_databases` rather than failing a test that passed."""
    import psycopg
    try:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.errors.InsufficientPrivilege as refused:
        warnings.warn(f"test database {name} left for a later run to drop: {refused}")


def _drop_abandoned_databases(connection) -> None:
    """Databases of test runs that were killed before they could drop their own."""
    rows = connection.execute("SELECT datname FROM pg_database WHERE datname ~ "
                              "'^kiosk_test_[0-9]+$'").fetchall()
    for (name,) in rows:
        pid = int(name.rsplit("_", 1)[1])
        if pid == os.getpid() or not Path(f"/proc/{pid}").exists():
            _drop_database(connection, name)


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg", "postgresql")


#: Tables that keep their rows between tests (schema version and published catalogue).
KEPT_TABLES = {"alembic_version", "catalogue_versions", "catalogue_publications"}


def _empty_postgres(url: str) -> None:
    from district_server.models import metadata
    import psycopg
    tables = ", ".join(t for t in metadata.tables if t not in KEPT_TABLES)
    with psycopg.connect(_psycopg_url(url), autocommit=True) as connection:
        connection.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path, template: Path) -> str:
    if request.param == "sqlite":
        shutil.copy(template / "district.db", tmp_path / "district.db")
        return f"sqlite:///{tmp_path / 'district.db'}"
    url = request.getfixturevalue("prepared_postgres")
    _empty_postgres(url)
    return url


def make_settings(tmp_path: Path, url: str, template: Path, **overrides) -> Settings:
    values = dict(data_dir=tmp_path / "server", database_url=url,
                  keys_file=template / "district-keys.json", migrate_on_start=False,
                  publish_catalogue_on_start=False)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(tmp_path: Path, db_url: str, template: Path) -> Settings:
    return make_settings(tmp_path, db_url, template)


@pytest.fixture
def ctx(settings: Settings):
    context = build_context(settings)
    yield context
    context.db.dispose()


@pytest.fixture
def client(ctx) -> TestClient:
    with TestClient(create_app(ctx.settings, context=ctx)) as test_client:
        yield test_client


def enrolled_kiosk(ctx, client, kiosk_id: str = "test-kiosk-001",
                   hall_code: str = "FT-CENTRE", cohort: str = "default") -> KioskDouble:
    with ctx.db.transaction() as session:
        token = issue_token(session, now=ctx.now(), ttl_s=600, hall_code=hall_code,
                            cohort=cohort, kiosk_id=kiosk_id)
    kiosk = KioskDouble(client, kiosk_id)
    kiosk.enroll(token)
    return kiosk


STAFF_PASSWORD = "correct horse battery"


def add_staff(ctx, role: str = "clerk", hall_code: str = "FT-CENTRE",
              staff_id: str = "") -> str:
    """A staff account (password STAFF_PASSWORD); returns its staff id."""
    from district_server.staff.accounts import create_account
    staff_id = staff_id or f"{role}-{hall_code}".lower()
    with ctx.db.transaction() as session:
        create_account(session, staff_id=staff_id, name=staff_id, role=role,
                       hall_code=hall_code, password=STAFF_PASSWORD, now=ctx.now())
    return staff_id


def staff_headers(ctx, client, role: str = "clerk", hall_code: str = "FT-CENTRE",
                  staff_id: str = "") -> dict[str, str]:
    """Sign a new member of staff in through /v1/staff/login: Authorization headers."""
    staff_id = add_staff(ctx, role, hall_code, staff_id)
    signed_in = client.post("/v1/staff/login", json={"staff_id": staff_id,
                                                     "password": STAFF_PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    return {"Authorization": f"Bearer {signed_in.json()['token']}"}


@pytest.fixture
def kiosk(ctx, client) -> KioskDouble:
    return enrolled_kiosk(ctx, client)


class LiveServer:
    """uvicorn serving the app on a loopback port in a thread of this process."""

    def __init__(self, app) -> None:
        import uvicorn
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "LiveServer":
        started = threading.Event()
        original = self.server.startup

        async def startup(*args, **kwargs):
            await original(*args, **kwargs)
            started.set()
        self.server.startup = startup
        self.thread.start()
        assert started.wait(20), "uvicorn did not start"
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def live_server(ctx):
    with LiveServer(create_app(ctx.settings, context=ctx)) as server:
        yield server
