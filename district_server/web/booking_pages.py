"""The console's bookings page: book at a window, import a CSV file of bookings (the rows
refused are listed with the reason), and today's bookings of the hall by queue category,
where a kiosk check-in shows as it happens (on reload)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from district_server.catalogue import service as catalogue_service
from district_server.citizens import bookings
from district_server.citizens.service import published_catalogue
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError
from district_server.roles import Permission
from district_server.staff.accounts import StaffMember
from district_server.web.html import page, table, text
from district_server.web.routes import COOKIE, QueueForm, _csrf_of, _nav, _viewer

router = APIRouter(include_in_schema=False)
TITLE = "预约 Bookings"
STATUSES = {"booked": "已预约 Booked", "checked_in": "已签到 Checked in"}

#: a chosen CSV file is read into the form's text box (a plain form post, no multipart)
FILE_SCRIPT = """
document.getElementById('csv-file').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  if (file) document.getElementById('csv').value = await file.text();
});
"""


def _page(ctx: ServerContext, member: StaffMember, csrf: str, report: str = "",
          status: int = 200) -> HTMLResponse:
    with ctx.db.transaction() as session:
        today = bookings.todays_bookings(session, ctx, member)
        try:
            catalogue = published_catalogue(session, ctx, ctx.settings.default_cohort)
            services = {i.task_code: f"{i.name.zh} {i.name.en}" for i in catalogue.items}
        except catalogue_service.CatalogueInvalid:
            services = {}
    options = "".join(f"<option value='{text(code)}'>{text(name)}</option>"
                      for code, name in services.items())
    hidden = f"<input type='hidden' name='csrf' value='{text(csrf)}'>"
    create = ("<form method='post' action='/console/bookings' class='card'>" + hidden
              + "<b>新建预约 New booking</b><br><label>身份证号 ID number <input name='id_number' "
                "id='id_number' required size='20'></label> <label>事项 Service <select "
                f"name='service_code' id='service_code'>{options}</select></label> "
                "<label>日期 Date <input type='date' name='day' id='day' required></label> "
                "<label>时间 Time <input type='time' name='at' id='at' required></label> "
                "<button type='submit' id='book'>预约 Book</button></form>")
    upload = ("<form method='post' action='/console/bookings/import' class='card'>" + hidden
              + "<b>导入CSV Import a CSV file</b> <span class='muted'>"
              + text(",".join(bookings.CSV_COLUMNS)) + " (YYYY-MM-DD, HH:MM)</span><br>"
              "<input type='file' id='csv-file' accept='.csv,text/csv'><br>"
              "<textarea name='csv' id='csv' rows='5' cols='60'></textarea><br>"
              "<button type='submit' id='import'>导入 Import</button></form>"
              f"<script>{FILE_SCRIPT}</script>")
    lists = "".join(
        f"<h3>{text(category)}</h3>" + table(
            ["时间 Time", "事项 Service", "状态 Status", "预约号 Booking"],
            [([text(row.slot_start.astimezone(bookings.LOCAL_TZ).strftime("%H:%M")),
               text(services.get(row.service_code, row.service_code)),
               f"<span class='state' id='booking-{text(row.appointment_id)}'>"
               f"{text(STATUSES.get(row.status, row.status))}</span>"
               + (f" {row.checked_in_at.astimezone(bookings.LOCAL_TZ):%H:%M}"
                  if row.checked_in_at else ""), text(row.appointment_id)], "")
             for row in rows])
        for category, rows in today.items())
    body = (_nav(member, csrf) + report + create + upload + "<h2>今日预约 Today</h2>"
            + (lists or "<p class='muted'>无 None</p>"))
    return HTMLResponse(page(TITLE, body), status_code=status)


@router.get("/console/bookings", response_class=HTMLResponse)
def console_bookings(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    member = _viewer(request, ctx, Permission.queue, TITLE)
    if isinstance(member, Response):
        return member
    return _page(ctx, member, _csrf_of(request.cookies[COOKIE]))


@router.post("/console/bookings")
def console_book(request: Request, form: QueueForm,
                 ctx: ServerContext = Depends(get_context)) -> Response:
    fields, csrf = form.fields, _csrf_of(request.cookies[COOKIE])
    try:
        with ctx.db.transaction() as session:
            row = bookings.book(session, ctx, form.member, id_number=fields.get("id_number", ""),
                                service_code=fields.get("service_code", ""),
                                day=fields.get("day", ""), at=fields.get("at", ""))
            code = row.booking_code
    except ProblemError as error:
        return _page(ctx, form.member, csrf, f"<p class='overdue' id='problem'>"
                                             f"{text(error.detail)}</p>", error.status)
    return _page(ctx, form.member, csrf, f"<div class='card' id='booked'>已预约 Booked · "
                                         f"预约码 Booking code <b>{text(code)}</b></div>")


@router.post("/console/bookings/import")
def console_import(request: Request, form: QueueForm,
                   ctx: ServerContext = Depends(get_context)) -> Response:
    csrf = _csrf_of(request.cookies[COOKIE])
    try:
        with ctx.db.transaction() as session:
            report = bookings.import_csv(session, ctx, form.member, form.fields.get("csv", ""))
    except ProblemError as error:
        return _page(ctx, form.member, csrf, f"<p class='overdue' id='problem'>"
                                             f"{text(error.detail)}</p>", error.status)
    summary = (f"<div class='card' id='import-report'>已导入 Booked <b id='booked-count'>"
               f"{len(report.booked)}</b> · 未导入 Refused <b id='rejected-count'>"
               f"{len(report.rejected)}</b>"
               + table(["行 Line", "预约码 Booking code"],
                       [([str(line), f"<span class='code'>{text(code)}</span>"], "")
                        for line, code in report.booked])
               + table(["行 Line", "原因 Reason"],
                       [([str(line), f"<span class='reason'>{text(reason)}</span>"], "overdue")
                        for line, reason in report.rejected]) + "</div>")
    return _page(ctx, form.member, csrf, summary)
