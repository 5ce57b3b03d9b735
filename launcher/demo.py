"""`kiosk demo`: the whole kiosk on one machine, no hardware, no network.

Every device is its simulator and the district server runs in-process (uvicorn on
127.0.0.1, SQLite in the demo's data directory). This is the one module of `kiosk/`
allowed to embed the server (ARCHITECTURE.md section 2). `NetworkSwitch` lets the
control panel and scenarios cut the kiosk's network: the server then answers every
request with 503, as a dead uplink behind a proxy would look to the kiosk.
"""
from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kiosk.app import KioskCore
from foundation.clock import Clock
from kiosk.config import LoadedConfig
from wire.v1 import API_VERSION, HEADER_API, PATH_HEALTH

log = logging.getLogger(__name__)



class DemoError(RuntimeError):
    pass


def require_simulated(loaded: LoadedConfig) -> None:
    """The demo never touches hardware: every enabled device must be simulated."""
    real = [f"{d.name} ({d.backend})" for d in loaded.devices
            if d.enabled and d.backend != "simulated"]
    if real:
        raise DemoError("the demo runs on simulators only; these devices are not simulated: "
                        + ", ".join(real) + ". Run it without --config, or set backend = "
                        "\"simulated\" for them")


class NetworkSwitch:
    """ASGI middleware: while cut, every request gets 503 and nothing reaches the app."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.cut = False

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and self.cut:
            await send({"type": "http.response.start", "status": 503,
                        "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"network cut by the demo"})
            return
        await self.app(scope, receive, send)


#: the demo hall's staff (README: staff mode): id -> (role, password)
def _demo_hall(code: str, name: tuple[str, str], address: tuple[str, str], phone: str,
               latitude: float, longitude: float) -> dict:
    return {"code": code, "name": {"zh": name[0], "en": name[1]},
            "address": {"zh": address[0], "en": address[1]},
            "hours": {"zh": "周一至周五 9:00-12:00，14:00-18:00；周六上午", "en":
                      "Mon-Fri 9:00-12:00 and 14:00-18:00; Saturday mornings"},
            "phone": phone, "latitude": latitude, "longitude": longitude}


#: the district's halls in the demo (illustrative): the out-of-service screen lists the others
DEMO_HALLS = [
    _demo_hall("FT-CENTRE", ("福田区政务服务中心", "Futian Government Service Centre"),
               ("福中三路市民中心B区", "Block B, Civic Centre, Fuzhong 3rd Rd"), "0755-12345",
               22.543, 114.059),
    _demo_hall("FT-XMH", ("香蜜湖街道便民服务中心", "Xiangmihu Community Service Centre"),
               ("香梅路香蜜湖街道办一楼", "Ground floor, Xiangmihu Sub-district Office, Xiangmei Rd"),
               "0755-12346", 22.548, 114.028),
    _demo_hall("FT-HQB", ("华强北街道便民服务中心", "Huaqiangbei Community Service Centre"),
               ("华强北路华强北街道办一楼", "Ground floor, Huaqiangbei Sub-district Office"),
               "0755-12347", 22.545, 114.088),
    _demo_hall("FT-ML", ("梅林街道便民服务中心", "Meilin Community Service Centre"),
               ("梅林路梅林街道办一楼", "Ground floor, Meilin Sub-district Office, Meilin Rd"),
               "0755-12348", 22.570, 114.045),
]
DEMO_STAFF = {"demo-tech": ("technician", "demo-technician", "135790"),
              "demo-clerk": ("clerk", "demo-hall-staff", "864200")}
#: the demo's parcel for the locker loop (README: staff mode): case number, pickup code,
#: holder's ID number
DEMO_PARCEL = ("DEMO-PICKUP-1", "246810", "11010519491231002X")


@dataclass
class EmbeddedServer:
    """The district server in a thread of this process."""
    data_dir: Path
    host: str = "127.0.0.1"
    url: str = ""
    switch: NetworkSwitch | None = None
    _server: Any = field(default=None, repr=False)
    _context: Any = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def start(self, timeout_s: float = 60.0) -> str:
        import uvicorn

        from district_server.app import create_app
        from district_server.settings import Settings

        from district_server.app import build_context

        self.data_dir.mkdir(parents=True, exist_ok=True)
        settings = Settings(data_dir=self.data_dir, halls=DEMO_HALLS)
        self._context = build_context(settings)
        self._add_demo_staff()
        self.switch = NetworkSwitch(create_app(settings, context=self._context))
        # IPPROTO_TCP named, or asyncio leaves TCP_NODELAY off (a delayed ACK per response)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(self.switch, log_level="warning", lifespan="auto",
                                access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="demo-server", daemon=True)
        self._thread.start()
        started = threading.Event()

        def watch() -> None:
            while not self._server.started and self._thread.is_alive():
                started.wait(0.05)
            started.set()
        threading.Thread(target=watch, daemon=True).start()
        if not started.wait(timeout_s) or not self._server.started:
            raise DemoError("the embedded district server did not start; see the log")
        self.url = f"http://{self.host}:{port}"
        log.info("embedded district server started", extra={"url": self.url})
        return self.url

    def _add_demo_staff(self) -> None:
        """Staff of the demo hall, who may enter the kiosk's maintenance (the district sends
        them in its desired state): DEMO_STAFF, id -> (role, web password, kiosk PIN)."""
        from district_server.staff.accounts import create_account, set_kiosk_pin
        from district_server.staff.models import StaffAccount
        ctx = self._context
        with ctx.db.transaction() as session:
            for staff_id, (role, password, pin) in DEMO_STAFF.items():
                account = session.get(StaffAccount, staff_id)
                if account is None:
                    create_account(session, staff_id=staff_id, name=staff_id, role=role,
                                   hall_code=ctx.settings.default_hall_code,
                                   password=password, now=ctx.now())
                if account is None or not account.kiosk_pin_hash:
                    set_kiosk_pin(session, staff_id, pin, now=ctx.now())

    def add_demo_parcel(self, kiosk_id: str) -> None:
        """A completed case whose result waits to be put in this kiosk's lockers (hall staff
        fill it in maintenance, the citizen collects it with DEMO_PARCEL's code), unless
        the demo's data directory already has it."""
        from district_server.cases.models import Case
        from district_server.cases.service import assign_parcel
        ctx = self._context
        case_number, code, id_number = DEMO_PARCEL
        with ctx.db.transaction() as session:
            if session.get(Case, case_number) is not None:
                return
            now = ctx.now()
            session.add(Case(case_number=case_number, holder_hmac=ctx.keys.holder(id_number),
                             service_code="demo", catalogue_version="demo", state="completed",
                             submitted_at=now, pickup_method="locker", updated_at=now,
                             hall_code=ctx.settings.default_hall_code))
            session.flush()
            assign_parcel(session, parcel_id=f"P-{case_number}", kiosk_id=kiosk_id,
                          locker="lockers", size="M", case_number=case_number, code=code,
                          items=["居住证"], now=now)

    def set_network_cut(self, cut: bool) -> None:
        if self.switch is not None:
            self.switch.cut = cut

    def enrollment_token(self, kiosk_id: str) -> str:
        """A one-time token, as `district-server enroll-token` prints for an operator."""
        from district_server.kiosks.service import issue_token
        ctx = self._context
        with ctx.db.transaction() as session:
            return issue_token(session, now=ctx.now(), ttl_s=600,
                               hall_code=ctx.settings.default_hall_code,
                               cohort=ctx.settings.default_cohort, kiosk_id=kiosk_id)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)


