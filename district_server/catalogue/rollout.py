"""Staged rollout of a catalogue, configuration or application bundle version to a cohort: a
canary share of its kiosks gets it first; the rest keep the version in use until the canary
has stayed healthy through the health window. A canary past a threshold (new alerts on its
kiosks, the version refused by one, queue items set aside, submissions the district refused,
crashes, counted from the start) is rolled back at once: the previous content is published
again under a new version, so a kiosk only ever moves forward (a bundle, whose version is
the application's own, under its old one), and the rest never receive the failed version.
One rollout runs in a cohort at a time, whatever its subject: a failing canary could not say
which one was at fault. Kiosks whose reported app is older than the plan's
`min_app_version` are not picked for the canary (they would keep what they have, kiosk
side), nor kiosks that do not report which version of the subject they run (a
configuration's number, a bundle's update state: older releases, kiosks not installed in
slots). Evaluated once a heartbeat by the server's sweeper (`evaluate`)."""
from __future__ import annotations

from abc import ABC, abstractmethod

import hashlib
import json
import math
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from district_server.audit import service as audit
from district_server.bundles import service as bundles
from district_server.bundles.models import BundleVersion
from district_server.catalogue import service as catalogue
from district_server.catalogue.models import CatalogueVersion, Rollout
from district_server.kiosk_config import service as kiosk_config
from district_server.kiosk_config.models import ConfigVersion
from district_server.kiosks.models import Kiosk, KioskAlarm
from wire import v1


class RolloutRefused(ValueError):
    """A rollout that cannot start (or a plan that makes no sense)."""


class Subject(ABC):
    """What a rollout publishes, and how the kiosks say they run it."""
    #: Rollout.subject, and the audit actions' prefix
    name: str
    #: the ReportedState field naming the version a kiosk runs
    reported: str
    #: what it is called in messages to the operator
    label: str

    @abstractmethod
    def stored(self, session: Session, version: str) -> bool:
        ...

    @abstractmethod
    def in_use(self, session: Session, cohort: str, default_cohort: str) -> str | None:
        ...

    @abstractmethod
    def publish(self, session: Session, version: str, cohort: str, *, now: datetime) -> None:
        ...

    @abstractmethod
    def publish_again(self, session: Session, rollout: Rollout, *, now: datetime) -> str:
        """Store the previous content under a new version and publish that; its name."""
        ...

    def can_report(self, reported: dict) -> bool:
        """Whether a kiosk (by its reported state) says which version it runs: one that
        cannot would never be seen running it, so it is not picked for the canary."""
        return True

    def running(self, reported: dict) -> str | None:
        """The version a kiosk's reported state says it runs."""
        value = reported.get(self.reported)
        return None if value is None else str(value)

    @abstractmethod
    def refused(self, session: Session, rollout: Rollout, reported: dict) -> bool:
        """Whether a kiosk's reported state refuses the rollout's version."""
        ...


class CatalogueSubject(Subject):
    name, reported, label = "catalogue", "catalogue_version", "catalogue"

    def stored(self, session, version):
        return session.get(CatalogueVersion, version) is not None

    def in_use(self, session, cohort, default_cohort):
        try:
            return catalogue.published_version(session, cohort, default_cohort).version
        except catalogue.CatalogueInvalid:
            return None

    def publish(self, session, version, cohort, *, now):
        catalogue.publish(session, version, cohort, now=now)

    def publish_again(self, session, rollout, *, now):
        previous = v1.Catalogue.model_validate_json(
            session.get(CatalogueVersion, rollout.previous_version).body)
        again = previous.model_copy(update={"version": rollback_version(rollout)})
        catalogue.store(session, again, now=now)
        catalogue.publish(session, again.version, rollout.cohort, now=now)
        return again.version

    def refused(self, session, rollout, reported):
        return "catalogue" in (reported.get("refused") or {})


