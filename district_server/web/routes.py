"""Server-rendered pages: the citizen's 掌上办 follow-up page (from the receipt QR code) and
the hall console for staff (cases, staff calls, queue calling, fleet). The console signs in
with a staff token kept in an HttpOnly, SameSite=Strict cookie."""
from __future__ import annotations

import hmac
import json
import re
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from district_server.cases.models import Case
from district_server.citizens import service as citizens
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError
from district_server.staff import schemas, service as staff
from district_server.web.html import page, post_button, table, text
from wire import v1

router = APIRouter(include_in_schema=False)
COOKIE = "staff_session"
STATE_NAMES = {
    "received": ("已接件", "Received"), "accepted": ("已受理", "Accepted"),
    "awaiting_material": ("待补材料", "Awaiting documents"), "in_review": ("审核中", "In review"),
    "special_procedure": ("特别程序", "Special procedure"), "completed": ("已办结", "Completed"),
    "ready_for_pickup": ("待取件", "Ready for pickup"), "picked_up": ("已取件", "Collected"),
    "rejected": ("不予受理", "Not approved"), "withdrawn": ("已撤回", "Withdrawn"),
}


def _not_found() -> HTMLResponse:
    body = ("<div class='card'>未找到该办件，请核对回执上的二维码。<br>"
            "<span class='muted'>Case not found: scan the QR code on your receipt.</span></div>")
    return HTMLResponse(page("办件查询 Case status", body), status_code=404)


#: The form of a kiosk-issued case number (wire.v1.case_number) or a hall clerk's.
CASE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")


@router.get("/case/{case_number}", response_class=HTMLResponse)
def followup(case_number: str, t: str = "", ctx: ServerContext = Depends(get_context)):
    """The citizen's case page; only with the secret from the receipt's QR code."""
    if not CASE_NUMBER.fullmatch(case_number):  # a mistyped or mangled link, never a lookup
        return _not_found()
    with ctx.db.transaction() as session:
        case = session.get(Case, case_number)
        if case is None or not case.followup_hash or not hmac.compare_digest(
                case.followup_hash, v1.sha256_hex(t.encode("utf-8", "replace"))):
            return _not_found()
        catalogue = ctx.catalogues.get(session, case.catalogue_version)
        item = catalogue.item(case.service_code) if catalogue else None
    zh, en = STATE_NAMES.get(case.state, (case.state, case.state))
    outstanding = json.loads(case.outstanding_json)
    rows = [f"<div class='big'>{text(zh)} <span class='muted'>{text(en)}</span></div>",
            f"<p>{text(item.name.zh if item else case.service_code)}<br>"
            f"<span class='muted'>{text(item.name.en if item else '')}</span></p>",
            f"<p>办件编号 Case number: <b>{text(case.case_number)}</b></p>"]
    if case.promised_date:
        rows.append(f"<p>承诺办结日期 Promised by: <b>{text(case.promised_date)}</b></p>")
    if outstanding:
        names = {m.id: m.name for m in item.materials} if item else {}
        listed = "".join(f"<li>{text(names[c].zh if c in names else c)} "
                         f"<span class='muted'>{text(names[c].en if c in names else '')}</span>"
                         f"</li>" for c in outstanding)
        rows.append(f"<p>待补交材料 Documents to supply by "
                    f"<b>{text(case.material_due_date)}</b>:</p><ul>{listed}</ul>")
    return HTMLResponse(page("办件查询 Case status", f"<div class='card'>{''.join(rows)}</div>"),
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


# --- hall console -------------------------------------------------------------------

def _member(request: Request, ctx: ServerContext) -> staff.StaffMember | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        with ctx.db.transaction() as session:
            return staff.authenticate(session, f"Bearer {token}")
    except ProblemError:
        return None


async def _form(request: Request) -> dict[str, str]:
    parsed = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=20)
    return {key: values[0] for key, values in parsed.items()}


LOGIN = ("<div class='card'><form method='post' action='/console/login'>"
         "<label>工作人员令牌 Staff token <input id='token' name='token' type='password' "
         "autocomplete='off' size='40'></label> <button id='login' type='submit'>登录 Sign in"
         "</button></form>{error}</div>")


@router.get("/console/login", response_class=HTMLResponse)
def login_page() -> HTMLResponse:
    return HTMLResponse(page("大厅工作台 Hall console", LOGIN.format(error="")))


