"""Staged rollout of a catalogue or configuration version: the canary gets it first; a
canary that fails its gate is rolled back (the previous content published again as a new version) and the other
kiosks never receive the failed version; one that stays healthy through the window reaches
all; kiosks too old for the plan are not the canary."""
from __future__ import annotations

from datetime import timedelta
from typing import Iterator

import pytest
from sqlalchemy import delete

from district_server.catalogue import rollout, service as catalogue
from district_server.catalogue.models import CataloguePublication, Rollout
from district_server.kiosk_config import service as kiosk_config
from district_server.kiosks.service import issue_token
from tests.district_server.kiosk_double import KioskDouble
from wire import v1

COHORT = "rollout-test"
NEW = "2099.1.1-rollout"


def enrol(ctx, client, kiosk_id: str) -> KioskDouble:
    with ctx.db.transaction() as session:
        token = issue_token(session, now=ctx.now(), ttl_s=600, hall_code="FT-CENTRE",
                            cohort=COHORT, kiosk_id=kiosk_id)
    kiosk = KioskDouble(client, kiosk_id)
    kiosk.enroll(token)
    return kiosk


@pytest.fixture
def fleet(ctx, client) -> list[KioskDouble]:
    return [enrol(ctx, client, f"rollout-kiosk-{n}") for n in range(1, 6)]


@pytest.fixture
def in_use(ctx) -> Iterator[str]:
    """The version the cohort runs now (the default cohort's), and a new one stored. The
    cohort's own publication is dropped afterwards (PostgreSQL keeps publications between
    tests)."""
    with ctx.db.transaction() as session:
        current = catalogue.published_version(session, COHORT, ctx.settings.default_cohort)
        body = v1.Catalogue.model_validate_json(current.body)
        catalogue.store(session, body.model_copy(update={"version": NEW, "faq": []}),
                        now=ctx.now())
        version = current.version
    yield version
    with ctx.db.transaction() as session:
        session.execute(delete(CataloguePublication).where(
            CataloguePublication.cohort == COHORT))


def desired(kiosk) -> v1.DesiredState:
    answer = kiosk.request("GET", v1.PATH_DESIRED_STATE.format(kiosk_id=kiosk.kiosk_id))
    assert answer.status_code == 200, answer.text
    return v1.SignedDesiredState.model_validate(answer.json()).state


def report(kiosk, delta) -> None:
    answer = kiosk.request("PATCH", v1.PATH_REPORTED_STATE.format(kiosk_id=kiosk.kiosk_id),
                           delta)
    assert answer.status_code == 200, answer.text


def start(ctx, **plan) -> tuple[int, list[str]]:
    with ctx.db.transaction() as session:
        started = rollout.start(session, NEW, COHORT, rollout.RolloutPlan(**plan),
                                now=ctx.now(), default_cohort=ctx.settings.default_cohort)
        return started.rollout_id, rollout.canary_of(started)


def evaluate(ctx, rollout_id) -> Rollout:
    with ctx.db.transaction() as session:
        rollout.evaluate(session, now=ctx.now())
        decided = session.get(Rollout, rollout_id)
        session.expunge(decided)
        return decided


def test_a_canary_failing_its_gate_is_rolled_back_and_the_rest_never_get_it(
        ctx, fleet, in_use):
    rollout_id, canary = start(ctx, canary_share=0.2, health_window_s=60)
    assert len(canary) == 1
    received = {k.kiosk_id: [desired(k)] for k in fleet}
    assert {k: s[0].catalogue_version for k, s in received.items()} == \
        {k.kiosk_id: (NEW if k.kiosk_id in canary else in_use) for k in fleet}

    [canary_kiosk] = [k for k in fleet if k.kiosk_id in canary]
    report(canary_kiosk, {"catalogue_version": NEW, "devices": {"receipt_printer": {
        "availability": "hardwareError", "severity": "error", "kind": "printer",
        "units": {"paper": "out"}}}})
    decided = evaluate(ctx, rollout_id)
    assert decided.state == "rolled_back" and "1 new alert" in decided.verdict
    assert decided.rollback_version == f"{in_use}-r{rollout_id}"

    for kiosk in fleet:
        received[kiosk.kiosk_id].append(desired(kiosk))
    for kiosk_id, (before, after) in received.items():
        assert after.catalogue_version == decided.rollback_version
        assert after.version > before.version, "a kiosk never goes back to a lower number"
        if kiosk_id not in canary:
            assert NEW not in (before.catalogue_version, after.catalogue_version)
    with ctx.db.transaction() as session:
        again = v1.Catalogue.model_validate_json(
            catalogue.published_version(session, COHORT, "none").body)
        previous = v1.Catalogue.model_validate_json(
            session.get(catalogue.CatalogueVersion, in_use).body)
    assert again.model_copy(update={"version": in_use}) == previous


