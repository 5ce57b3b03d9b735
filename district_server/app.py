"""The district server application. `create_app(settings)` is what `district-server run` serves
and what `kiosk demo` embeds (SQLite in its data directory)."""
from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Mapping
from email.utils import formatdate

from fastapi import FastAPI, Response

from district_server import errors
from district_server.blobs import service as blobs_service
from district_server.blobs.routes import router as blobs_router
from district_server.blobs.store import BlobStore
from district_server.bundles.routes import router as bundles_router
from district_server.cases import reminders
from district_server.catalogue import rollout, service as catalogue_service
from district_server.catalogue.routes import router as catalogue_router
from district_server.citizens.providers import make_provider
from district_server.citizens.service import ensure_demo_booking
from district_server.citizens.routes import router as citizens_router
from district_server.context import ServerContext
from district_server.crypto import DistrictKeyring
from district_server.db import Database
from district_server.kiosk_config import service as kiosk_config
from district_server.kiosks import alerts
from district_server.kiosks.command_routes import router as commands_router
from district_server.kiosks.routes import router as kiosks_router
from district_server.limits import BodyLimitMiddleware
from district_server.migrations import upgrade
from district_server.notices import service as notices
from district_server.notices.senders import NoticeSender, default_senders
from district_server.settings import Settings
from district_server.staff.routes import router as staff_router
from district_server.submissions.routes import router as submissions_router
from district_server.timing import ServerTimingMiddleware
from district_server.web.account_pages import router as account_pages_router
from district_server.web.booking_pages import router as booking_pages_router
from district_server.web.case_pages import router as case_pages_router
from district_server.web.figure_pages import router as figure_pages_router
from district_server.web.fleet_pages import router as fleet_pages_router
from district_server.web.rota_pages import router as rota_pages_router
from district_server.web.routes import console_problem_page, router as web_router
from wire import v1

log = logging.getLogger(__name__)


def build_context(settings: Settings) -> ServerContext:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url()
    if settings.migrate_on_start:
        upgrade(url)
    db = Database(url, busy_timeout_s=settings.sqlite_busy_timeout_s)
    ctx = ServerContext(settings=settings, db=db,
                        keys=DistrictKeyring.load_or_create(settings.resolved_keys_file()),
                        blobs=BlobStore(settings.resolved_blob_dir()),
                        catalogues=catalogue_service.CatalogueCache(),
                        photos=make_provider(settings.reference_photo_provider,
                                             settings.demo_photo_dir))
    with ctx.db.transaction() as session:
        repaired = blobs_service.recover_interrupted_publishes(session, ctx.blobs, ctx.now())
    if repaired:
        log.warning("repaired %d blob upload(s) cut by a crash while publishing", repaired)
    if settings.publish_catalogue_on_start and settings.catalogue_dir is not None:
        publish_directory(ctx)
    with ctx.db.transaction() as session:
        kiosk_config.publish_settings(session, settings.kiosk_config, settings.default_cohort,
                                      now=ctx.now())
    if settings.demo_citizens:
        with ctx.db.transaction() as session:
            ensure_demo_booking(session, ctx)
    return ctx


def publish_directory(ctx: ServerContext) -> str:
    """Validate catalogue_dir, store it as a version and publish it to the default cohort."""
    catalogue = catalogue_service.load_directory(ctx.settings.catalogue_dir)
    with ctx.db.transaction() as session:
        catalogue_service.store(session, catalogue, now=ctx.now())
        catalogue_service.publish(session, catalogue.version, ctx.settings.default_cohort,
                                  now=ctx.now())
    return catalogue.version


