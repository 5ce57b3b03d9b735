"""`district-server seed-demo`: a realistic month of cases for a new install, so the figures
page and the console have something to show. Every case is in a state the services could
have brought it to: kiosk, window and phone applications over the day (the kiosks into the evening),
instant items decided at capture, others decided mostly well within the promised limit, a
few late, some rejected or withdrawn, 补正 pauses, 容缺 commitments (mostly kept), ratings
(bad ones opened for follow-up), and the latest cases still open.

Everything it makes is marked: case numbers and kiosk ids begin with `DEMO-`, and the demo
kiosks are revoked (no one can enrol or sign as them, and their silence raises no alert).
It refuses to run twice."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from district_server.cases.models import BadReview, Case, Commitment, Evaluation
from district_server.cases.service import BAD_REVIEW_DAYS, LOCAL_TZ
from district_server.catalogue import service as catalogue_service
from district_server.context import ServerContext
from district_server.kiosks.models import Kiosk
from wire import v1
from wire.calendar import WorkingDayCalendar

PREFIX = "DEMO-"
#: the local hours applications are made at, by weight: the halls' opening hours, the kiosks
#: also in the evening and a few at night (they stay open around the clock)
WINDOW_HOURS = {9: 8, 10: 12, 11: 10, 12: 4, 13: 5, 14: 9, 15: 11, 16: 8, 17: 3}
KIOSK_HOURS = {**WINDOW_HOURS, 7: 1, 8: 3, 18: 5, 19: 6, 20: 5, 21: 3, 22: 1, 23: 1, 2: 1}
#: rating levels by weight (most citizens are satisfied; a few are not)
LEVEL_WEIGHTS = {1: 1, 2: 2, 3: 6, 4: 21, 5: 70}


class AlreadySeeded(RuntimeError):
    pass


@dataclass(frozen=True)
class Seeded:
    cases: int
    commitments: int
    ratings: int


def seed_month(session: Session, ctx: ServerContext, *, last_day: date, days: int = 30,
               per_day: int = 40, seed: int = 2026) -> Seeded:
    """Cases filed over the `days` days up to `last_day` (fewer at weekends), at each hall
    of the district's settings (else the default hall)."""
    if session.scalar(select(Case.case_number).where(Case.case_number.like(f"{PREFIX}%"))
                      .limit(1)):
        raise AlreadySeeded("demo cases are already there (case numbers DEMO-…)")
    published = catalogue_service.published_version(session, ctx.settings.default_cohort,
                                                    ctx.settings.default_cohort)
    catalogue = ctx.catalogues.get(session, published.version)
    month = _Month(session, ctx, catalogue, ctx.calendar(catalogue), random.Random(seed),
                   last_day)
    halls = [h.code for h in ctx.settings.halls] or [ctx.settings.default_hall_code]
    for hall in halls:
        month.add_kiosk(hall)
    for offset in range(days - 1, -1, -1):
        day = last_day - timedelta(days=offset)
        working = month.calendar.is_working_day(day)
        for hall in halls:
            for _ in range(month.rng.randint(per_day // 2, per_day) if working
                           else month.rng.randint(0, per_day // 8)):
                month.add_case(hall, day, kiosk_only=not working)
    return Seeded(month.cases, month.commitments, month.ratings)


def _owed(item: v1.ServiceItem) -> str:
    """The material a demo case owes: one the item lets be supplied later, if it has one."""
    return next((m.id for m in item.materials if m.tolerance_allowed),
                item.materials[0].id if item.materials else "supplement")


class _Month:
    def __init__(self, session: Session, ctx: ServerContext, catalogue: v1.Catalogue,
                 calendar: WorkingDayCalendar, rng: random.Random, last_day: date) -> None:
        self.session, self.ctx, self.catalogue = session, ctx, catalogue
        self.calendar, self.rng, self.last_day = calendar, rng, last_day
        self.items = [i for i in catalogue.items if i.kiosk_enabled]
        self.kiosks: dict[str, str] = {}
        self.cases = self.commitments = self.ratings = 0

    def add_kiosk(self, hall: str) -> None:
        kiosk_id = f"{PREFIX}{hall}-K1"[:40]
        now = self.ctx.now()
        self.session.add(Kiosk(kiosk_id=kiosk_id, signing_public_key=self.rng.randbytes(32),
                               hall_code=hall, cohort=self.ctx.settings.default_cohort,
                               enrolled_at=now, revoked_at=now))
        self.session.flush()
        self.kiosks[hall] = kiosk_id

    def _at(self, day: date, hours: dict[int, int]) -> datetime:
        hour = self.rng.choices(list(hours), weights=list(hours.values()))[0]
        return datetime.combine(day, time(hour, self.rng.randrange(60), self.rng.randrange(60)),
                                LOCAL_TZ)

    def _later(self, day: date, working_days: int) -> datetime:
        decided = self.calendar.add_working_days(day, working_days)
        return self._at(decided, WINDOW_HOURS)

    def add_case(self, hall: str, day: date, *, kiosk_only: bool) -> None:
        rng = self.rng
        item = rng.choice(self.items)
        at_kiosk = kiosk_only or rng.random() < 0.6
        filed = self._at(day, KIOSK_HOURS if at_kiosk else WINDOW_HOURS)
        self.cases += 1
        # about one in ten of the hall's own is taken on the phone (no draw: the month's
        # random sequence stays as it was)
        channel = None if at_kiosk else "phone" if self.cases % 10 == 0 else "window"
        number = f"{PREFIX}{hall}-{'K' if at_kiosk else channel[0].upper()}{self.cases:05d}"
        promised = self.calendar.due_date(day, item.promised_limit.days,
                                          item.promised_limit.unit)
        case = Case(case_number=number, holder_hmac=self.ctx.keys.holder(f"demo-{number}"),
                    service_code=item.task_code, catalogue_version=self.catalogue.version,
                    state=v1.CaseState.accepted.value, submitted_at=filed,
                    promised_date=promised, kiosk_id=self.kiosks[hall] if at_kiosk else None,
                    channel=channel, hall_code=hall, pickup_method=item.pickup_methods[0],
                    paused_working_days=0, paused_calendar_days=0, updated_at=filed)
        self.session.add(case)
        if item.promised_limit.instant:
            case.state, case.decided_at = v1.CaseState.completed.value, filed
        else:
            self._decide(case, item, day)
        self.session.flush()
        if at_kiosk and not item.promised_limit.instant and rng.random() < 0.12:
            self._commitment(case, item, filed, day)
        if case.decided_at is not None and rng.random() < 0.7:
            self._rating(case, hall)

    def _decide(self, case: Case, item: v1.ServiceItem, day: date) -> None:
        rng = self.rng
        promised = max(1, item.promised_limit.days)
        roll = rng.random()
        if roll < 0.02:
            case.state = v1.CaseState.withdrawn.value
            return
        paused = rng.randint(2, 5) if rng.random() < 0.1 else 0
        if roll < 0.90:                       # early
            took = rng.randint(1, max(1, promised - 1))
        elif roll < 0.99:                     # by the promise, or within the law
            took = rng.randint(promised, max(promised, item.legal_limit.days))
        else:                                 # late
            took = item.legal_limit.days + rng.randint(1, 3)
        if self.calendar.add_working_days(day, took + paused) > self.last_day:
            # not decided yet: in review, or waiting for a 补正 asked a little while ago
            case.state = (v1.CaseState.awaiting_material.value if paused
                          else v1.CaseState.in_review.value)
            if paused:
                case.waiting_since = max(day, self.last_day - timedelta(days=paused))
                case.outstanding_json = json.dumps([_owed(item)])
                case.material_due_date = self.calendar.add_working_days(self.last_day, 5)
            return
        if paused:
            start = self.calendar.add_working_days(day, 1)
            end = self.calendar.add_working_days(start, paused)
            case.paused_working_days = self.calendar.days_between(start, end, "working_days")
            case.paused_calendar_days = self.calendar.days_between(start, end, "calendar_days")
            case.promised_date = self.calendar.add_working_days(case.promised_date, paused) \
                if item.promised_limit.unit == "working_days" \
                else case.promised_date + timedelta(days=case.paused_calendar_days)
        case.decided_at = self._later(day, took + paused)
        case.updated_at = case.decided_at
        case.state = rng.choices([v1.CaseState.completed.value,
                                  v1.CaseState.ready_for_pickup.value,
                                  v1.CaseState.picked_up.value,
                                  v1.CaseState.rejected.value], weights=[3, 2, 8, 1])[0]

    def _commitment(self, case: Case, item: v1.ServiceItem, filed: datetime,
                    day: date) -> None:
        due = self.calendar.add_working_days(day, 5)
        roll = self.rng.random()
        supplied = (None if roll >= 0.95 else
                    self._later(day, self.rng.randint(1, 5)) if roll < 0.85 else
                    self._later(day, self.rng.randint(6, 8)))
        if supplied is not None and supplied.date() > self.last_day:
            supplied = None
        self.session.add(Commitment(
            case_number=case.case_number, materials_json=json.dumps([_owed(item)]),
            text_version="demo", signature_blob="0" * 64, signed_at=filed, due_date=due,
            supply_channel=self.rng.choice(["upload", "window", "locker"]),
            fill_state="supplied" if supplied else "pending", supplied_at=supplied))
        if supplied is None:
            case.outstanding_json = json.dumps([_owed(item)])
            case.material_due_date = due
        self.commitments += 1

    def _rating(self, case: Case, hall: str) -> None:
        level = self.rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
        rated = case.decided_at + timedelta(minutes=self.rng.randint(1, 120))
        self.ratings += 1
        evaluation = Evaluation(
            submission_id=f"00000000-0000-4000-8000-{self.ratings:012d}",
            kiosk_id=self.kiosks[hall], case_number=case.case_number,
            service_code=case.service_code, target="service", level=level,
            indicator_set_version="demo", indicators_json="[]", comment="", rated_at=rated)
        self.session.add(evaluation)
        if level <= 2:
            self.session.flush()
            deadline = self.calendar.add_working_days(rated.astimezone(LOCAL_TZ).date(),
                                                      BAD_REVIEW_DAYS)
            closed = deadline < self.last_day
            self.session.add(BadReview(
                evaluation_id=evaluation.id, kiosk_id=self.kiosks[hall],
                case_number=case.case_number, service_code=case.service_code, level=level,
                comment="", opened_at=rated, deadline=deadline,
                state="closed" if closed else "open", outcome="explained" if closed else None,
                closed_at=rated + timedelta(days=2) if closed else None))