def test_a_healthy_canary_reaches_all_after_the_health_window(ctx, fleet, in_use):
    rollout_id, canary = start(ctx, canary_share=0.4, health_window_s=60)
    assert len(canary) == 2
    for kiosk in fleet:
        if kiosk.kiosk_id in canary:
            assert desired(kiosk).catalogue_version == NEW
            report(kiosk, {"catalogue_version": NEW})
    assert evaluate(ctx, rollout_id).state == "canary", "the window is not over"
    assert all(desired(k).catalogue_version == in_use for k in fleet
               if k.kiosk_id not in canary)

    started = ctx.now()
    ctx.now = lambda: started + timedelta(seconds=61)
    decided = evaluate(ctx, rollout_id)
    assert decided.state == "complete", decided.verdict
    assert {desired(k).catalogue_version for k in fleet} == {NEW}


@pytest.mark.parametrize("counter, verdict", [("crashes", "1 more crashes"),
                                               ("set_aside", "2 more set aside")])
def test_crashes_or_set_aside_items_on_the_canary_roll_it_back(counter, verdict, ctx, fleet,
                                                               in_use):
    for kiosk in fleet:
        report(kiosk, {counter: 3})               # counted before: not the version's fault
    rollout_id, canary = start(ctx, canary_share=0.2, health_window_s=60, max_set_aside=0,
                               max_crashes=0)
    [canary_kiosk] = [k for k in fleet if k.kiosk_id in canary]
    report(canary_kiosk, {"catalogue_version": NEW, counter: 3})
    assert evaluate(ctx, rollout_id).state == "canary"
    report(canary_kiosk, {counter: 4 if counter == "crashes" else 5})
    decided = evaluate(ctx, rollout_id)
    assert decided.state == "rolled_back" and verdict in decided.verdict, decided.verdict


def test_a_canary_that_never_took_the_version_is_rolled_back(ctx, fleet, in_use):
    rollout_id, _canary = start(ctx, canary_share=0.2, health_window_s=60)
    started = ctx.now()
    ctx.now = lambda: started + timedelta(seconds=61)
    decided = evaluate(ctx, rollout_id)
    assert decided.state == "rolled_back" and "not in use" in decided.verdict


def test_kiosks_too_old_for_the_plan_are_not_the_canary(ctx, fleet, in_use):
    for kiosk in fleet[1:]:
        report(kiosk, {"app_version": "0.0.9"})
    report(fleet[0], {"app_version": "0.3.0"})
    _rollout_id, canary = start(ctx, canary_share=1.0, min_app_version="0.2.0")
    assert canary == [fleet[0].kiosk_id]
    state = desired(fleet[0])
    assert state.catalogue_version == NEW and state.min_app_version == "0.2.0"
    assert desired(fleet[1]).min_app_version == ctx.settings.min_app_version


def test_one_rollout_at_a_time_and_only_a_stored_new_version(ctx, fleet, in_use):
    with pytest.raises(rollout.RolloutRefused):
        start_version(ctx, in_use)
    start(ctx)
    with pytest.raises(rollout.RolloutRefused, match="canary stage"):
        start(ctx)


def start_version(ctx, version):
    with ctx.db.transaction() as session:
        rollout.start(session, version, COHORT, rollout.RolloutPlan(), now=ctx.now(),
                      default_cohort=ctx.settings.default_cohort)


