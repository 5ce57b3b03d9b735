"""Server-rendered pages: the citizen's 掌上办 follow-up page (from the receipt QR code) and
the hall console for staff (cases, staff calls, queue calling, fleet, staff). Staff sign in
with staff id and password; the session token lives in an HttpOnly, SameSite=Strict cookie,
and every form that changes something (the sign-in too) carries a CSRF token and must come
from this server's own origin."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from district_server import ratelimit
from district_server.cases import followup
from district_server.cases.models import Case
from district_server.citizens import service as citizens
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError
from district_server.kiosks import alerts, device_history, service as kiosks
from district_server.roles import Permission
from district_server.staff import accounts, schemas, service as staff
from district_server.staff.routes import client_address, sign_in
from district_server.web.html import page, post_button, problem_page, table, text

router = APIRouter(include_in_schema=False)
COOKIE = "staff_session"
LOGIN_CSRF_COOKIE = "login_csrf"
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


def _count_followup_request(request: Request, ctx: ServerContext) -> None:
    """Every follow-up request counts against the client's limit (wrong secrets too)."""
    attempts, window = ctx.settings.followup_requests_per_client
    ratelimit.hit(ctx.db, f"followup:{client_address(request)}", limit=attempts,
                  window_s=window, now=ctx.now())


def _followup_case(session, case_number: str, secret: str) -> Case | None:
    if not CASE_NUMBER.fullmatch(case_number):  # a mistyped or mangled link, never a lookup
        return None
    return followup.case_by_secret(session, case_number, secret)


#: a phone's width: the file chooser wraps instead of widening the page; dates stay whole
FOLLOWUP_STYLE = ("<style>form.supply input[type=file]{display:block;max-width:100%}"
                  "b{white-space:nowrap}main{padding:12px}</style>")

#: The upload sends the file's bytes as the body (no multipart form to parse) and shows the
#: server's refusal in both languages.
SUPPLY_SCRIPT = """
const refusals = {
  413: '\u6587\u4ef6\u592a\u5927 The file is too large',
  415: '\u53ea\u63a5\u53d7\u7167\u7247\u6216PDF Only a photo (JPEG, PNG) or a PDF',
  422: '\u9875\u6570\u592a\u591a Too many pages',
  429: '\u64cd\u4f5c\u592a\u9891\u7e41 Too many tries: wait a few minutes'};
for (const form of document.querySelectorAll('form.supply')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = form.querySelector('input[type=file]').files[0];
    const status = document.getElementById('supply-status');
    if (!file) { status.textContent = '\u8bf7\u9009\u62e9\u6587\u4ef6 Choose a file'; return; }
    status.textContent = '\u4e0a\u4f20\u4e2d Uploading\u2026';
    const answer = await fetch(location.pathname + '/materials/' +
        encodeURIComponent(form.dataset.code) + location.search,
        {method: 'POST', body: file,
         headers: {'Content-Type': file.type || 'application/octet-stream'}});
    if (answer.ok) { location.reload(); return; }
    status.textContent = refusals[answer.status] || ('\u672a\u80fd\u4e0a\u4f20 Not uploaded (' +
                                                     answer.status + ')');
  });
}
"""


