"""The district's pushed catalogue is the one the journeys use: applied between sessions
without a restart (search index rebuilt), a session in progress keeps its version, each
submission names the version the citizen saw, and the kiosk reports the version it really
uses. Against the real district server on loopback and the kiosk core with its real queue."""
from __future__ import annotations

import json

import pytest

from kiosk.catalogue import CatalogueError
from kiosk.catalogue_in_use import CatalogueInUse, bundled_edition, load_pushed
from kiosk.journeys.ports import run_inline, run_now
from tests.kiosk.journeys.fakes import FakeFace, FakeReader, FakeScanner
from tests.kiosk.journeys.walk import apply_item
from tests.kiosk.reported import reported_on_server

NEW_VERSION = "2026.12.1"
NEW_SYNONYM = "星际通行证"


def publish(district, version: str) -> None:
    """The district publishes the demo catalogue as `version`, its first item with a word
    citizens use that the bundled catalogue does not know."""
    from district_server.catalogue import service
    from district_server.settings import DEFAULT_CATALOGUE_DIR
    from wire.v1 import Catalogue
    data = service.load_directory(DEFAULT_CATALOGUE_DIR).model_dump(mode="json")
    data["version"] = version
    data["items"][0]["synonyms"].append(NEW_SYNONYM)
    ctx = district.app.state.ctx
    with ctx.db.transaction() as session:
        service.store(session, Catalogue.model_validate(data), now=ctx.now())
        service.publish(session, version, district.settings.default_cohort, now=ctx.now())


def services_of(core):
    from kiosk.journeys.services import build_services
    services = build_services(core, post=run_now, background=run_inline)
    services.documents, services.face, services.scanner = FakeReader(), FakeFace(), FakeScanner()
    return services


def found(services) -> bool:
    return bool(services.search.search(NEW_SYNONYM, kinds=("item",)))


def test_the_pushed_catalogue_is_applied_between_sessions_and_reported(district, make_core):
    core = make_core()
    bundled = bundled_edition().version
    assert core.catalogue.edition().origin == "bundled"
    in_progress = services_of(core)                # a citizen started before the push
    publish(district, NEW_VERSION)
    core.session_active = lambda: True
    worker = core.queue.worker
    assert worker.sync_once().ok
    assert core.queue.desired.staged().catalogue_version == NEW_VERSION
    assert core.catalogue.edition().version == bundled     # not under a citizen's feet
    core.session_active = lambda: False
    assert worker.sync_once().ok                   # the quiet moment: applied, no restart
    edition = core.catalogue.edition()
    assert (edition.origin, edition.version) == ("district", NEW_VERSION)
    fresh = services_of(core)
    assert fresh.catalogue.version == NEW_VERSION and found(fresh)  # index rebuilt
    assert in_progress.catalogue.version == bundled and not found(in_progress)
    item = fresh.catalogue.kiosk_items()[0]
    assert apply_item(in_progress, item)["catalogue_version"] == bundled
    assert apply_item(fresh, item)["catalogue_version"] == NEW_VERSION
    for _ in range(5):
        worker.sync_once()
        if core.queue.outbox.counts().pending == 0:
            break
    assert core.queue.outbox.counts().pending == 0
    assert core.queue.outbox.items(state="quarantined") == []
    reported = reported_on_server(district, core.config.kiosk.id)
    assert reported["catalogue_version"] == NEW_VERSION and reported["refused"] == {}
    # a restart uses the applied catalogue at once, never the bundled one
    core.queue.stop()
    again = make_core()
    assert (again.catalogue.edition().origin, again.catalogue.edition().version) == \
        ("district", NEW_VERSION)


def test_a_pushed_catalogue_that_does_not_load_is_refused_and_reported(district, make_core,
                                                                        test_clock):
    core = make_core()
    worker = core.queue.worker
    assert worker.sync_once().ok                   # the district's first catalogue in use
    first = core.catalogue.edition().version
    assert core.catalogue.edition().origin == "district"
    publish(district, NEW_VERSION)
    core.session_active = lambda: True
    test_clock.advance(worker.settings.desired_state_poll_s
                       + worker.settings.desired_state_jitter_s)
    assert worker.sync_once().ok
    staged = core.queue.desired.staged()
    # the kept bytes go bad on disk before the quiet moment
    core.queue.desired.catalogue_path(staged).write_text('{"version": "2026.12.1"}')
    core.session_active = lambda: False
    assert worker.sync_once().ok
    assert core.queue.desired.current().catalogue_version == NEW_VERSION
    assert core.catalogue.edition().version == first           # the one in use stays
    assert not found(services_of(core))
    worker.sync_once()
    reported = reported_on_server(district, core.config.kiosk.id)
    assert reported["catalogue_version"] == first
    assert "items" in reported["refused"]["catalogue"]


def test_a_catalogue_file_of_another_version_is_not_loaded(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(bundled_edition().catalogue.data.model_dump(mode="json")))
    assert load_pushed(path, bundled_edition().version).version == bundled_edition().version
    with pytest.raises(CatalogueError, match="holds version"):
        load_pushed(path, "9999.1")
    in_use = CatalogueInUse()
    assert not in_use.apply(tmp_path / "absent.json", "9999.1")
    assert in_use.edition() is bundled_edition() and "absent.json" in in_use.refused