class ConfigSubject(Subject):
    """Versions are the configuration's numbers (as text in Rollout's columns)."""
    name, reported, label = "config", "config_number", "configuration"

    def stored(self, session, version):
        return version.isdigit() and session.get(ConfigVersion, int(version)) is not None

    def in_use(self, session, cohort, default_cohort):
        number = kiosk_config.published_number(session, cohort, default_cohort)
        return None if number is None else str(number)

    def publish(self, session, version, cohort, *, now):
        kiosk_config.publish(session, int(version), cohort, now=now)

    def publish_again(self, session, rollout, *, now):
        again = kiosk_config.store(
            session, kiosk_config.content(session, int(rollout.previous_version)), now=now,
            source=f"rollback of rollout {rollout.rollout_id}")
        kiosk_config.publish(session, again.number, rollout.cohort, now=now)
        return str(again.number)

    def can_report(self, reported):
        """A kiosk of a release before configuration numbers never reports one."""
        return reported.get(self.reported) is not None

    def refused(self, session, rollout, reported):
        """A key of the version refused (each key is applied or refused alone)."""
        return bool(set(reported.get("refused") or {})
                    & set(kiosk_config.content(session, int(rollout.version))))


class BundleSubject(Subject):
    """The kiosk application (district_server/bundles). A bundle's version is the
    application's own, so a rollback publishes the previous version again under its name: a
    canary kiosk that took the new one goes back to it, one that rolled back by itself
    stays."""
    name, reported, label = "bundle", "update", "bundle"

    def stored(self, session, version):
        return session.get(BundleVersion, version) is not None

    def in_use(self, session, cohort, default_cohort):
        return bundles.published_version(session, cohort, default_cohort)

    def publish(self, session, version, cohort, *, now):
        bundles.publish(session, version, cohort, now=now)

    def publish_again(self, session, rollout, *, now):
        bundles.publish(session, rollout.previous_version, rollout.cohort, now=now)
        return rollout.previous_version

    def can_report(self, reported):
        """Only a kiosk installed in slots reports `update` (kiosk/updates.py)."""
        return reported.get(self.reported) is not None

    def running(self, reported):
        """Running and past its health check: a version on trial is not in use yet."""
        update = reported.get(self.reported) or {}
        return update.get("running") if update.get("confirmed") else None

    def refused(self, session, rollout, reported):
        """The kiosk refused the bundle (signature, hash) or rolled it back (health)."""
        return (reported.get(self.reported) or {}).get("failed_version") == rollout.version


CATALOGUE, CONFIG, BUNDLE = CatalogueSubject(), ConfigSubject(), BundleSubject()
SUBJECTS = {subject.name: subject for subject in (CATALOGUE, CONFIG, BUNDLE)}


@dataclass(frozen=True)
class RolloutPlan:
    canary_share: float = 0.1
    health_window_s: int = 3600
    #: alerts raised on the canary's kiosks since the start that still pass the gate
    max_new_alerts: int = 0
    #: canary kiosks that may refuse the version (it did not load) and still pass
    max_refusals: int = 0
    #: queue items the canary may set aside since the start (reported `set_aside`)
    max_set_aside: int = 0
    #: unclean ends (crashes, hangs) the canary may have since the start (reported `crashes`)
    max_crashes: int = 0
    #: submissions from the canary the district may refuse for good since the start
    #: (counted by the district: Kiosk.failed_submissions)
    max_failed_submissions: int = 0
    #: kiosks reporting an older app are left out of the canary
    min_app_version: str = ""

    def __post_init__(self) -> None:
        if not 0 < self.canary_share <= 1:
            raise RolloutRefused("canary_share must be in (0, 1]")
        if self.health_window_s < 1:
            raise RolloutRefused("health_window_s must be at least 1")


def _reported(kiosk: Kiosk) -> dict:
    return json.loads(kiosk.reported_json or "{}")


#: counters whose growth on the canary counts against it: the first two reported by the
#: kiosk, the last counted by the district
COUNTERS = ("set_aside", "crashes", "failed_submissions")


def _counters(kiosk: Kiosk) -> dict[str, int]:
    reported = _reported(kiosk)
    return {"set_aside": int(reported.get("set_aside") or 0),
            "crashes": int(reported.get("crashes") or 0),
            "failed_submissions": kiosk.failed_submissions or 0}


def _canary(kiosks: list[Kiosk], rollout_key: str, share: float) -> dict[str, dict[str, int]]:
    """A fixed pick, the same in every worker (ordered by a hash of rollout and kiosk), each
    with its counters at the start."""
    ordered = sorted(kiosks, key=lambda k: hashlib.sha256(
        f"{rollout_key}:{k.kiosk_id}".encode()).hexdigest())
    return {k.kiosk_id: _counters(k) for k in ordered[:max(1, math.ceil(share * len(kiosks)))]}


