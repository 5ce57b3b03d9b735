"""Application bundles at the district: stored with a manifest signed by the receipt key,
served to kiosks (the archive with Range), named in the desired state of a kiosk that updates
itself, and staged through the same rollout as catalogue and configuration (a canary kiosk
that refuses or rolls back the bundle rolls the rollout back)."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete

from district_server.bundles import service as bundles
from district_server.bundles.models import BundlePublication
from district_server.catalogue import rollout
from district_server.catalogue.models import Rollout
from district_server.cli import main
from district_server.settings import Settings
from tests.district_server.test_rollout import COHORT, enrol, evaluate
from tests.offline_queue.bundle_server import archive_of, make_bundle_tree, unpacked_size
from wire import v1

ASKS_BUNDLES = {v1.HEADER_FEATURES: v1.FEATURE_BUNDLE_UPDATES}


def bundle_archive(tmp_path: Path, version: str) -> Path:
    path = tmp_path / f"kiosk-{version}.tar.gz"
    path.write_bytes(archive_of(make_bundle_tree(tmp_path / f"tree-{version}", version)))
    return path


def store(ctx, tmp_path: Path, version: str, *, publish_to: str | None = None) -> Path:
    archive = bundle_archive(tmp_path, version)
    with ctx.db.transaction() as session:
        bundles.store(session, archive, version, keys=ctx.keys,
                      directory=ctx.settings.resolved_bundle_dir(), now=ctx.now())
        if publish_to:
            bundles.publish(session, version, publish_to, now=ctx.now())
    return archive


@pytest.fixture
def test_cohort(ctx):
    """The rollout test cohort, its bundle rows dropped afterwards (PostgreSQL keeps rows)."""
    yield COHORT
    with ctx.db.transaction() as session:
        session.execute(delete(Rollout).where(Rollout.cohort == COHORT))
        session.execute(delete(BundlePublication).where(BundlePublication.cohort == COHORT))


def desired_bundle(kiosk, *, asks: bool = True) -> str | None:
    answer = kiosk.request("GET", v1.PATH_DESIRED_STATE.format(kiosk_id=kiosk.kiosk_id),
                           headers=ASKS_BUNDLES if asks else None)
    assert answer.status_code == 200, answer.text
    return v1.SignedDesiredState.model_validate(answer.json()).state.bundle_version


def report_update(kiosk, **update) -> None:
    answer = kiosk.request("PATCH", v1.PATH_REPORTED_STATE.format(kiosk_id=kiosk.kiosk_id),
                           {"update": {"confirmed": True, **update}})
    assert answer.status_code == 200, answer.text


def test_a_kiosk_gets_the_signed_manifest_and_the_archive_whole_or_from_a_byte(
        ctx, client, kiosk, tmp_path):
    archive = store(ctx, tmp_path, "1.0").read_bytes()

    answer = kiosk.request("GET", v1.PATH_BUNDLE_MANIFEST.format(version="1.0"))
    assert answer.status_code == 200, answer.text
    raw = json.loads(answer.content)
    assert kiosk.verify_district_signature(raw["manifest"], raw["signature_b64"])
    manifest = v1.SignedBundleManifest.model_validate(raw).manifest
    assert manifest == v1.BundleManifest(version="1.0", archive_sha256=v1.sha256_hex(archive),
                                         archive_bytes=len(archive),
                                         unpacked_bytes=unpacked_size(archive))

    path = v1.PATH_BUNDLE_ARCHIVE.format(version="1.0")
    whole = kiosk.request("GET", path)
    assert whole.status_code == 200 and whole.content == archive
    rest = kiosk.request("GET", path, headers={"Range": "bytes=1000-"})
    assert rest.status_code == 206
    assert rest.headers["Content-Range"] == f"bytes 1000-{len(archive) - 1}/{len(archive)}"
    assert rest.content == archive[1000:]
    beyond = kiosk.request("GET", path, headers={"Range": f"bytes={len(archive)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == f"bytes */{len(archive)}"

    assert kiosk.request("GET", v1.PATH_BUNDLE_MANIFEST.format(version="9.9")).status_code \
        == 404
    assert client.get(path).status_code == 401  # kiosks only


def test_the_desired_state_names_the_bundle_to_a_kiosk_that_updates_itself(
        ctx, client, kiosk, tmp_path):
    assert v1.FEATURE_BUNDLE_UPDATES in v1.features(
        client.get(v1.PATH_HEALTH).headers[v1.HEADER_SERVER_FEATURES])
    assert desired_bundle(kiosk) is None  # none published yet
    store(ctx, tmp_path, "1.0", publish_to=ctx.settings.default_cohort)
    assert desired_bundle(kiosk) == "1.0"
    assert desired_bundle(kiosk, asks=False) is None  # an older kiosk would refuse the field


def test_a_bundle_rolls_out_to_the_canary_and_back_when_one_rolls_it_back(
        ctx, client, tmp_path, test_cohort):
    fleet = [enrol(ctx, client, f"bundle-kiosk-{n}") for n in range(1, 5)]
    store(ctx, tmp_path, "1.0", publish_to=COHORT)
    store(ctx, tmp_path, "2.0")
    for kiosk in fleet[:3]:
        report_update(kiosk, running="1.0")  # fleet[3] is not installed in slots
    with ctx.db.transaction() as session:
        started = rollout.start(session, "2.0", COHORT, rollout.RolloutPlan(
            canary_share=0.5, health_window_s=60), now=ctx.now(),
            default_cohort=ctx.settings.default_cohort, subject=rollout.BUNDLE)
        rollout_id, canary = started.rollout_id, rollout.canary_of(started)
    assert len(canary) == 2 and fleet[3].kiosk_id not in canary
    assert {k.kiosk_id: desired_bundle(k) for k in fleet} == {
        k.kiosk_id: "2.0" if k.kiosk_id in canary else "1.0" for k in fleet}

    first, second = (k for k in fleet if k.kiosk_id in canary)
    report_update(first, running="2.0", confirmed=False)  # on trial: not in use yet
    report_update(second, running="2.0")
    assert evaluate(ctx, rollout_id).state == "canary"
    report_update(first, running="1.0", failed_version="2.0",
                  last_failure="2.0 rolled back to 1.0: not confirmed in time")

    decided = evaluate(ctx, rollout_id)
    assert decided.state == "rolled_back"
    assert f"refused by {first.kiosk_id}" in decided.verdict
    assert decided.rollback_version == "1.0"  # the application's own version, again
    assert {desired_bundle(k) for k in fleet} == {"1.0"}


def test_a_healthy_bundle_canary_reaches_all(ctx, client, tmp_path, test_cohort):
    fleet = [enrol(ctx, client, f"bundle-kiosk-{n}") for n in range(1, 3)]
    store(ctx, tmp_path, "1.0", publish_to=COHORT)
    store(ctx, tmp_path, "2.0")
    for kiosk in fleet:
        report_update(kiosk, running="1.0")
    with ctx.db.transaction() as session:
        started = rollout.start(session, "2.0", COHORT, rollout.RolloutPlan(
            canary_share=0.5, health_window_s=60), now=ctx.now(),
            default_cohort=ctx.settings.default_cohort, subject=rollout.BUNDLE)
        rollout_id, canary = started.rollout_id, rollout.canary_of(started)
    for kiosk in fleet:
        if kiosk.kiosk_id in canary:
            report_update(kiosk, running="2.0")
    begun = ctx.now()
    ctx.now = lambda: begun + timedelta(seconds=61)
    decided = evaluate(ctx, rollout_id)
    assert decided.state == "complete", decided.verdict
    assert {desired_bundle(k) for k in fleet} == {"2.0"}


def test_bundle_publish_refuses_what_a_kiosk_would_refuse(tmp_path: Path, capsys):
    data = ["--data-dir", str(tmp_path / "district")]
    good = bundle_archive(tmp_path, "1.0")
    no_kiosk = tmp_path / "no-kiosk.tar.gz"
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README").write_text("no kiosk here")
    no_kiosk.write_bytes(archive_of(tmp_path / "empty"))
    (tmp_path / "not-an-archive.tar.gz").write_text("hello")
    for archive, version, problem in (
            (good, "1.0-beta", "bad version"), (no_kiosk, "1.0", "no `kiosk` at its top"),
            (tmp_path / "not-an-archive.tar.gz", "1.0", "not a readable tar.gz"),
            (tmp_path / "missing.tar.gz", "1.0", "no such file")):
        assert main(data + ["bundle", "publish", str(archive), "--version", version]) == 5
        assert problem in capsys.readouterr().err, problem

    assert main(data + ["bundle", "publish", str(good), "--version", "1.0"]) == 0
    assert "bundle 1.0 published to cohort default" in capsys.readouterr().out
    assert main(data + ["bundle", "publish", str(bundle_archive(tmp_path, "2.0")),
                        "--version", "1.0"]) == 5
    assert "stored with another archive" in capsys.readouterr().err
    from district_server.app import build_context
    ctx = build_context(Settings(data_dir=tmp_path / "district",
                                 publish_catalogue_on_start=False))
    with ctx.db.transaction() as session:
        assert bundles.published_version(session, "default", "default") == "1.0"
    ctx.db.dispose()
