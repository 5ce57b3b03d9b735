"""The console's own-account page: a member of staff sets their kiosk PIN (what they sign in
with at a kiosk of their hall) and registers their resident ID card as their staff card (the
kiosk's other sign-in: the card, then the face against its photo), each confirmed with their
web password. The PIN and the card's number are kept only as their scrypt hashes; the hall's
kiosks take them at their next sync."""
from __future__ import annotations

from typing import Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from district_server.context import ServerContext, get_context
from district_server.staff import accounts
from district_server.staff.models import StaffAccount
from district_server.web.html import page, text
from district_server.web.routes import COOKIE, Checked, _csrf_of, _member, _nav

router = APIRouter(include_in_schema=False)
TITLE = "我的账户 My account"
SHORTEST, LONGEST = accounts.KIOSK_PIN_DIGITS

FORM = ("<div class='card'><h2>终端 PIN Kiosk PIN</h2><p id='pin-state'>{state}</p>"
        "<form method='post' action='/console/account/kiosk-pin'>"
        "<input type='hidden' name='csrf' value='{csrf}'>"
        "<label>新 PIN New PIN ({shortest}–{longest} 位数字 digits) <input id='pin' name='pin' "
        "type='password' inputmode='numeric' autocomplete='off' size='14'></label><br>"
        "<label>再次输入 Again <input id='pin_again' name='pin_again' type='password' "
        "inputmode='numeric' autocomplete='off' size='14'></label><br>"
        "<label>登录密码 Your password <input id='password' name='password' type='password' "
        "autocomplete='current-password' size='30'></label> "
        "<button id='set-pin' type='submit'>设置 Set PIN</button></form>{message}</div>")
CARD_FORM = ("<div class='card'><h2>工作证 Staff card</h2><p id='card-state'>{state}</p>"
             "<form method='post' action='/console/account/staff-card'>"
             "<input type='hidden' name='csrf' value='{csrf}'>"
             "<label>您的身份证号码 Your resident ID number <input id='id_number' "
             "name='id_number' autocomplete='off' size='20'></label><br>"
             "<label>登录密码 Your password <input id='card_password' name='password' "
             "type='password' autocomplete='current-password' size='30'></label> "
             "<button id='set-card' type='submit'>登记 Register card</button></form></div>")


def _page(request: Request, ctx: ServerContext, message: str = "",
          status: int = 200) -> Response:
    member = _member(request, ctx)
    if member is None:
        return RedirectResponse("/console/login", status_code=303)
    csrf = _csrf_of(request.cookies[COOKIE])
    with ctx.db.transaction() as session:
        account = session.get(StaffAccount, member.staff_id)
        has_pin, has_card = bool(account.kiosk_pin_hash), bool(account.staff_card_hash)
    state = ("已设置：本大厅终端下次同步后生效 Set: your hall's kiosks take a new one at their "
             "next sync" if has_pin else "未设置：在终端上无法登录 Not set: no kiosk lets you in")
    card = ("已登记：只保存号码的加密摘要 Registered: only a salted hash of the number is kept"
            if has_card else "未登记：终端上请用工号和 PIN Not registered: use your staff "
            "number and PIN at a kiosk")
    return HTMLResponse(page(TITLE, _nav(member, csrf) + FORM.format(
        state=text(state), csrf=text(csrf), shortest=SHORTEST, longest=LONGEST,
        message=message) + CARD_FORM.format(state=text(card), csrf=text(csrf))),
        status_code=status)


@router.get("/console/account", response_class=HTMLResponse)
def account_page(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    return _page(request, ctx)


@router.post("/console/account/kiosk-pin")
def set_kiosk_pin(request: Request, form: Checked,
                  ctx: ServerContext = Depends(get_context)) -> Response:
    fields = form.fields
    if fields.get("pin", "") != fields.get("pin_again", ""):
        return _refused(request, ctx, "两次输入的 PIN 不同 The two PINs differ")
    return _with_password(request, ctx, form, lambda session, member: accounts.set_kiosk_pin(
        session, member.staff_id, fields.get("pin", ""), now=ctx.now(), actor=member.actor))


@router.post("/console/account/staff-card")
def set_staff_card(request: Request, form: Checked,
                   ctx: ServerContext = Depends(get_context)) -> Response:
    return _with_password(request, ctx, form, lambda session, member: accounts.set_staff_card(
        session, member.staff_id, form.fields.get("id_number", ""), now=ctx.now(),
        actor=member.actor))


def _with_password(request: Request, ctx: ServerContext, form: Checked,
                   change: Callable) -> Response:
    """Make `change(session, member)` once the member's web password is confirmed; a wrong
    password, or a value the change refuses, changes nothing and is said on the page."""
    member = form.member
    refusal = ""
    with ctx.db.transaction() as session:
        if not accounts.password_matches(session, member.staff_id,
                                         form.fields.get("password", "")):
            refusal = "密码错误 Wrong password"
        else:
            try:
                change(session, member)
            except ValueError as error:
                refusal = str(error)
    if refusal:
        return _refused(request, ctx, refusal)
    return RedirectResponse("/console/account", status_code=303)


def _refused(request: Request, ctx: ServerContext, refusal: str) -> Response:
    return _page(request, ctx, f"<p class='overdue' id='error'>{text(refusal)}</p>", status=422)