def create_app(settings: Settings, *, context: ServerContext | None = None) -> FastAPI:
    ctx = context or build_context(settings)
    # every 422 is a Problem (errors.install): said once for all routes, in place of
    # FastAPI's own validation-error schema
    app = FastAPI(title="District server (gov kiosk)", version=v1.API_VERSION,
                  description="Wire protocol v1 between self-service kiosks and the district "
                              "server. Kiosk requests are signed (X-Kiosk-* headers).",
                  responses=errors.problem_responses(422))
    app.state.ctx = ctx
    errors.install(app, page_for=console_problem_page)
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.add_middleware(ServerTimingMiddleware)     # added last: outermost, times the rest

    @app.get(v1.PATH_HEALTH, status_code=204, response_class=Response, tags=["health"],
             responses={204: {"description": "X-Kiosk-Api, X-District-Features, "
                                             "X-Kiosk-Whole-Blob-Max and Date headers"}})
    def health() -> Response:
        """204 with X-Kiosk-Api, X-Kiosk-Whole-Blob-Max and Date; anything else means a
        captive portal or a proxy."""
        return Response(status_code=204, headers={
            v1.HEADER_API: v1.API_VERSION,
            v1.HEADER_SERVER_FEATURES: ",".join(
                [v1.FEATURE_FLEET_REPORT, v1.FEATURE_KIOSK_COMMANDS, v1.FEATURE_ROLLOUT_HEALTH,
                 v1.FEATURE_SUPPLY_BY_SECRET, v1.FEATURE_DEVICE_DETAIL,
                 v1.FEATURE_CONFIG_NUMBER, v1.FEATURE_BUNDLE_UPDATES,
                 v1.FEATURE_RECEIPT_KEY_ROTATION, v1.FEATURE_KEEP_ON_FILE]
                + [v1.FEATURE_SUBMISSION_BATCH] * settings.submission_batches
                + [v1.FEATURE_SUBMISSION_BATCH_BINARY] * (settings.submission_batches
                                                          and settings.binary_submission_batches)),
            v1.HEADER_WHOLE_BLOB_MAX: str(settings.chunk_bytes),
            "Date": formatdate(ctx.now().timestamp(), usegmt=True)})

    for router in (kiosks_router, commands_router, submissions_router, blobs_router,
                   bundles_router, catalogue_router, citizens_router, staff_router, web_router,
                   fleet_pages_router, case_pages_router, booking_pages_router,
                   figure_pages_router, rota_pages_router, account_pages_router):
        app.include_router(router)
    sweeper = app.state.sweeper = AlertSweeper(ctx)
    app.router.add_event_handler("startup", sweeper.start)
    app.router.add_event_handler("shutdown", sweeper.stop)
    app.router.add_event_handler("shutdown", ctx.db.dispose)
    return app


class AlertSweeper:
    """Once a heartbeat, in every worker: raises and clears the alerts time decides (a silent
    kiosk), decides the catalogue and configuration rollouts whose canary failed or whose
    window is over, enqueues the alerts' notices to the people on call and the citizens' reminders of what
    they promised (cases/reminders.py), and sends what is due. All of it is
    idempotent or claimed, so workers racing each other agree."""

    def __init__(self, ctx: ServerContext,
                 senders: Mapping[str, NoticeSender] | None = None) -> None:
        self._ctx = ctx
        self._senders = senders if senders is not None else default_senders()
        self._worker = f"{socket.gethostname()}-{os.getpid()}"[:80]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="alert-sweep", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        thresholds = self._ctx.settings.alerts
        while not self._stop.wait(thresholds.heartbeat_s):
            try:
                self.sweep_once()
            except Exception:  # a failed sweep must not end sweeping: the next one retries
                log.exception("alert sweep failed")

    def sweep_once(self) -> int:
        """Returns how many notices were sent."""
        thresholds = self._ctx.settings.alerts
        with self._ctx.db.transaction() as session:
            alerts.sweep(session, thresholds=thresholds, now=self._ctx.now())
            rollout.evaluate(session, now=self._ctx.now())
            notices.notify_alerts(session, now=self._ctx.now())
            reminders.enqueue_due(session, self._ctx, now=self._ctx.now())
        return notices.deliver_due(self._ctx.db, self._senders, now=self._ctx.now,
                                   worker=self._worker,
                                   retry_base_s=thresholds.notice_retry_base_s,
                                   retry_cap_s=thresholds.notice_retry_cap_s)


def app_from_environment() -> FastAPI:
    """uvicorn factory for `district-server run --workers N`: each worker process builds its
    app from the settings the CLI put in DISTRICT_SERVER_SETTINGS."""
    import os
    return create_app(Settings.model_validate_json(os.environ["DISTRICT_SERVER_SETTINGS"]))
