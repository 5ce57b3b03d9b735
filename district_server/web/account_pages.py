"""The console's own-account page: a member of staff sets their kiosk PIN (what they sign in
with at a kiosk of their hall), confirming it with their web password. The PIN is kept only
as its scrypt hash; the hall's kiosks take it at their next sync."""
from __future__ import annotations

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


def _page(request: Request, ctx: ServerContext, message: str = "",
          status: int = 200) -> Response:
    member = _member(request, ctx)
    if member is None:
        return RedirectResponse("/console/login", status_code=303)
    csrf = _csrf_of(request.cookies[COOKIE])
    with ctx.db.transaction() as session:
        has_pin = bool(session.get(StaffAccount, member.staff_id).kiosk_pin_hash)
    state = ("已设置：本大厅终端下次同步后生效 Set: your hall's kiosks take a new one at their "
             "next sync" if has_pin else "未设置：在终端上无法登录 Not set: no kiosk lets you in")
    return HTMLResponse(page(TITLE, _nav(member, csrf) + FORM.format(
        state=text(state), csrf=text(csrf), shortest=SHORTEST, longest=LONGEST,
        message=message)), status_code=status)


@router.get("/console/account", response_class=HTMLResponse)
def account_page(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    return _page(request, ctx)


@router.post("/console/account/kiosk-pin")
def set_kiosk_pin(request: Request, form: Checked,
                  ctx: ServerContext = Depends(get_context)) -> Response:
    member, fields = form.member, form.fields
    pin = fields.get("pin", "")
    refusal = ""
    if pin != fields.get("pin_again", ""):
        refusal = "两次输入的 PIN 不同 The two PINs differ"
    else:
        with ctx.db.transaction() as session:
            if not accounts.password_matches(session, member.staff_id,
                                             fields.get("password", "")):
                refusal = "密码错误 Wrong password"
            else:
                try:
                    accounts.set_kiosk_pin(session, member.staff_id, pin, now=ctx.now(),
                                           actor=member.actor)
                except ValueError as error:
                    refusal = str(error)
    if refusal:
        return _page(request, ctx, f"<p class='overdue' id='error'>{text(refusal)}</p>",
                     status=422)
    return RedirectResponse("/console/account", status_code=303)