def probe_health(url: str, timeout_s: float = 3.0) -> tuple[bool, float | None, str]:
    """GET /v1/health: (reachable, clock offset in seconds server - local, why not)."""
    import email.utils

    import httpx
    try:
        sent = time.time()
        response = httpx.get(url.rstrip("/") + PATH_HEALTH, timeout=timeout_s)
        received = time.time()
    except httpx.HTTPError as error:
        return False, None, f"cannot reach {url}: {type(error).__name__}"
    if response.status_code != 204 or response.headers.get(HEADER_API) != API_VERSION:
        return False, None, (f"{url} answered {response.status_code} without the kiosk API "
                             "header (captive portal or proxy?)")
    date = response.headers.get("Date")
    offset = None
    if date:
        server_time = email.utils.parsedate_to_datetime(date).timestamp()
        offset = round(server_time - (sent + received) / 2, 1)
    return True, offset, ""


@dataclass
class Demo:
    """The kiosk core (with its offline queue) and, optionally, the embedded server."""
    core: KioskCore
    server: EmbeddedServer | None

    @classmethod
    def create(cls, loaded: LoadedConfig, data_dir: Path, *, clock: Clock,
               with_server: bool = True) -> "Demo":
        require_simulated(loaded)
        server = None
        if with_server:
            server = EmbeddedServer(data_dir / "district")
            try:
                server.start()
            except Exception as error:  # the kiosk's promise is to work offline: so does the demo
                log.error("embedded district server unavailable; the demo runs offline",
                          extra={"reason": f"{type(error).__name__}: {error}"})
                print(f"warning: the embedded district server did not start "
                      f"({type(error).__name__}: {error}); the demo runs offline",
                      file=sys.stderr)
                server.stop()
                server = None
        return cls.on_server(loaded, data_dir, server, clock=clock)

    @classmethod
    def on_server(cls, loaded: LoadedConfig, data_dir: Path, server: Any, *,
                  clock: Clock) -> "Demo":
        """The demo's kiosk in `data_dir/kiosk`, enrolled with `server` (a started
        EmbeddedServer, or a peer with its interface: bench/soak_district.py) and given
        the demo parcel; None: offline."""
        if server is not None:
            server.add_demo_parcel(loaded.config.kiosk.id)
        kiosk_dir = data_dir / "kiosk"
        queue = open_queue(loaded, kiosk_dir, server)
        core = KioskCore.create(loaded, kiosk_dir, clock=clock, queue=queue)
        core.set_server_reachable(server is not None)
        return cls(core, server)

    def set_network_cut(self, cut: bool) -> None:
        if self.server is not None:
            self.server.set_network_cut(cut)
        self.core.set_server_reachable(self.server is not None and not cut)

    def start(self) -> None:
        self.core.start()

    def wait_synced(self, timeout_s: float = 60.0) -> bool:
        """Wait (real time) for the kiosk's first sync pass that reached the embedded
        district: a scenario then starts from a kiosk that knows its staff, catalogue and
        configuration, however slow the machine (the district's configuration arriving in
        the middle of a walk changed it). True at once without a server."""
        worker = self.core.queue.worker if self.core.queue is not None else None
        if self.server is None or worker is None:
            return True
        deadline = time.monotonic() + timeout_s
        passed = threading.Event()
        while not (worker.last_result is not None and worker.last_result.ok):
            if time.monotonic() >= deadline:
                return False
            passed.wait(0.05)   # the worker's own event is the app's; polled, not cleared
        return True

    def stop(self) -> None:
        self.core.stop()
        if self.server is not None:
            self.server.stop()


