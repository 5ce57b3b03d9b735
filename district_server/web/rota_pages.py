"""The on-call rota on the console: who of each hall is on duty now and the shifts to come;
a hall supervisor adds and removes their hall's shifts, the district every hall's, other
staff read their hall's. Times are entered and shown in Beijing time."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from district_server.cases.service import LOCAL_TZ
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError
from district_server.notices import rota
from district_server.notices.models import OnCall
from district_server.roles import Permission
from district_server.staff.accounts import StaffMember
from district_server.staff.models import StaffAccount
from district_server.web.html import page, post_button, table, text
from district_server.web.routes import COOKIE, _csrf_of, _nav, _viewer, form_needing

router = APIRouter(include_in_schema=False)
RotaForm = form_needing(Permission.rota)
TITLE = "值班表 On-call rota"
CHANNEL_NAMES = {"sms": "短信 SMS", "webhook": "Webhook", "log": "日志 Log"}
FIELDS = ("hall", "staff_id", "channel", "recipient", "starts", "ends")


def _entered(value: str, label: str) -> datetime:
    """A datetime-local field's value as Beijing time."""
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise rota.ShiftRefused(f"{label}格式不对 The {label.split()[-1]} time is not a date and "
                                f"time (YYYY-MM-DDTHH:MM)") from None
    return when if when.tzinfo else when.replace(tzinfo=LOCAL_TZ)


def _person(names: dict[str, str], staff_id: str) -> str:
    return f"{text(names.get(staff_id, staff_id))} <span class='muted'>{text(staff_id)}</span>"


def _on_duty(halls: list[str], shifts_to_come: list[OnCall], names: dict[str, str],
             now: datetime) -> str:
    rows = []
    for hall in halls:
        shifts = [s for s in shifts_to_come if s.hall_code == hall and s.starts_at <= now]
        people = "<br>".join(f"{_person(names, s.name)} · {text(CHANNEL_NAMES[s.channel])} "
                             f"{text(s.recipient)} · 至 until {text(rota.local_time(s.ends_at))}"
                             for s in shifts)
        rows.append(([text(hall), f"<span id='on-duty-{text(hall)}'>"
                      f"{people or '无人值班 No one on call'}</span>"],
                     "" if shifts else "overdue"))
    return "<h2>当前值班 On duty now</h2>" + table(["大厅 Hall", "值班 On call"], rows)


def _form(member: StaffMember, halls: list[str], csrf: str, entered: dict[str, str]) -> str:
    def field(name: str, label: str, kind: str = "text") -> str:
        return (f"<label>{text(label)} <input name='{name}' id='rota-{name}' type='{kind}' "
                f"value='{text(entered.get(name, ''))}'></label> ")
    hall = entered.get("hall") or member.hall_code
    if member.all_halls:
        choice = (f"<label>大厅 Hall <input name='hall' id='rota-hall' list='rota-halls' "
                  f"value='{text(hall)}' size='12'></label><datalist id='rota-halls'>"
                  + "".join(f"<option value='{text(h)}'>" for h in halls) + "</datalist> ")
    else:
        choice = f"<input type='hidden' name='hall' value='{text(member.hall_code)}'>"
    channels = "".join(f"<option value='{c}'{' selected' if entered.get('channel') == c else ''}"
                       f">{text(name)}</option>" for c, name in CHANNEL_NAMES.items())
    return (f"<h2>安排值班 Add a shift</h2><form method='post' action='/console/rota' "
            f"class='card'><input type='hidden' name='csrf' value='{text(csrf)}'>{choice}"
            + field("staff_id", "工号 Staff id")
            + f"<label>通知方式 Channel <select name='channel' id='rota-channel'>{channels}"
              f"</select></label> "
            + field("recipient", "手机号或地址 Phone or address")
            + field("starts", "开始 From (北京时间 Beijing time)", "datetime-local")
            + field("ends", "结束 To", "datetime-local")
            + "<button id='rota-add' type='submit'>添加 Add</button></form>")


def _page(session: Session, member: StaffMember, csrf: str, now: datetime, *,
          error: str = "", entered: dict[str, str] | None = None) -> str:
    halls = rota.halls_of(session, member)
    shifts = rota.shifts_visible_to(session, member, now)
    names = dict(session.execute(select(StaffAccount.staff_id, StaffAccount.name)
                                 .where(StaffAccount.staff_id.in_({s.name for s in shifts}))).all())
    editable = member.may(Permission.rota)
    rows = [([text(s.hall_code), _person(names, s.name), text(CHANNEL_NAMES[s.channel]),
              text(s.recipient), text(rota.local_time(s.starts_at)),
              text(rota.local_time(s.ends_at)),
              post_button(f"/console/rota/{s.id}/remove", "删除 Remove", {"csrf": csrf},
                          button_id=f"remove-shift-{s.id}") if editable else ""],
             "") for s in shifts]
    parts = [_nav(member, csrf)]
    if error:
        parts.append(f"<p class='overdue' id='rota-error'>{text(error)}</p>")
    parts.append(_on_duty(halls, shifts, names, now))
    parts.append("<h2>值班安排 Shifts to come</h2>" + table(
        ["大厅 Hall", "人员 Staff", "方式 Channel", "联系 Reach at", "开始 From",
         "结束 To", ""], rows))
    if editable:
        parts.append(_form(member, halls, csrf, entered or {}))
    return "".join(parts)


@router.get("/console/rota", response_class=HTMLResponse)
def console_rota(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    member = _viewer(request, ctx, Permission.alerts, TITLE)
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    with ctx.db.transaction() as session:
        body = _page(session, member, csrf, ctx.now())
    return HTMLResponse(page(TITLE, body), headers={"Cache-Control": "no-store"})


@router.post("/console/rota")
def console_add_shift(form: RotaForm, request: Request,
                      ctx: ServerContext = Depends(get_context)) -> Response:
    member, fields = form.member, form.fields
    try:
        with ctx.db.transaction() as session:
            rota.add_shift(session, member, hall_code=fields.get("hall", "").strip(),
                           staff_id=fields.get("staff_id", "").strip(),
                           channel=fields.get("channel", ""),
                           recipient=fields.get("recipient", "").strip(),
                           starts_at=_entered(fields.get("starts", ""), "开始时间 start"),
                           ends_at=_entered(fields.get("ends", ""), "结束时间 end"),
                           now=ctx.now())
    except rota.ShiftRefused as refused:
        csrf = _csrf_of(request.cookies[COOKIE])
        with ctx.db.transaction() as session:
            body = _page(session, member, csrf, ctx.now(), error=str(refused),
                         entered={name: fields.get(name, "") for name in FIELDS})
        return HTMLResponse(page(TITLE, body), status_code=422)
    return RedirectResponse("/console/rota", status_code=303)


@router.post("/console/rota/{shift_id}/remove")
def console_remove_shift(shift_id: int, form: RotaForm,
                         ctx: ServerContext = Depends(get_context)) -> Response:
    try:
        with ctx.db.transaction() as session:
            rota.remove_shift(session, form.member, shift_id, now=ctx.now())
    except ProblemError as error:
        return HTMLResponse(page(TITLE, f"<p>{text(error.detail)}</p>"),
                            status_code=error.status)
    return RedirectResponse("/console/rota", status_code=303)
