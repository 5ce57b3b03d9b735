"""The district's published figures over a period, per hall, service item and channel:
on-time, early and satisfaction rates, applications by channel, 容缺 commitments, average
elapsed time and kiosk use by hour. Computed from the cases as they are, in the working days
of the one calendar (`wire/calendar.py`, the holidays of the catalogue a case was filed under).

- Elapsed time of a case: days from acceptance (the day it was filed: kiosk cases are accepted
  at capture) to its decision (completed or rejected), minus the days of its 补正 pauses; in
  the unit the compared limit counts (the average is in working days).
- On-time rate: decided cases within the item's legal limit / (decided cases + open cases past
  their legal limit). A decided case counts in the period of its decision date, an open overdue
  one in the period of the first day past its limit.
- Early rate: decided cases strictly under the promised limit (an instant item decided on the
  day it was filed counts as early) / decided cases.
- Applications: every case filed in the period (a withdrawn one too), by channel (a kiosk's,
  or taken by staff at the window or on the phone: cases.service.channel_of); those filed at
  kiosks also by the local hour.
- Satisfaction rate: ratings 3 to 5 (基本满意 and better) / all ratings of the period.
- Commitments (容缺) signed in the period: fulfilled by their due date, overdue (supplied late or
  still owed after it).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from district_server.cases.models import Case, Commitment, Evaluation
from district_server.cases.service import CHANNELS, CLOSED_STATES, LOCAL_TZ, channel_of, \
    local_date
from district_server.context import ServerContext
from district_server.kiosks.models import Kiosk
from wire import v1
from wire.calendar import TimeUnit, WorkingDayCalendar

#: rating levels 1-5 (非常不满意 ... 非常满意); 3 (基本满意) and better are satisfied
LEVELS = (1, 2, 3, 4, 5)
SATISFIED_FROM = 3


@dataclass(frozen=True)
class FigureFilter:
    start: date
    end: date                     # inclusive
    hall: str | None = None
    service: str | None = None
    channel: str | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


class Rate(BaseModel):
    counted: int
    of: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.counted / self.of, 2) if self.of else None


class Figures(BaseModel):
    start: date
    end: date
    as_of: date
    hall: str | None
    service: str | None
    channel: str | None
    on_time: Rate
    early: Rate
    satisfaction: Rate
    ratings_by_level: dict[int, int]
    applications_by_channel: dict[str, int]
    decided: int
    open_overdue: int
    average_elapsed_working_days: float | None
    commitments_made: int
    commitments_fulfilled_on_time: int
    commitments_overdue: int
    #: applications filed at kiosks by the local hour they were made (0-23)
    kiosk_applications_by_hour: list[int]

    def as_json(self) -> dict:
        data = self.model_dump(mode="json")
        for name in ("on_time", "early", "satisfaction"):
            data[name]["percent"] = getattr(self, name).percent
        return data

    def csv(self) -> str:
        """One figure a row: name, value (rates as counted, of and percent)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["figure", "value"])
        for name, value in (("start", self.start), ("end", self.end), ("as_of", self.as_of),
                            ("hall", self.hall or "all"), ("service", self.service or "all"),
                            ("channel", self.channel or "all")):
            writer.writerow([name, value])
        for name in ("on_time", "early", "satisfaction"):
            rate = getattr(self, name)
            writer.writerow([f"{name}_counted", rate.counted])
            writer.writerow([f"{name}_of", rate.of])
            writer.writerow([f"{name}_percent", "" if rate.percent is None else rate.percent])
        for level, count in self.ratings_by_level.items():
            writer.writerow([f"ratings_level_{level}", count])
        for channel, count in self.applications_by_channel.items():
            writer.writerow([f"applications_{channel}", count])
        for name in ("decided", "open_overdue", "average_elapsed_working_days",
                     "commitments_made", "commitments_fulfilled_on_time", "commitments_overdue"):
            value = getattr(self, name)
            writer.writerow([name, "" if value is None else value])
        for hour, count in enumerate(self.kiosk_applications_by_hour):
            writer.writerow([f"kiosk_applications_hour_{hour:02d}", count])
        return out.getvalue()


class _Limits:
    """The service item and calendar of each case's catalogue version, looked up once."""

    def __init__(self, session: Session, ctx: ServerContext) -> None:
        self.session, self.ctx = session, ctx
        self.catalogues: dict[str, tuple[v1.Catalogue | None, WorkingDayCalendar]] = {}

    def of(self, case: Case) -> tuple[v1.ServiceItem | None, WorkingDayCalendar]:
        if case.catalogue_version not in self.catalogues:
            catalogue = self.ctx.catalogues.get(self.session, case.catalogue_version)
            self.catalogues[case.catalogue_version] = (catalogue, self.ctx.calendar(catalogue))
        catalogue, calendar = self.catalogues[case.catalogue_version]
        return (catalogue.item(case.service_code) if catalogue else None), calendar


def elapsed(case: Case, calendar: WorkingDayCalendar, end: date, unit: TimeUnit) -> int:
    """Days of `unit` from the case's acceptance to `end`, less its 补正 pauses (one still
    running counts up to `end`)."""
    days = calendar.days_between(local_date(case.submitted_at), end, unit)
    days -= (case.paused_working_days if unit == "working_days" else case.paused_calendar_days)
    if case.waiting_since is not None:
        days -= calendar.days_between(case.waiting_since, end, unit)
    return max(0, days)