def active(session: Session, cohort: str) -> Rollout | None:
    return session.scalar(select(Rollout).where(Rollout.cohort == cohort,
                                                Rollout.state == "canary"))


def _may_be_canary(reported: dict, plan: RolloutPlan, subject: Subject) -> bool:
    new_enough = not plan.min_app_version or v1.app_version_key(
        str(reported.get("app_version") or "0")) >= v1.app_version_key(plan.min_app_version)
    return new_enough and subject.can_report(reported)


def start(session: Session, version: str, cohort: str, plan: RolloutPlan, *, now: datetime,
          default_cohort: str, actor: str = "operator",
          subject: Subject = CATALOGUE) -> Rollout:
    """Give `version` of `subject` to the canary of `cohort`; the others keep the version in
    use."""
    what = subject.label
    if not subject.stored(session, version):
        raise RolloutRefused(f"no stored {what} version {version}")
    if active(session, cohort) is not None:
        raise RolloutRefused(f"cohort {cohort} has a rollout in its canary stage")
    previous = subject.in_use(session, cohort, default_cohort)
    if previous is None:
        raise RolloutRefused(f"no {what} is published to fall back on in {cohort}")
    if previous == version:
        raise RolloutRefused(f"{what} {version} is already in use in {cohort}")
    kiosks = [k for k in session.scalars(select(Kiosk).where(Kiosk.cohort == cohort,
                                                             Kiosk.revoked_at.is_(None)))
              if _may_be_canary(_reported(k), plan, subject)]
    if not kiosks:
        raise RolloutRefused(f"cohort {cohort} has no kiosk to be the canary (one new enough "
                             f"for the plan that reports the {what} version it runs)")
    count = session.scalar(select(func.count()).select_from(Rollout)) or 0
    rollout = Rollout(subject=subject.name, cohort=cohort, version=version,
                      previous_version=previous,
                      plan_json=json.dumps(asdict(plan), sort_keys=True),
                      canary_json=json.dumps(_canary(kiosks, f"{cohort}:{version}:{count}",
                                                     plan.canary_share)),
                      state="canary", started_at=now,
                      canary_until=now + timedelta(seconds=plan.health_window_s), verdict="")
    session.add(rollout)
    session.flush()
    audit.append(session, at=now, actor=actor, action=f"{subject.name}.rollout_started",
                 detail={"rollout_id": rollout.rollout_id, "cohort": cohort,
                         "version": version, "canary": canary_of(rollout)})
    return rollout


def release(session: Session, version: str, cohort: str, plan: RolloutPlan | None, *,
            now: datetime, default_cohort: str, actor: str,
            subject: Subject = CATALOGUE) -> Rollout | None:
    """Publish `version` of `subject` to `cohort` at once (`plan` None) or start its staged
    rollout (returned)."""
    if plan is not None:
        return start(session, version, cohort, plan, now=now, default_cohort=default_cohort,
                     actor=actor, subject=subject)
    if active(session, cohort) is not None:
        raise RolloutRefused(f"cohort {cohort} has a rollout in its canary stage")
    subject.publish(session, version, cohort, now=now)
    audit.append(session, at=now, actor=actor, action=f"{subject.name}.published",
                 detail={"cohort": cohort, "version": version})
    return None


def canary_of(rollout: Rollout) -> list[str]:
    return sorted(json.loads(rollout.canary_json))


def plan_of(rollout: Rollout) -> RolloutPlan:
    return RolloutPlan(**json.loads(rollout.plan_json))


def version_for(session: Session, kiosk_id: str, cohort: str, default_cohort: str,
                subject: Subject = CATALOGUE) -> tuple[str | None, str]:
    """The version of `subject` a kiosk should run (None: none is published) and the app
    version it needs for it ("" when the plan asks none): the rollout's while the kiosk is
    in its canary, else the published."""
    rollout = active(session, cohort)
    if rollout is not None and rollout.subject == subject.name \
            and kiosk_id in canary_of(rollout):
        return rollout.version, plan_of(rollout).min_app_version
    return subject.in_use(session, cohort, default_cohort), ""


def subject_of(rollout: Rollout) -> Subject:
    return SUBJECTS[rollout.subject]