def test_the_cli_stages_a_catalogue_instead_of_publishing_it_to_all(tmp_path, capsys):
    import shutil

    from district_server.app import build_context
    from district_server.cli import main
    from district_server.kiosks.models import Kiosk
    from district_server.settings import DEFAULT_CATALOGUE_DIR, Settings
    directory = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE_DIR, directory)
    main_file = directory / "catalogue.yaml"
    text = main_file.read_text(encoding="utf-8")
    main_file.write_text(text.replace('version: "', 'version: "9', 1), encoding="utf-8")
    ctx = build_context(Settings(data_dir=tmp_path / "server"))
    with ctx.db.transaction() as session:
        in_use = catalogue.published_version(session, "default", "default").version
        session.add(Kiosk(kiosk_id="cli-kiosk-1", signing_public_key=b"k" * 32,
                          hall_code="FT-CENTRE", cohort="default", enrolled_at=ctx.now()))
    ctx.db.dispose()

    assert main(["--data-dir", str(tmp_path / "server"), "catalogue", "publish",
                 str(directory), "--canary-share", "0.5", "--health-window-s", "600"]) == 0
    assert "to the canary of cohort default (cli-kiosk-1)" in capsys.readouterr().out
    ctx = build_context(Settings(data_dir=tmp_path / "server", publish_catalogue_on_start=False))
    with ctx.db.transaction() as session:
        assert catalogue.published_version(session, "default", "default").version == in_use
        assert rollout.version_for(session, "cli-kiosk-1", "default", "default")[0] \
            == f"9{in_use}"
    ctx.db.dispose()
    assert main(["--data-dir", str(tmp_path / "server"), "catalogue", "publish",
                 str(directory), "--canary-share", "2"]) == 5


# --- configuration versions, through the same rollout -----------------------------------

NEW_CONFIG = {"kiosk.hall_phone": "0755-1234 5678", "session.idle_warning_s": 40}


@pytest.fixture
def config_versions(ctx, fleet) -> tuple[str, str]:
    """The configuration version the cohort runs (the default cohort's, from the settings),
    reported by its kiosks, and a new one stored, as rollout versions (their numbers)."""
    with ctx.db.transaction() as session:
        in_use = kiosk_config.published_number(session, COHORT, ctx.settings.default_cohort)
        new = kiosk_config.store(session, NEW_CONFIG, now=ctx.now(), source="test").number
    for kiosk in fleet:
        report(kiosk, {"config_number": in_use})
    return str(in_use), str(new)


def desired_config(kiosk) -> v1.DesiredState:
    answer = kiosk.request("GET", v1.PATH_DESIRED_STATE.format(kiosk_id=kiosk.kiosk_id),
                           headers={v1.HEADER_FEATURES: v1.FEATURE_CONFIG_NUMBER})
    assert answer.status_code == 200, answer.text
    return v1.SignedDesiredState.model_validate(answer.json()).state


def start_config(ctx, version: str, **plan) -> tuple[int, list[str]]:
    with ctx.db.transaction() as session:
        started = rollout.start(session, version, COHORT, rollout.RolloutPlan(**plan),
                                now=ctx.now(), default_cohort=ctx.settings.default_cohort,
                                subject=rollout.CONFIG)
        return started.rollout_id, rollout.canary_of(started)


def test_a_configuration_version_reaches_the_canary_then_all_when_healthy(
        ctx, fleet, config_versions):
    in_use, new = config_versions
    rollout_id, canary = start_config(ctx, new, canary_share=0.4, health_window_s=60)
    assert len(canary) == 2
    for kiosk in fleet:
        state = desired_config(kiosk)
        if kiosk.kiosk_id in canary:
            assert (state.config_number, state.config) == (int(new), NEW_CONFIG)
            report(kiosk, {"config_number": state.config_number})
        else:
            assert (state.config_number, state.config) == (int(in_use), {})
    assert evaluate(ctx, rollout_id).state == "canary", "the window is not over"

    started = ctx.now()
    ctx.now = lambda: started + timedelta(seconds=61)
    decided = evaluate(ctx, rollout_id)
    assert decided.state == "complete" and decided.subject == "config", decided.verdict
    assert {desired_config(k).config_number for k in fleet} == {int(new)}
    assert all(desired_config(k).config == NEW_CONFIG for k in fleet)