@router.post("/console/login")
async def login(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    token = (await _form(request)).get("token", "").strip()
    try:
        with ctx.db.transaction() as session:
            staff.authenticate(session, f"Bearer {token}")
    except ProblemError:
        error = "<p class='overdue'>令牌无效 Unknown token</p>"
        return HTMLResponse(page("大厅工作台 Hall console", LOGIN.format(error=error)),
                            status_code=401)
    response = RedirectResponse("/console", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", max_age=12 * 3600)
    return response


@router.get("/console", response_class=HTMLResponse)
def console(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    member = _member(request, ctx)
    if member is None:
        return RedirectResponse("/console/login", status_code=303)
    called = request.query_params.get("called", "")
    with ctx.db.transaction() as session:
        cases = staff.list_cases(session, ctx, None, 200).cases
        calls = staff.open_calls(session, member).calls
        reviews = staff.open_bad_reviews(session, ctx).reviews
        queues = citizens.queue_categories(session, ctx, hall_code=member.hall_code,
                                           cohort=ctx.settings.default_cohort).categories
    parts = [f"<p>{text(member.name)} · {text(member.hall_code)} · "
             f"<a href='/console/fleet'>设备 Fleet</a></p>"]
    if called:
        parts.append(f"<div class='card big' id='called'>请 {text(called)}</div>")
    parts.append("<h2>叫号 Queue</h2>" + table(
        ["类别 Category", "等候 Waiting", ""],
        [([f"{text(q.name.zh)}<br><span class='muted'>{text(q.name.en)}</span>",
           f"<span id='waiting-{text(q.code)}'>{q.waiting}</span>",
           post_button(f"/console/queue/{q.code}/call-next", "叫下一位 Call next",
                       {"window": "1"}, button_id=f"call-{q.code}")], "")
         for q in queues]))
    parts.append("<h2>求助 Staff calls</h2>" + table(
        ["终端 Kiosk", "原因 Reason", "时间 Time", ""],
        [([text(c.kiosk_id), text(c.reason), text(c.created_at.strftime("%H:%M")),
           post_button(f"/console/calls/{c.call_id}/close", "已处理 Done")], "")
         for c in calls]))
    parts.append("<h2>差评整改 Bad reviews</h2>" + table(
        ["评价 Level", "事项/办件 Case", "内容 Comment", "期限 Deadline"],
        [([text(r.level), text(r.case_number or r.service_code or r.kiosk_id), text(r.comment),
           text(r.deadline)], "overdue" if r.overdue else "") for r in reviews]))
    parts.append("<h2>办件 Cases</h2>" + table(
        ["编号 Number", "事项 Service", "状态 State", "承诺日期 Promised", "待补 Outstanding"],
        [([text(c.case_number), text(c.service_name.zh),
           f"<span class='state'>{text(STATE_NAMES.get(c.state.value, ('',))[0])}</span>",
           text(c.promised_date or "—"),
           text(", ".join(c.outstanding_materials))
           + (f" (≤ {text(c.material_due_date)})" if c.material_due_date else "")],
          "overdue" if c.overdue or c.materials_overdue else "") for c in cases]))
    return HTMLResponse(page("大厅工作台 Hall console", "".join(parts)))


@router.post("/console/queue/{category}/call-next")
async def console_call_next(category: str, request: Request,
                            ctx: ServerContext = Depends(get_context)) -> Response:
    member = _member(request, ctx)
    if member is None:
        return RedirectResponse("/console/login", status_code=303)
    window = (await _form(request)).get("window", "1")[:10] or "1"
    try:
        with ctx.db.transaction() as session:
            called = staff.call_next(session, ctx, member, category, window)
        label = f"{called.ticket_no} 到 {window} 号窗口"
    except ProblemError as error:
        label = f"— ({error.detail})"
    return RedirectResponse(f"/console?called={quote(label)}", status_code=303)


@router.post("/console/calls/{call_id}/close")
def console_close_call(call_id: str, request: Request,
                       ctx: ServerContext = Depends(get_context)) -> Response:
    member = _member(request, ctx)
    if member is None:
        return RedirectResponse("/console/login", status_code=303)
    try:
        with ctx.db.transaction() as session:
            staff.close_call(session, ctx, member, call_id)
    except ProblemError:
        pass            # closed meanwhile by a colleague: the page shows the current list
    return RedirectResponse("/console", status_code=303)


@router.get("/console/fleet", response_class=HTMLResponse)
def console_fleet(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    member = _member(request, ctx)
    if member is None:
        return RedirectResponse("/console/login", status_code=303)
    if member.role != "supervisor":
        return HTMLResponse(page("设备 Fleet", "<p>仅限主管 Supervisors only</p>"),
                            status_code=403)
    with ctx.db.transaction() as session:
        kiosks: list[schemas.KioskView] = staff.fleet(session).kiosks
    rows = []
    for k in kiosks:
        reported = k.reported
        devices = ", ".join(f"{name}: {d.get('availability')}"
                            for name, d in sorted(reported.get("devices", {}).items()))
        rows.append(([f"<span id='kiosk-{text(k.kiosk_id)}'>{text(k.kiosk_id)}</span>",
                      text(k.hall_code), text(reported.get("queue_depth", "—")),
                      text(reported.get("oldest_unsent_age_s", "—")), text(devices or "—"),
                      text(k.reported_at.strftime("%m-%d %H:%M") if k.reported_at else "—"),
                      "<br>".join(text(a) for a in k.alarms) or "—"],
                     "overdue" if k.alarms else ""))
    return HTMLResponse(page("设备 Fleet", table(
        ["终端 Kiosk", "大厅 Hall", "待发 Queue", "最久未发(s) Oldest unsent",
         "设备 Devices", "上报 Reported", "告警 Alarms"], rows)))
