"""The console's figures page: the district's figures of a period (district_server/figures.py)
per hall, service item and channel, the numbers beside bar charts drawn here as inline SVG
(no script, no external request), and the same figures as CSV. A supervisor sees their
hall's, the administrator any hall's or the whole district's."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from district_server.cases.models import Case
from district_server.cases.service import local_date
from district_server.context import ServerContext, get_context
from district_server.figures import CHANNELS, FigureFilter, Figures, Rate, compute
from district_server.roles import Permission
from district_server.staff.accounts import StaffMember
from district_server.web.case_pages import CHANNEL_NAMES
from district_server.web.html import page, table, text
from district_server.web.routes import COOKIE, _csrf_of, _nav, _viewer

router = APIRouter(include_in_schema=False)

TITLE = "数据统计 Figures"
LEVEL_NAMES = {1: "非常不满意", 2: "不满意", 3: "基本满意", 4: "满意", 5: "非常满意"}
#: the longest period a page or export covers (a year and a leap day)
MAX_DAYS = 366


class BadPeriod(ValueError):
    pass


def _chosen(member: StaffMember, today: date, asked: "Asked") -> FigureFilter:
    """The filter asked for, within the member's scope: a hall role's own hall always.
    Without dates: this month up to today."""
    try:
        first = date.fromisoformat(asked.start) if asked.start else today.replace(day=1)
        last = date.fromisoformat(asked.end) if asked.end else today
    except ValueError:
        raise BadPeriod("日期无效 Invalid date (YYYY-MM-DD)") from None
    if last < first or (last - first).days > MAX_DAYS:
        raise BadPeriod(f"时段无效 The period must run forwards, at most {MAX_DAYS} days")
    return FigureFilter(first, last,
                        hall=(asked.hall[:64] or None) if member.all_halls
                        else member.hall_code,
                        service=asked.service[:64] or None,
                        channel=asked.channel if asked.channel in CHANNELS else None)


@dataclass(frozen=True)
class Asked:
    """The period and filters of the address (the page's form, the CSV link)."""
    start: str = Query("", alias="from", max_length=10)
    end: str = Query("", alias="to", max_length=10)
    hall: str = ""
    service: str = ""
    channel: str = ""


def _figures(request: Request, ctx: ServerContext, asked: Asked
             ) -> Response | tuple[StaffMember, FigureFilter, Figures, list[str], list[str]]:
    member = _viewer(request, ctx, Permission.reviews, TITLE)
    if isinstance(member, Response):
        return member
    today = local_date(ctx.now())
    try:
        chosen = _chosen(member, today, asked)
    except BadPeriod as error:
        return HTMLResponse(page(TITLE, f"<p id='problem'>{text(error)}</p>"), status_code=400)
    with ctx.db.transaction() as session:
        figures = compute(session, ctx, chosen, today)
        in_scope = select(Case.service_code).distinct()
        if chosen.hall:
            in_scope = in_scope.where(Case.hall_code == chosen.hall)
        services = sorted(session.scalars(in_scope))
        halls = sorted(filter(None, session.scalars(select(Case.hall_code).distinct())))
    return member, chosen, figures, services, halls


@router.get("/console/figures", response_class=HTMLResponse)
def console_figures(request: Request, asked: Asked = Depends(),
                    ctx: ServerContext = Depends(get_context)) -> Response:
    found = _figures(request, ctx, asked)
    if isinstance(found, Response):
        return found
    member, chosen, figures, services, halls = found
    query = urlencode({"from": chosen.start, "to": chosen.end, "hall": chosen.hall or "",
                       "service": chosen.service or "", "channel": chosen.channel or ""})
    body = (_nav(member, _csrf_of(request.cookies[COOKIE]))
            + _filter_form(member, chosen, services, halls)
            + f"<p>截至 As of {text(figures.as_of)} · "
              f"<a id='csv' href='/console/figures.csv?{text(query)}'>导出 CSV Export</a></p>"
            + _rates(figures) + _ratings(figures) + _applications(figures)
            + _commitments(figures) + _hours(figures))
    return HTMLResponse(page(TITLE, body))


@router.get("/console/figures.csv")
def console_figures_csv(request: Request, asked: Asked = Depends(),
                        ctx: ServerContext = Depends(get_context)) -> Response:
    found = _figures(request, ctx, asked)
    if isinstance(found, Response):
        return found
    _member, chosen, figures, _services, _halls = found
    name = f"figures-{chosen.hall or 'district'}-{chosen.start}-{chosen.end}.csv"
    return Response(figures.csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _options(name: str, options: dict[str, str], chosen: str | None) -> str:
    choices = "".join(f"<option value='{text(value)}'"
                      + (" selected" if value == (chosen or "") else "")
                      + f">{text(label)}</option>"
                      for value, label in {"": "全部 All", **options}.items())
    return f"<select name='{name}' id='{name}'>{choices}</select>"


def _filter_form(member: StaffMember, chosen: FigureFilter, services: list[str],
                 halls: list[str]) -> str:
    hall = (" 大厅 Hall " + _options("hall", {h: h for h in halls}, chosen.hall)
            if member.all_halls else f" 大厅 Hall <b id='hall'>{text(chosen.hall)}</b>")
    return ("<form method='get' action='/console/figures' class='card'>"
            f"从 From <input type='date' name='from' id='from' value='{chosen.start}'> "
            f"至 To <input type='date' name='to' id='to' value='{chosen.end}'>" + hall
            + " 事项 Service " + _options("service", {s: s for s in services}, chosen.service)
            + " 渠道 Channel " + _options("channel", CHANNEL_NAMES, chosen.channel)
            + " <button type='submit' id='show'>统计 Show</button></form>")


def bar_chart(chart_id: str, label: str, bars: list[tuple[str, float]], *, top: float,
              unit: str = "") -> str:
    """Vertical bars scaled to `top`, their values written above them, as inline SVG."""
    plot, step = 150, 56 if len(bars) <= 6 else 30
    width = 20 + step * len(bars)
    parts = [f"<svg id='{text(chart_id)}' role='img' aria-label='{text(label)}' "
             f"xmlns='http://www.w3.org/2000/svg' width='{width}' height='{plot + 50}' "
             f"viewBox='0 0 {width} {plot + 50}' font-size='12'><title>{text(label)}</title>",
             f"<line x1='10' y1='{plot + 20}' x2='{width - 10}' y2='{plot + 20}' "
             "stroke='#5b6673'/>"]
    for n, (name, value) in enumerate(bars):
        height = round(plot * value / top) if top else 0
        x = 16 + step * n
        shown = f"{value:g}{unit}"
        parts.append(f"<rect class='bar' data-label='{text(name)}' data-value='{value:g}' "
                     f"x='{x}' y='{plot + 20 - height}' width='{step - 12}' "
                     f"height='{height}' fill='#0b5cab'/>"
                     f"<text x='{x + (step - 12) / 2}' y='{plot + 14 - height}' "
                     f"text-anchor='middle'>{text(shown)}</text>"
                     f"<text x='{x + (step - 12) / 2}' y='{plot + 38}' "
                     f"text-anchor='middle'>{text(name)}</text>")
    return "".join(parts) + "</svg>"


def _or_dash(value: float | None) -> str:
    return "—" if value is None else text(value)


def _percent(rate: Rate) -> str:
    return "—" if rate.percent is None else f"{rate.percent:g}%"


def _section(title: str, numbers: str, chart: str) -> str:
    return (f"<div class='card'><h2>{text(title)}</h2><div style='display:flex;gap:32px;"
            f"flex-wrap:wrap;align-items:flex-end'><div>{numbers}</div>{chart}</div></div>")


def _rates(figures: Figures) -> str:
    rows = [([text(name), f"<span class='big' id='{key}'>{_percent(rate)}</span>",
              f"<span id='{key}-count'>{rate.counted} / {rate.of}</span>"], "")
            for key, name, rate in (
                ("on-time", "按时办结率 On time", figures.on_time),
                ("early", "提前办结率 Early", figures.early),
                ("satisfaction", "满意率 Satisfied", figures.satisfaction))]
    numbers = (table(["", "比率 Rate", "件数 Cases"], rows)
               + f"<p>办结 Decided <b id='decided'>{figures.decided}</b> · 超期未办结 Open "
                 f"overdue <b id='open-overdue'>{figures.open_overdue}</b> · 平均用时 Average "
                 f"<b id='average-elapsed'>{_or_dash(figures.average_elapsed_working_days)}"
                 f"</b> 个工作日 working days</p>")
    chart = bar_chart("rates-chart", "比率 Rates (%)", [
        (name, rate.percent or 0) for name, rate in (("按时", figures.on_time),
                                                     ("提前", figures.early),
                                                     ("满意", figures.satisfaction))],
        top=100, unit="%")
    return _section("办结与满意 Completion and satisfaction", numbers, chart)


def _ratings(figures: Figures) -> str:
    rows = [([f"{level} {text(LEVEL_NAMES[level])}",
              f"<span id='level-{level}'>{count}</span>"], "")
            for level, count in figures.ratings_by_level.items()]
    chart = bar_chart("ratings-chart", "评价分布 Ratings by level",
                      [(str(level), count) for level, count in figures.ratings_by_level.items()],
                      top=max(figures.ratings_by_level.values(), default=0))
    return _section("评价 Ratings", table(["等级 Level", "件数 Ratings"], rows), chart)


def _applications(figures: Figures) -> str:
    counts = figures.applications_by_channel
    rows = [([text(CHANNEL_NAMES[channel]), f"<span id='channel-{channel}'>{count}</span>"], "")
            for channel, count in counts.items()]
    chart = bar_chart("channels-chart", "申请渠道 Applications by channel",
                      [(CHANNEL_NAMES[c].split()[0], n) for c, n in counts.items()],
                      top=max(counts.values(), default=0))
    return _section("申请 Applications", table(["渠道 Channel", "件数 Applications"], rows),
                    chart)


def _commitments(figures: Figures) -> str:
    rows = [([text(name), f"<span id='{key}'>{value}</span>"], "")
            for key, name, value in (
                ("commitments-made", "承诺 Made", figures.commitments_made),
                ("commitments-fulfilled", "按期补齐 Fulfilled on time",
                 figures.commitments_fulfilled_on_time),
                ("commitments-overdue", "逾期 Overdue", figures.commitments_overdue))]
    chart = bar_chart("commitments-chart", "容缺承诺 Commitments",
                      [("承诺", figures.commitments_made),
                       ("按期", figures.commitments_fulfilled_on_time),
                       ("逾期", figures.commitments_overdue)],
                      top=figures.commitments_made)
    return _section("容缺受理 Tolerance commitments", table(["", "件数 Count"], rows), chart)


def _hours(figures: Figures) -> str:
    by_hour = figures.kiosk_applications_by_hour
    busiest = max(range(24), key=by_hour.__getitem__) if any(by_hour) else None
    numbers = ("<p>自助终端申请 Kiosk applications: <b id='kiosk-total'>"
               f"{sum(by_hour)}</b><br>最忙时段 Busiest hour: <b id='busiest-hour'>"
               + (f"{busiest:02d}:00" if busiest is not None else "—") + "</b></p>")
    chart = bar_chart("hours-chart", "按小时 Kiosk applications by hour",
                      [(f"{hour:02d}", n) for hour, n in enumerate(by_hour)],
                      top=max(by_hour))
    return _section("自助终端使用 Kiosk use by hour", numbers, chart)