def test_a_configuration_key_refused_on_the_canary_rolls_it_back_before_the_rest_get_it(
        ctx, fleet, config_versions):
    in_use, new = config_versions
    rollout_id, canary = start_config(ctx, new, canary_share=0.2, health_window_s=3600)
    received = {k.kiosk_id: [desired_config(k)] for k in fleet}
    [canary_kiosk] = [k for k in fleet if k.kiosk_id in canary]
    report(canary_kiosk, {"config_number": int(new), "refused": {
        "session.idle_warning_s": "this kiosk release wants at least 45"}})
    decided = evaluate(ctx, rollout_id)
    assert decided.state == "rolled_back" and f"refused by {canary_kiosk.kiosk_id}" \
        in decided.verdict, decided.verdict
    assert int(decided.rollback_version) > int(new), "the previous content, a higher number"

    for kiosk in fleet:
        received[kiosk.kiosk_id].append(desired_config(kiosk))
    for kiosk_id, (before, after) in received.items():
        assert (after.config_number, after.config) == (int(decided.rollback_version), {})
        assert after.version > before.version
        if kiosk_id not in canary:
            assert before.config_number == int(in_use), "the rest never received it"
    with ctx.db.transaction() as session:
        assert kiosk_config.published_number(session, COHORT, "none") == \
            int(decided.rollback_version)
    with pytest.raises(rollout.RolloutRefused, match="already in use"):
        start_config(ctx, decided.rollback_version)


def test_one_rollout_per_cohort_whatever_it_rolls_out(ctx, fleet, in_use, config_versions):
    start(ctx)
    with pytest.raises(rollout.RolloutRefused, match="canary stage"):
        start_config(ctx, config_versions[1])
    with pytest.raises(rollout.RolloutRefused, match="no stored configuration"):
        start_config(ctx, "999999")


def failed_submissions(ctx, kiosk_id: str) -> int:
    from district_server.kiosks.models import Kiosk
    with ctx.db.transaction() as session:
        return session.get(Kiosk, kiosk_id).failed_submissions


def test_submissions_the_district_refuses_from_the_canary_roll_it_back(ctx, fleet, in_use):
    """Counted by the district as it refuses them (one by one or in a batch), before the
    kiosk could report them set aside."""
    from tests.district_server.test_batch import outcomes, post_batch
    bad = {"level": 9}                                  # not a rating: refused for good
    for kiosk in fleet:
        assert kiosk.put(kiosk.envelope("rating", bad)).status_code == 422
    rollout_id, canary = start(ctx, canary_share=0.2, health_window_s=60)
    [canary_kiosk] = [k for k in fleet if k.kiosk_id in canary]
    [other, *_] = [k for k in fleet if k.kiosk_id not in canary]
    assert [o["status"] for o in outcomes(post_batch(other, [other.envelope("rating", bad)]))] \
        == [422]
    assert failed_submissions(ctx, other.kiosk_id) == 2
    assert evaluate(ctx, rollout_id).state == "canary", "not the canary's, nor before it"
    assert canary_kiosk.put(canary_kiosk.envelope("rating", bad)).status_code == 422
    decided = evaluate(ctx, rollout_id)
    assert decided.state == "rolled_back" and "1 more failed submissions" in decided.verdict, \
        decided.verdict


def test_kiosks_that_do_not_report_a_configuration_number_are_not_its_canary(ctx, fleet,
                                                                             config_versions):
    """A kiosk of an older release applies the configuration but never says which number
    it runs: as the canary it would always look like one that never took the version."""
    old = enrol(ctx, fleet[0].client, "rollout-kiosk-old")
    _rollout_id, canary = start_config(ctx, config_versions[1], canary_share=1.0)
    assert old.kiosk_id not in canary and len(canary) == len(fleet)