def open_queue(loaded: LoadedConfig, kiosk_dir: Path, server: EmbeddedServer | None) -> Any:
    """The kiosk's offline queue, enrolled with the embedded server when there is one.

    The queue signs requests with the real time (the server checks it within 300 s), so
    it runs on the system clock even when a scenario drives the kiosk's TestClock."""
    from foundation.clock import SystemClock
    from offline_queue.enrolment import enroll
    from offline_queue.errors import StorageUnavailable
    from offline_queue.service import QueueService
    from offline_queue.sink import default_queue_dir

    config = loaded.config
    clock = SystemClock()
    server_section = config.server.model_copy(update={"url": server.url}) if server else \
        config.server
    try:
        queue = QueueService.open(config.queue, server_section, kiosk_dir, clock)
        if server is not None and queue.worker is None:
            directory = default_queue_dir(kiosk_dir, config.queue.dir)
            enroll(server.url, server.enrollment_token(config.kiosk.id), config.kiosk.id,
                   directory, clock=clock, timeout_s=config.server.timeout_s)
            queue.stop()
            queue = QueueService.open(config.queue, server_section, kiosk_dir, clock)
            log.info("demo kiosk enrolled with the embedded server", extra={"url": server.url})
        return queue
    except StorageUnavailable as error:
        log.error("the demo's offline queue is unusable", extra={"reason": str(error)})
        return None
    except Exception as error:  # enrolment failed: the kiosk still runs, applications cannot
        log.error("demo enrolment failed", extra={"reason": f"{type(error).__name__}: {error}"})
        print(f"warning: the demo kiosk could not enrol ({type(error).__name__}: {error})",
              file=sys.stderr)
        return QueueService.open(config.queue, server_section, kiosk_dir, clock)
