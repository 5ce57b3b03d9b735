"""District server fixtures: the app on SQLite and on PostgreSQL (same tests, `db` param),
an enrolled kiosk double, and a live uvicorn on loopback."""
from __future__ import annotations

import os
import socket
import threading
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
        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"),
                             connect_timeout=3):
            return True, ""
    except Exception as error:        # any failure means "not available" here
        return False, f"{PG_URL}: {error} (run scripts/services/postgresql.sh as root)"


def fresh_postgres_url() -> str:
    ok, reason = _postgres_reachable()
    require_service("postgresql", ok, reason)
    import psycopg
    with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"),
                         autocommit=True) as connection:
        connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
        connection.execute("CREATE SCHEMA public")
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'district.db'}"
    return fresh_postgres_url()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'district.db'}"


def make_settings(tmp_path: Path, url: str, **overrides) -> Settings:
    return Settings(data_dir=tmp_path / "server", database_url=url, **overrides)


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return make_settings(tmp_path, db_url)


@pytest.fixture
def ctx(settings: Settings):
    context = build_context(settings)
    yield context
    context.db.dispose()


@pytest.fixture
def client(ctx) -> TestClient:
    with TestClient(create_app(ctx.settings, context=ctx)) as test_client:
        yield test_client


def enrolled_kiosk(ctx, client, kiosk_id: str = "test-kiosk-001") -> KioskDouble:
    with ctx.db.transaction() as session:
        token = issue_token(session, now=ctx.now(), ttl_s=600, hall_code="FT-CENTRE",
                            cohort="default")
    kiosk = KioskDouble(client, kiosk_id)
    kiosk.enroll(token)
    return kiosk


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