def _limit_passed_on(case: Case, item: v1.ServiceItem, calendar: WorkingDayCalendar) -> date:
    """The first day past an open case's legal limit, its closed pauses added on."""
    limit = item.legal_limit
    paused = (case.paused_working_days if limit.unit == "working_days"
              else case.paused_calendar_days)
    due = calendar.due_date(local_date(case.submitted_at), limit.days + paused, limit.unit)
    return due + timedelta(days=1)


def compute(session: Session, ctx: ServerContext, chosen: FigureFilter, today: date) -> Figures:
    limits = _Limits(session, ctx)
    start, end = _utc_bounds(chosen)
    # only what can count: filed or decided in the period, or still open
    cases = _case_filters(select(Case).where(or_(
        and_(Case.submitted_at >= start, Case.submitted_at < end),
        and_(Case.decided_at >= start, Case.decided_at < end),
        and_(Case.decided_at.is_(None), Case.state.not_in(CLOSED_STATES)))), chosen)
    by_channel = dict.fromkeys(CHANNELS, 0)
    by_hour = [0] * 24
    on_time = early = decided = open_overdue = elapsed_total = 0
    for case in session.scalars(cases):
        filed = local_date(case.submitted_at)
        if chosen.covers(filed):
            by_channel[channel_of(case)] += 1
            if case.kiosk_id:
                by_hour[case.submitted_at.astimezone(LOCAL_TZ).hour] += 1
        item, calendar = limits.of(case)
        if item is None or case.state == v1.CaseState.withdrawn.value:
            continue          # no limits to compare with; withdrawn: never to be decided
        if case.decided_at is not None:
            decided_on = local_date(case.decided_at)
            if not chosen.covers(decided_on):
                continue
            decided += 1
            legal, promised = item.legal_limit, item.promised_limit
            on_time += elapsed(case, calendar, decided_on, legal.unit) <= legal.days
            early += (decided_on == filed if promised.instant
                      else elapsed(case, calendar, decided_on, promised.unit) < promised.days)
            elapsed_total += elapsed(case, calendar, decided_on, "working_days")
        elif case.state not in CLOSED_STATES:
            legal = item.legal_limit
            if (elapsed(case, calendar, today, legal.unit) > legal.days
                    and chosen.covers(_limit_passed_on(case, item, calendar))):
                open_overdue += 1
    made, fulfilled, overdue = _commitments(session, chosen, today)
    rated = _ratings(session, chosen)
    return Figures(
        start=chosen.start, end=chosen.end, as_of=today, hall=chosen.hall,
        service=chosen.service, channel=chosen.channel,
        on_time=Rate(counted=on_time, of=decided + open_overdue),
        early=Rate(counted=early, of=decided),
        satisfaction=Rate(counted=sum(n for level, n in rated.items()
                                      if level >= SATISFIED_FROM), of=sum(rated.values())),
        ratings_by_level=rated, applications_by_channel=by_channel, decided=decided,
        open_overdue=open_overdue,
        average_elapsed_working_days=round(elapsed_total / decided, 2) if decided else None,
        commitments_made=made, commitments_fulfilled_on_time=fulfilled,
        commitments_overdue=overdue, kiosk_applications_by_hour=by_hour)


def _utc_bounds(chosen: FigureFilter) -> tuple[datetime, datetime]:
    """The period's local days as UTC instants [from, to)."""
    return (datetime.combine(chosen.start, time(), LOCAL_TZ),
            datetime.combine(chosen.end + timedelta(days=1), time(), LOCAL_TZ))


def _case_filters(query, chosen: FigureFilter):
    if chosen.hall:
        query = query.where(Case.hall_code == chosen.hall)
    if chosen.service:
        query = query.where(Case.service_code == chosen.service)
    if chosen.channel == "kiosk":
        query = query.where(Case.kiosk_id.is_not(None))
    elif chosen.channel == "window":
        query = query.where(Case.kiosk_id.is_(None),
                            or_(Case.channel.is_(None), Case.channel == "window"))
    elif chosen.channel == "phone":
        query = query.where(Case.channel == "phone")
    return query


def _commitments(session: Session, chosen: FigureFilter, today: date) -> tuple[int, int, int]:
    start, end = _utc_bounds(chosen)
    query = _case_filters(
        select(Commitment).join(Case, Case.case_number == Commitment.case_number)
        .where(Commitment.signed_at >= start, Commitment.signed_at < end), chosen)
    made = fulfilled = overdue = 0
    for commitment in session.scalars(query):
        made += 1
        supplied_on = (local_date(commitment.supplied_at) if commitment.supplied_at
                       else None)
        if supplied_on is not None and supplied_on <= commitment.due_date:
            fulfilled += 1
        elif supplied_on is not None or commitment.due_date < today:
            overdue += 1
    return made, fulfilled, overdue


def _ratings(session: Session, chosen: FigureFilter) -> dict[int, int]:
    """Ratings of the period by level; a rating belongs to its kiosk's hall and to the
    channel of the case it rates (kiosk when it rates no case)."""
    start, end = _utc_bounds(chosen)
    query = (select(Evaluation.level, Case)
             .join(Kiosk, Kiosk.kiosk_id == Evaluation.kiosk_id, isouter=True)
             .join(Case, Case.case_number == Evaluation.case_number, isouter=True)
             .where(Evaluation.rated_at >= start, Evaluation.rated_at < end))
    if chosen.hall:
        query = query.where(Kiosk.hall_code == chosen.hall)
    if chosen.service:
        query = query.where(Evaluation.service_code == chosen.service)
    counts = dict.fromkeys(LEVELS, 0)
    for level, case in session.execute(query):
        channel = channel_of(case) if case is not None else "kiosk"
        if chosen.channel in (None, channel):
            counts[level] += 1
    return counts