@router.get("/case/{case_number}", response_class=HTMLResponse)
def followup_page(case_number: str, request: Request, t: str = "",
                  ctx: ServerContext = Depends(get_context)):
    """The citizen's case page; only with the secret from the receipt's QR code."""
    try:
        _count_followup_request(request, ctx)
    except ProblemError:
        return HTMLResponse(page("办件查询 Case status", "<div class='card'>操作太频繁，请稍后再试"
                                 "<br><span class='muted'>Too many requests: try again in a "
                                 "few minutes.</span></div>"), status_code=429)
    with ctx.db.transaction() as session:
        case = _followup_case(session, case_number, t)
        if case is None:
            return _not_found()
        catalogue = ctx.catalogues.get(session, case.catalogue_version)
        item = catalogue.item(case.service_code) if catalogue else None
        supplied = [e for e in followup.history(session, case)
                    if e["action"] == followup.SUPPLIED]
    names = {m.id: m.name for m in item.materials} if item else {}

    def material(code: str) -> str:
        name = names.get(code)
        return (f"{text(name.zh)} <span class='muted'>{text(name.en)}</span>" if name
                else text(code))
    zh, en = STATE_NAMES.get(case.state, (case.state, case.state))
    outstanding = json.loads(case.outstanding_json)
    rows = [f"<div class='big' id='state'>{text(zh)} <span class='muted'>{text(en)}</span></div>",
            f"<p>{text(item.name.zh if item else case.service_code)}<br>"
            f"<span class='muted'>{text(item.name.en if item else '')}</span></p>",
            f"<p>办件编号 Case number: <b>{text(case.case_number)}</b></p>"]
    if case.promised_date:
        rows.append(f"<p>承诺办结日期 Promised by: <b id='promised'>{text(case.promised_date)}"
                    f"</b></p>")
    if outstanding:
        forms = "".join(
            f"<li>{material(code)}<form class='supply' data-code='{text(code)}'>"
            f"<input type='file' id='file-{text(code)}' "
            f"accept='image/jpeg,image/png,application/pdf'> "
            f"<button type='submit' id='upload-{text(code)}'>补交 Send</button></form></li>"
            for code in outstanding)
        rows.append(f"<p>待补交材料 Documents to supply by <b id='due'>"
                    f"{text(case.material_due_date)}</b>:</p><ul id='owed'>{forms}</ul>"
                    f"<p id='supply-status' class='muted'>照片或PDF Photo or PDF, "
                    f"≤ {ctx.settings.followup_upload_max_bytes // (1024 * 1024)} MB</p>")
    if supplied:
        listed = "".join(f"<li>{material(e['material'])} · {text(e['at'][:10])}</li>"
                         for e in supplied)
        rows.append(f"<p>已补交 Supplied:</p><ul id='supplied'>{listed}</ul>")
        if not outstanding:
            rows.append("<p id='fulfilled'><b>材料已补齐 All owed documents supplied</b></p>")
    script = f"<script>{SUPPLY_SCRIPT}</script>" if outstanding else ""
    return HTMLResponse(page("办件查询 Case status", FOLLOWUP_STYLE
                             + f"<div class='card'>{''.join(rows)}</div>" + script),
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


async def _body_up_to(request: Request, limit: int) -> bytes:
    """The body, refused (413) as soon as it grows past `limit` (a chunked upload declares
    no length): never more than that held in memory."""
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise ProblemError(413, "upload_too_large", f"at most {limit} bytes")
    return bytes(received)


@router.post("/case/{case_number}/materials/{code}")
async def followup_supply(case_number: str, code: str, request: Request, t: str = "",
                          ctx: ServerContext = Depends(get_context)) -> Response:
    """Supply an owed material from the follow-up page: the file's bytes are the body."""
    limit = ctx.settings.followup_upload_max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ProblemError(413, "upload_too_large", f"at most {limit} bytes")
    await run_in_threadpool(_count_followup_request, request, ctx)
    content = await _body_up_to(request, limit)

    def record() -> None:
        checked = followup.check_upload(content, max_bytes=limit,
                                        max_pages=ctx.settings.followup_upload_max_pages)
        with ctx.db.transaction() as session:
            case = _followup_case(session, case_number, t)
            if case is None:
                raise ProblemError(404, "no_such_case", "check the QR code on your receipt")
            followup.supply(session, ctx, case, code, checked, now=ctx.now())
    await run_in_threadpool(record)
    return Response(status_code=204)


# --- hall console -------------------------------------------------------------------

def _member(request: Request, ctx: ServerContext) -> staff.StaffMember | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        with ctx.db.transaction() as session:
            return accounts.authenticate(session, f"Bearer {token}", now=ctx.now())
    except ProblemError:
        return None


def _csrf_of(session_token: str) -> str:
    """The CSRF token of a console session: derived from the HttpOnly session cookie, which
    a page of another origin can neither read nor send along (SameSite=Strict)."""
    return hashlib.sha256(b"console-csrf:" + session_token.encode()).hexdigest()


def _same_origin(request: Request) -> bool:
    """The form was posted from a page of this server (Origin, else Referer, must match)."""
    own = f"{request.url.scheme}://{request.url.netloc}"
    origin = request.headers.get("origin")
    if origin is not None:
        return origin == own
    referer = request.headers.get("referer", "")
    return referer == own or referer.startswith(own + "/")


async def _form(request: Request) -> dict[str, str]:
    parsed = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=20)
    return {key: values[0] for key, values in parsed.items()}