@dataclass(frozen=True)
class Health:
    new_alerts: int
    refused_by: list[str]
    applied_by: list[str]
    #: growth of each counter (COUNTERS) over the canary since the start
    grown: dict[str, int]

    def failure(self, plan: RolloutPlan) -> str:
        """Why the canary fails its gate ("" when it does not)."""
        problems = []
        if self.new_alerts > plan.max_new_alerts:
            problems.append(f"{self.new_alerts} new alert(s) on the canary (at most "
                            f"{plan.max_new_alerts})")
        if len(self.refused_by) > plan.max_refusals:
            problems.append(f"refused by {', '.join(self.refused_by)}")
        for name, limit in (("set_aside", plan.max_set_aside), ("crashes", plan.max_crashes),
                            ("failed_submissions", plan.max_failed_submissions)):
            if self.grown[name] > limit:
                problems.append(f"{self.grown[name]} more {name.replace('_', ' ')} on the "
                                f"canary (at most {limit})")
        return "; ".join(problems)


def health(session: Session, rollout: Rollout, *, now: datetime) -> Health:
    baseline = json.loads(rollout.canary_json)
    canary = sorted(baseline)
    grown = dict.fromkeys(COUNTERS, 0)
    new_alerts = session.scalar(select(func.count()).select_from(KioskAlarm).where(
        KioskAlarm.kiosk_id.in_(canary), KioskAlarm.opened_at >= rollout.started_at,
        (KioskAlarm.raised_at.is_(None)) | (KioskAlarm.raised_at <= now))) or 0
    subject = subject_of(rollout)
    refused, applied = [], []
    for kiosk in session.scalars(select(Kiosk).where(Kiosk.kiosk_id.in_(canary))):
        reported, counted = _reported(kiosk), _counters(kiosk)
        for name in COUNTERS:
            # a counter newer than the rollout's start has no baseline: nothing grew
            grown[name] += max(0, counted[name] - baseline[kiosk.kiosk_id].get(
                name, counted[name]))
        if subject.running(reported) == rollout.version:
            applied.append(kiosk.kiosk_id)
        if kiosk.reported_at is not None and kiosk.reported_at >= rollout.started_at \
                and subject.refused(session, rollout, reported):
            refused.append(kiosk.kiosk_id)
    return Health(new_alerts, sorted(refused), sorted(applied), grown)


def evaluate(session: Session, *, now: datetime) -> list[Rollout]:
    """Decide every rollout in its canary stage whose gate failed or whose window is over;
    returns those decided."""
    decided = []
    for rollout in list(session.scalars(select(Rollout).where(Rollout.state == "canary"))):
        plan, seen = plan_of(rollout), health(session, rollout, now=now)
        failure = seen.failure(plan)
        if not failure and now < rollout.canary_until:
            continue
        # claimed: of workers sweeping at once, one decides
        claimed = session.execute(update(Rollout).where(
            Rollout.rollout_id == rollout.rollout_id, Rollout.state == "canary")
            .values(finished_at=now))
        if claimed.rowcount != 1:
            continue
        if not failure:
            missing = sorted(set(canary_of(rollout)) - set(seen.applied_by))
            if missing:
                failure = f"not in use on {', '.join(missing)} by the end of the health window"
        if failure:
            _roll_back(session, rollout, failure, now=now)
        else:
            subject_of(rollout).publish(session, rollout.version, rollout.cohort, now=now)
            rollout.state, rollout.verdict = "complete", \
                f"the canary stayed healthy for {plan.health_window_s} s: published to all"
        rollout.finished_at = now
        audit.append(session, at=now, actor="district",
                     action=f"{rollout.subject}.rollout_{rollout.state}",
                     detail={"rollout_id": rollout.rollout_id, "verdict": rollout.verdict})
        decided.append(rollout)
    return decided


def _roll_back(session: Session, rollout: Rollout, failure: str, *, now: datetime) -> None:
    """Publish the previous content again under a new version for the whole cohort."""
    rollout.rollback_version = subject_of(rollout).publish_again(session, rollout, now=now)
    rollout.state, rollout.verdict = "rolled_back", f"rolled back: {failure}"


def rollback_version(rollout: Rollout) -> str:
    """The name the previous catalogue is published again under (at most 40 characters)."""
    suffix = f"-r{rollout.rollout_id}"
    return rollout.previous_version[:40 - len(suffix)] + suffix
