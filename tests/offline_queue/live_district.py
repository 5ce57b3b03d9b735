"""The real district server (district_server.app.create_app) on loopback, for the queue's
fault and crash tests and `bench/sync.py`.

The listening socket is bound and listening before uvicorn starts, so a client may
connect at once (the kernel queues it) and nobody waits for start-up. `restart()`
serves the same data directory again on a new socket (the fault proxy in front is
re-pointed); `backup()`/`restore()` copy the server's database and blob directory to
simulate a server restored from an older backup.
"""
from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

import uvicorn


class LiveDistrict:
    def __init__(self, data_dir: Path, **settings: object) -> None:
        from district_server.settings import Settings
        from tests.offline_queue.catalogue import write_catalogue
        self.data_dir = Path(data_dir)
        defaults = {"demo_citizens": False,
                    "catalogue_dir": write_catalogue(self.data_dir / "catalogue")}
        self.settings = Settings(data_dir=self.data_dir, **{**defaults, **settings})
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, port: int = 0) -> "LiveDistrict":
        """Serve on `port` (0: a new one; the old one: back up where the kiosks know it)."""
        from district_server.app import create_app
        self.app = create_app(self.settings)
        # IPPROTO_TCP named, or asyncio does not set TCP_NODELAY on accepted connections and
        # every response waits ~40 ms for the client's delayed ACK
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen(128)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", access_log=False,
                                lifespan="on", timeout_keep_alive=5)
        self._server = uvicorn.Server(config)
        server = self._server
        self._thread = threading.Thread(target=lambda: server.run(sockets=[sock]), daemon=True,
                                        name=f"district-{self.port}")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            assert self._thread is not None
            self._thread.join(timeout=30)
            self._server = None
        if self.app is not None:
            self.app.state.ctx.db.dispose()

    def restart(self) -> None:
        """Stop and start again on the same port (kiosks and proxies keep their address)."""
        port = self.port
        self.stop()
        self.start(port)

    def __enter__(self) -> "LiveDistrict":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- operator actions ----------------------------------------------------------------

    def enrollment_token(self, kiosk_id: str) -> str:
        from district_server.kiosks.service import issue_token
        assert self.app is not None
        ctx = self.app.state.ctx
        with ctx.db.transaction() as session:
            return issue_token(session, now=datetime.now(timezone.utc), ttl_s=3600,
                               hall_code=self.settings.default_hall_code,
                               cohort=self.settings.default_cohort, kiosk_id=kiosk_id)

    def book(self, booking_code: str, slot_start: datetime) -> None:
        """A citizen's booking (made elsewhere, as on the district's web site) for a half hour
        at the default hall."""
        from datetime import timedelta

        from district_server.citizens.models import Appointment
        assert self.app is not None
        with self.app.state.ctx.db.transaction() as session:
            session.add(Appointment(appointment_id=f"A-{booking_code}", booking_code=booking_code,
                                    holder_hmac="0" * 64, service_code="T-BOOKED",
                                    queue_category="general",
                                    hall_code=self.settings.default_hall_code,
                                    slot_start=slot_start,
                                    slot_end=slot_start + timedelta(minutes=30)))

    def submission_ids(self, kiosk_id: str) -> list[tuple[str, int]]:
        """(submission_id, kiosk_seq) of every row the server holds for the kiosk."""
        from sqlalchemy import select

        from district_server.submissions.models import Submission
        assert self.app is not None
        with self.app.state.ctx.db.transaction() as session:
            rows = session.execute(select(Submission.submission_id, Submission.kiosk_seq)
                                   .where(Submission.kiosk_id == kiosk_id)).all()
        return [(row[0], row[1]) for row in rows]

    # --- backups -------------------------------------------------------------------------

    def backup(self, target: Path) -> None:
        """A consistent copy of the database (SQLite backup API) and the blob directory."""
        target.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(self.data_dir / "district.db")
        dest = sqlite3.connect(target / "district.db")
        with dest:
            source.backup(dest)
        source.close()
        dest.close()
        blobs = self.settings.resolved_blob_dir()
        if blobs.exists():
            shutil.copytree(blobs, target / "blobs")

    def restore(self, source: Path) -> None:
        """Stop, put the backup in place of the live data, serve again (new port)."""
        self.stop()
        for suffix in ("", "-wal", "-shm"):
            (self.data_dir / f"district.db{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source / "district.db", self.data_dir / "district.db")
        blobs = self.settings.resolved_blob_dir()
        shutil.rmtree(blobs, ignore_errors=True)
        if (source / "blobs").exists():
            shutil.copytree(source / "blobs", blobs)
        self.start()