def console_problem_page(request: Request, error: ProblemError) -> HTMLResponse | None:
    """A console refusal or failure as a page the member reads and goes back from (it was
    the Problem's JSON); the console's polled JSON and the kiosks' API keep their Problem."""
    if (request.url.path.startswith("/console")
            and "text/html" in request.headers.get("accept", "")):
        return problem_page("大厅工作台 Hall console", error)
    return None


def _refused(detail: str) -> ProblemError:
    return ProblemError(403, "console_form_refused", f"{detail}: reload the console page")


@dataclass(frozen=True)
class ConsoleForm:
    member: staff.StaffMember
    fields: dict[str, str]


async def checked_form(request: Request,
                       ctx: ServerContext = Depends(get_context)) -> ConsoleForm:
    """A state-changing console form: from this server's origin, by a signed-in member,
    carrying the CSRF token of the member's session (403 otherwise)."""
    if not _same_origin(request):
        raise _refused("cross-origin form")
    fields = await _form(request)
    member, token = _member(request, ctx), request.cookies.get(COOKIE, "")
    if member is None or not hmac.compare_digest(fields.get("csrf", ""), _csrf_of(token)):
        raise _refused("no session or no valid CSRF token")
    return ConsoleForm(member, fields)


Checked = Annotated[ConsoleForm, Depends(checked_form)]


def form_needing(permission: Permission) -> Any:
    """The type of a console form only a role with `permission` may post: refused (403)
    before its fields are read or anything it names is looked up."""
    async def permitted(form: Checked) -> ConsoleForm:
        form.member.require(permission)
        return form
    return Annotated[ConsoleForm, Depends(permitted)]


QueueForm = form_needing(Permission.queue)
AlertsForm = form_needing(Permission.alerts)
StaffForm = form_needing(Permission.staff)
FleetForm = form_needing(Permission.fleet)


LOGIN = ("<div class='card'><form method='post' action='/console/login'>"
         "<input type='hidden' name='csrf' value='{csrf}'>"
         "<label>工号 Staff id <input id='staff_id' name='staff_id' autocomplete='username' "
         "size='20'></label><br><label>密码 Password <input id='password' name='password' "
         "type='password' autocomplete='current-password' size='30'></label> "
         "<button id='login' type='submit'>登录 Sign in</button></form>{error}</div>")


def _login_page(request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    csrf = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = HTMLResponse(page("大厅工作台 Hall console", LOGIN.format(csrf=text(csrf),
                                                                      error=error)),
                            status_code=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, csrf, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", max_age=3600)
    return response


@router.get("/console/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return _login_page(request)


@router.post("/console/login")
async def login(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    form = await _form(request)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not _same_origin(request) or not expected or not hmac.compare_digest(
            form.get("csrf", ""), expected):
        raise _refused("cross-origin sign-in or no valid CSRF token")
    try:
        token, _expires = await run_in_threadpool(
            sign_in, ctx, client_address(request), form.get("staff_id", "").strip(),
            form.get("password", ""))
    except ProblemError as error:
        messages = {423: "账户已锁定，请稍后再试 Locked: too many failed tries",
                    429: "尝试次数过多 Too many attempts: try again later"}
        message = messages.get(error.status, "工号或密码错误 Wrong staff id or password")
        return _login_page(request, f"<p class='overdue' id='error'>{text(message)}</p>",
                           status=error.status)
    response = RedirectResponse("/console", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https",
                        max_age=ctx.settings.staff_session_ttl_s)
    return response


@router.post("/console/logout")
def logout(form: Checked, request: Request,
           ctx: ServerContext = Depends(get_context)) -> Response:
    with ctx.db.transaction() as session:
        accounts.logout(session, f"Bearer {request.cookies[COOKIE]}", now=ctx.now())
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def _nav(member: staff.StaffMember, csrf: str) -> str:
    links = ["<a href='/console'>大厅 Hall</a>", "<a href='/console/alerts'>告警 Alerts</a>",
             "<a href='/console/rota'>值班 On call</a>"]
    if member.may(Permission.cases):
        links.append("<a href='/console/cases'>办件 Cases</a>")
        links.append("<a href='/console/lockers'>智能柜 Lockers</a>")
    if member.may(Permission.queue):
        links.append("<a href='/console/bookings'>预约 Bookings</a>")
    if member.may(Permission.reviews):
        links.append("<a href='/console/reviews'>差评 Bad reviews</a>")
        links.append("<a href='/console/figures'>数据统计 Figures</a>")
    if member.may(Permission.fleet):
        links.append("<a href='/console/fleet'>设备 Fleet</a>")
        links.append("<a href='/console/rollouts'>发布 Rollouts</a>")
    if member.may(Permission.commands):
        links.append("<a href='/console/commands'>远程命令 Commands</a>")
    if member.may(Permission.staff):
        links.append("<a href='/console/staff'>人员 Staff</a>")
    links.append("<a href='/console/account'>我的账户 My account</a>")
    return (f"<p>{text(member.name)} · {text(member.role.value)} · {text(member.hall_code)} · "
            + " · ".join(links) + " "
            + post_button("/console/logout", "退出 Sign out", {"csrf": csrf},
                          button_id="logout") + "</p>")


@router.get("/console", response_class=HTMLResponse)
def console(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    member = _member(request, ctx)
    if member is None:
        return RedirectResponse("/console/login", status_code=303)
    csrf = _csrf_of(request.cookies[COOKIE])
    called = request.query_params.get("called", "")
    cases, calls, reviews, queues = [], [], [], []
    with ctx.db.transaction() as session:
        if member.may(Permission.cases):
            cases = staff.list_cases(session, ctx, member, None, 200).cases
        if member.may(Permission.queue):
            calls = staff.open_calls(session, member).calls
            queues = citizens.queue_categories(session, ctx, hall_code=member.hall_code,
                                               cohort=ctx.settings.default_cohort).categories
        if member.may(Permission.reviews):
            reviews = staff.open_bad_reviews(session, ctx, member).reviews
    parts = [_nav(member, csrf)]
    if called:
        parts.append(f"<div class='card big' id='called'>请 {text(called)}</div>")
    if member.may(Permission.queue):
        parts.append("<h2>叫号 Queue</h2>" + table(
            ["类别 Category", "等候 Waiting", ""],
            [([f"{text(q.name.zh)}<br><span class='muted'>{text(q.name.en)}</span>",
               f"<span id='waiting-{text(q.code)}'>{q.waiting}</span>",
               post_button(f"/console/queue/{q.code}/call-next", "叫下一位 Call next",
                           {"window": "1", "csrf": csrf}, button_id=f"call-{q.code}")], "")
             for q in queues]))
        parts.append("<h2>求助 Staff calls</h2>" + table(
            ["终端 Kiosk", "原因 Reason", "时间 Time", ""],
            [([text(c.kiosk_id), text(c.reason), text(c.created_at.strftime("%H:%M")),
               post_button(f"/console/calls/{c.call_id}/close", "已处理 Done",
                           {"csrf": csrf})], "")
             for c in calls]))
    if member.may(Permission.reviews):
        parts.append("<h2>差评整改 Bad reviews</h2>" + table(
            ["评价 Level", "事项/办件 Case", "内容 Comment", "期限 Deadline"],
            [([text(r.level), text(r.case_number or r.service_code or r.kiosk_id),
               text(r.comment), text(r.deadline)], "overdue" if r.overdue else "")
             for r in reviews]))
    if member.may(Permission.cases):
        parts.append("<h2>办件 Cases</h2>" + table(
            ["编号 Number", "事项 Service", "状态 State", "承诺日期 Promised",
             "待补 Outstanding"],
            [([f"<a class='case' href='/console/cases/{quote(c.case_number)}'>"
               f"{text(c.case_number)}</a>", text(c.service_name.zh),
               f"<span class='state'>{text(STATE_NAMES.get(c.state.value, ('',))[0])}</span>",
               text(c.promised_date or "—"),
               text(", ".join(c.outstanding_materials))
               + (f" (≤ {text(c.material_due_date)})" if c.material_due_date else "")],
              "overdue" if c.overdue or c.materials_overdue else "") for c in cases]))
    return HTMLResponse(page("大厅工作台 Hall console", "".join(parts)))


@router.post("/console/queue/{category}/call-next")
def console_call_next(category: str, form: QueueForm,
                      ctx: ServerContext = Depends(get_context)) -> Response:
    window = form.fields.get("window", "1")[:10] or "1"
    try:
        with ctx.db.transaction() as session:
            called = staff.call_next(session, ctx, form.member, category, window)
        label = f"{called.ticket_no} 到 {window} 号窗口"
    except ProblemError as error:
        label = f"— ({error.detail})"
    return RedirectResponse(f"/console?called={quote(label)}", status_code=303)


@router.post("/console/calls/{call_id}/close")
def console_close_call(call_id: str, form: QueueForm,
                       ctx: ServerContext = Depends(get_context)) -> Response:
    try:
        with ctx.db.transaction() as session:
            staff.close_call(session, ctx, form.member, call_id)
    except ProblemError:
        pass            # closed meanwhile by a colleague: the page shows the current list
    return RedirectResponse("/console", status_code=303)


def _viewer(request: Request, ctx: ServerContext, permission: Permission,
            title: str) -> staff.StaffMember | Response:
    """The member for a console page needing `permission`, or the response instead (the
    sign-in page, or 403 for a role without it)."""
    member = _member(request, ctx)
    if member is None:
        return RedirectResponse("/console/login", status_code=303)
    if not member.may(permission):
        return problem_page(title, ProblemError(403, "role_required"))
    return member


SERVICE_MODES = {"in_service": "服务中 In service",
                 "entering_maintenance": "进入维护 Entering maintenance",
                 "maintenance": "维护中 Maintenance",
                 "leaving_maintenance": "退出维护 Leaving maintenance",
                 "out_of_service": "暂停服务 Out of service"}
MAINTENANCE_ROLES = {"technician": "技术人员 technician", "hall_staff": "大厅工作人员 hall staff"}


def _service_state(reported: dict[str, Any] | None) -> str:
    """A kiosk's service state in words: the mode, who is at work (the role, never the
    person) and every stop in force."""
    if not reported:
        return "—"
    words = SERVICE_MODES.get(reported.get("mode"), str(reported.get("mode")))
    if reported.get("role"):
        words += f" ({MAINTENANCE_ROLES.get(reported['role'], reported['role'])})"
    stops = "; ".join(f"{source}: {reason}"
                      for source, reason in sorted((reported.get("stops") or {}).items()))
    return f"{words} — {stops}" if stops else words


@router.get("/console/fleet", response_class=HTMLResponse)
def console_fleet(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    member = _viewer(request, ctx, Permission.fleet, "设备 Fleet")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    with ctx.db.transaction() as session:
        kiosk_views: list[schemas.KioskView] = staff.fleet(session, member, now=ctx.now()).kiosks
    rows = []
    for k in kiosk_views:
        reported = k.reported
        devices = ", ".join(
            f"{name}: {d.get('availability')}" + "".join(
                f" {unit} {state}" for unit, state in sorted((d.get("units") or {}).items())
                if state not in ("full", "closed", "empty", "occupied"))
            for name, d in sorted(reported.get("devices", {}).items()))
        versions = " / ".join(str(reported.get(key) or "—")
                              for key in ("app_version", "catalogue_version"))
        service = _service_state(reported.get("service_state"))
        rows.append(([f"<a id='kiosk-{text(k.kiosk_id)}' href='/console/kiosks/"
                      f"{quote(k.kiosk_id)}'>{text(k.kiosk_id)}</a>",
                      text(k.hall_code), text(service),
                      text(reported.get("queue_depth", "—")),
                      text(reported.get("oldest_unsent_age_s", "—")), text(devices or "—"),
                      text(versions),
                      text(k.reported_at.strftime("%m-%d %H:%M") if k.reported_at else "—"),
                      text(k.last_contact_at.strftime("%m-%d %H:%M:%S")
                           if k.last_contact_at else "—"),
                      "<br>".join(text(a) for a in k.alarms) or "—",
                      post_button(f"/console/kiosks/{k.kiosk_id}/revoke", "吊销 Revoke",
                                  {"csrf": csrf}, button_id=f"revoke-{k.kiosk_id}")],
                     "overdue" if k.alarms else ""))
    return HTMLResponse(page("设备 Fleet", _nav(member, csrf) + table(
        ["终端 Kiosk", "大厅 Hall", "服务 Service", "待发 Queue", "最久未发(s) Oldest unsent",
         "设备 Devices", "版本 App / catalogue", "上报 Reported", "联系 Last contact", "告警 Alarms", ""], rows)))


@router.get("/console/staff", response_class=HTMLResponse)
def console_staff(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    member = _viewer(request, ctx, Permission.staff, "人员 Staff")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    with ctx.db.transaction() as session:
        rows = [([text(a.staff_id), text(a.name), text(a.role), text(a.hall_code),
                  "已吊销 Revoked" if a.revoked_at else post_button(
                      f"/console/staff/{a.staff_id}/revoke", "吊销 Revoke", {"csrf": csrf},
                      button_id=f"revoke-{a.staff_id}")], "")
                for a in accounts.accounts_visible_to(session, member)]
    return HTMLResponse(page("人员 Staff", _nav(member, csrf) + table(
        ["工号 Staff id", "姓名 Name", "角色 Role", "大厅 Hall", ""], rows)))


@router.post("/console/staff/{staff_id}/revoke")
def console_revoke_staff(staff_id: str, form: StaffForm,
                         ctx: ServerContext = Depends(get_context)) -> Response:
    """Revoke a staff account from the console (effective at the next request)."""
    return _revoke(ctx, lambda session: accounts.revoke(session, staff_id, now=ctx.now(),
                                                        by=form.member), "/console/staff")


@router.post("/console/kiosks/{kiosk_id}/revoke")
def console_revoke_kiosk(kiosk_id: str, form: FleetForm,
                         ctx: ServerContext = Depends(get_context)) -> Response:
    """Revoke a kiosk from the console (effective at its next request)."""
    return _revoke(ctx, lambda session: kiosks.revoke(session, kiosk_id, now=ctx.now(),
                                                      by=form.member), "/console/fleet")


def _revoke(ctx: ServerContext, revoke, back: str) -> Response:
    try:
        with ctx.db.transaction() as session:
            revoke(session)
    except ProblemError as error:
        return HTMLResponse(page("大厅工作台 Hall console", f"<p>{text(error.detail)}</p>"),
                            status_code=error.status)
    return RedirectResponse(back, status_code=303)


# --- live alerts -------------------------------------------------------------------

#: how often the alerts page asks for the open alerts (Libki's kiosks poll every 10 s)
ALERTS_POLL_MS = 3000

ALERTS_SCRIPT = """
const csrf = document.getElementById('alerts').dataset.csrf;
let known = null;
function beep() {
  try {
    const audio = new AudioContext(), tone = audio.createOscillator();
    tone.connect(audio.destination); tone.frequency.value = 880;
    tone.start(); tone.stop(audio.currentTime + 0.3);
  } catch (e) { /* no sound before the page was touched: the list still shows it */ }
}
function cell(row, value) { row.insertCell().textContent = value || '\\u2014'; }
async function acknowledge(alert) {
  await fetch('/console/alerts/' + encodeURIComponent(alert.kiosk_id) + '/' +
              encodeURIComponent(alert.kind) + '/acknowledge',
              {method: 'POST', body: new URLSearchParams({csrf: csrf})});
  refresh();
}
async function refresh() {
  let answer;
  try { answer = await fetch('/console/alerts.json', {cache: 'no-store'}); }
  catch (e) { document.getElementById('alerts-status').textContent = 'offline'; return; }
  if (!answer.ok) { document.getElementById('alerts-status').textContent = answer.status; return; }
  const alerts = (await answer.json()).alerts;
  const body = document.getElementById('alerts-body');
  body.replaceChildren();
  const keys = new Set();
  for (const alert of alerts) {
    const key = alert.kiosk_id + '/' + alert.kind;
    keys.add(key);
    const row = body.insertRow();
    row.id = 'alert-' + alert.kiosk_id + '-' + alert.kind;
    row.className = alert.acknowledged_at ? '' : 'overdue';
    cell(row, alert.hall_code); cell(row, alert.kiosk_id); cell(row, alert.kind);
    cell(row, alert.detail); cell(row, alert.raised_at.slice(0, 19).replace('T', ' '));
    const action = row.insertCell();
    if (alert.acknowledged_at) { action.textContent = '\\u2713 ' + alert.acknowledged_by; }
    else {
      const button = document.createElement('button');
      button.id = 'ack-' + alert.kiosk_id + '-' + alert.kind;
      button.textContent = '\\u5df2\\u77e5\\u6089 Acknowledge';
      button.onclick = () => acknowledge(alert);
      action.append(button);
    }
  }
  if (known !== null && [...keys].some(key => !known.has(key))) beep();
  known = keys;
  document.getElementById('alerts-status').textContent = alerts.length;
}
refresh();
setInterval(refresh, POLL_MS);
"""


@router.get("/console/alerts", response_class=HTMLResponse)
def console_alerts(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    """The live alerts of the member's hall (every hall: the district), refreshed without a
    reload, with a sound for a new one."""
    member = _viewer(request, ctx, Permission.alerts, "告警 Alerts")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    head = "".join(f"<th>{text(h)}</th>" for h in (
        "大厅 Hall", "终端 Kiosk", "告警 Alert", "详情 Detail", "时间 Raised (UTC)", ""))
    body = (_nav(member, csrf)
            + "<p>未处理 Open: <b id='alerts-status'>…</b></p>"
            + f"<table id='alerts' data-csrf='{text(csrf)}'><thead><tr>{head}</tr></thead>"
            + "<tbody id='alerts-body'></tbody></table>"
            + f"<script>{ALERTS_SCRIPT.replace('POLL_MS', str(ALERTS_POLL_MS))}</script>")
    return HTMLResponse(page("告警 Alerts", body), headers={"Cache-Control": "no-store"})


@router.get("/console/alerts.json")
def console_alerts_json(request: Request, ctx: ServerContext = Depends(get_context)
                        ) -> Response:
    member = _member(request, ctx)
    if member is None or not member.may(Permission.alerts):
        return Response(status_code=403)
    with ctx.db.transaction() as session:
        found = alerts.open_alerts(session, member, now=ctx.now())
    listing = schemas.Alerts(alerts=found)
    return Response(listing.model_dump_json(), media_type="application/json",
                    headers={"Cache-Control": "no-store"})


@router.post("/console/alerts/{kiosk_id}/{kind}/acknowledge")
def console_acknowledge(kiosk_id: str, kind: str, form: AlertsForm,
                        ctx: ServerContext = Depends(get_context)) -> Response:
    with ctx.db.transaction() as session:
        alerts.acknowledge(session, form.member, kiosk_id, kind, now=ctx.now())
    return Response(status_code=204)


def _when(value) -> str:
    return value.strftime("%m-%d %H:%M:%S") if value else "—"


@router.get("/console/kiosks/{kiosk_id}", response_class=HTMLResponse)
def console_kiosk(kiosk_id: str, request: Request,
                  ctx: ServerContext = Depends(get_context)) -> Response:
    """One kiosk: its devices with consumables and doors, what it reports, its alerts (the
    latest opening of each kind, cleared ones too)."""
    member = _viewer(request, ctx, Permission.fleet, "终端 Kiosk")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    try:
        with ctx.db.transaction() as session:
            found = alerts.history(session, member, kiosk_id)
            view = next(k for k in staff.fleet(session, member, now=ctx.now()).kiosks
                        if k.kiosk_id == kiosk_id)
            # these import this module
            from district_server.web.device_pages import device_table, history_table
            from district_server.web.fleet_pages import command_panel
            commands_html = command_panel(session, member, kiosk_id, csrf, now=ctx.now())
            history_html = history_table(device_history.history(session, member, kiosk_id))
    except (ProblemError, StopIteration):
        return HTMLResponse(page("终端 Kiosk", "<p>未找到 No such kiosk</p>"), status_code=404)
    reported = dict(view.reported)
    devices = reported.pop("devices", {}) or {}
    state_rows = [([text(key), text(json.dumps(value, ensure_ascii=False))], "")
                  for key, value in sorted(reported.items())]
    alert_rows = [([text(a.kind), text(a.detail), text(_when(a.raised_at or a.opened_at)),
                    text(_when(a.acknowledged_at)) + (f" {text(a.acknowledged_by)}"
                                                      if a.acknowledged_by else ""),
                    text(_when(a.resolved_at))], "" if a.resolved_at else "overdue")
                  for a in found]
    body = (_nav(member, csrf)
            + f"<p id='kiosk-summary'>{text(view.kiosk_id)} · {text(view.hall_code)} · "
              f"联系 Last contact {text(_when(view.last_contact_at))} · 配置 Configuration "
              f"<span id='config-version'>{text(reported.get('config_version', '—'))}</span></p>"
            + device_table(devices) + history_html
            + "<h2>告警 Alerts</h2>" + table(["告警 Alert", "详情 Detail", "发生 Raised",
                                             "知悉 Acknowledged", "解除 Cleared"], alert_rows)
            + "<h2>上报 Reported</h2>" + table(["字段 Field", "值 Value"], state_rows)
            + commands_html)
    return HTMLResponse(page(f"终端 Kiosk {kiosk_id}", body))
