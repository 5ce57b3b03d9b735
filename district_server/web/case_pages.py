"""Console pages of the hall's case work: the cases (filtered list; a case's application,
materials, commitment and history with accept, reject, 补正 and complete), the lockers
(a completed result assigned to a kiosk by compartment size, parcel states, recall) and the
bad reviews (answer and close by the deadline). Every change goes through the staff service
of the JSON API, which scopes it by role and hall and audits it with the person."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from district_server.cases import followup
from district_server.citizens import certificates
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError
from district_server.roles import Permission
from district_server.staff import schemas, service as staff
from district_server.web.html import page, post_button, problem_page, table, text
from district_server.web.routes import (COOKIE, STATE_NAMES, _csrf_of, _nav, _viewer, _when,
                                        form_needing)

router = APIRouter(include_in_schema=False)
CasesForm = form_needing(Permission.cases)
ReviewsForm = form_needing(Permission.reviews)

#: what the case page's history shows: the citizen's and the staff's changes
HISTORY_ACTIONS = (*followup.CITIZEN_HISTORY, "staff.case_state",
                   "staff.supplement_request", "staff.parcel_assigned", certificates.KEPT,
                   certificates.WITHDRAWN)
HISTORY_WORDS = {followup.SUPPLIED: "补交材料 Material supplied",
                 followup.SECRET_REISSUED: "重发二维码 QR re-issued",
                 "staff.case_state": "状态变更 State changed",
                 "staff.supplement_request": "要求补正 Supplement requested",
                 "staff.parcel_assigned": "分配格口 Parcel assigned",
                 certificates.KEPT: "材料存档 Kept on file",
                 certificates.WITHDRAWN: "撤回存档 Consent withdrawn, deleted"}
#: the channels of district_server.cases.service.CHANNELS as staff read them
CHANNEL_NAMES = {"kiosk": "自助终端 Kiosk", "window": "窗口 Window", "phone": "电话 Phone"}
PARCEL_STATES = {"assigned": "待放入 Assigned", "stored": "已放入 Stored",
                 "collected": "已取件 Collected", "recalled": "已撤回 Recalled",
                 "expired": "已超期 Expired", "needs_check": "待检查 Needs check"}
OUTCOMES = {"rectified": "已整改 Rectified", "explained": "已解释 Explained",
            "unfounded": "不属实 Unfounded"}
SIZES = ("S", "M", "L", "XL")


def _state(value: str) -> str:
    zh, en = STATE_NAMES.get(value, (value, value))
    return f"{text(zh)} <span class='muted'>{text(en)}</span>"


def _select(name: str, options: dict[str, str], chosen: str, *, blank: str = "") -> str:
    choices = "".join(f"<option value='{text(value)}'"
                      + (" selected" if value == chosen else "") + f">{text(label)}</option>"
                      for value, label in ({"": blank, **options} if blank is not None
                                           else options).items())
    return f"<select name='{text(name)}' id='{text(name)}'>{choices}</select>"


# --- cases -------------------------------------------------------------------------

@router.get("/console/cases", response_class=HTMLResponse)
def console_cases(request: Request, state: str = "", service: str = "", channel: str = "",
                  due_by: str = "", overdue: str = "",
                  ctx: ServerContext = Depends(get_context)) -> Response:
    """The hall's cases, filtered by state, service item, channel, due date (promised or
    materials due on or before) and overdue commitment."""
    member = _viewer(request, ctx, Permission.cases, "办件 Cases")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    with ctx.db.transaction() as session:
        cases = staff.list_cases(session, ctx, member, state[:30] or None, 500).cases
    services = {c.service_code: c.service_name.zh for c in cases}
    try:
        due = date.fromisoformat(due_by) if due_by else None
    except ValueError:
        due = None
    shown = [c for c in cases
             if (not service or c.service_code == service)
             and (not channel or c.channel == channel)
             and (due is None or any(d and d <= due
                                     for d in (c.promised_date, c.material_due_date)))
             and (not overdue or c.overdue or c.materials_overdue)]
    filters = (
        "<form method='get' action='/console/cases' class='card'>"
        + "状态 State " + _select("state", {k: f"{zh} {en}" for k, (zh, en)
                                             in STATE_NAMES.items()}, state, blank="—")
        + " 事项 Service " + _select("service", services, service, blank="—")
        + " 渠道 Channel " + _select("channel", CHANNEL_NAMES, channel, blank="—")
        + f" 到期 Due by <input type='date' name='due_by' id='due_by' value='{text(due_by)}'>"
        + " <label><input type='checkbox' name='overdue' id='overdue' value='1'"
        + (" checked" if overdue else "") + "> 超期 Overdue</label>"
        + " <button type='submit' id='filter'>筛选 Filter</button></form>")
    rows = [([f"<a class='case' id='case-{text(c.case_number)}' "
              f"href='/console/cases/{quote(c.case_number)}'>{text(c.case_number)}</a>",
              f"{text(c.service_name.zh)}<br><span class='muted'>{text(c.service_name.en)}"
              f"</span>", f"<span class='state'>{_state(c.state.value)}</span>",
              text(CHANNEL_NAMES[c.channel]), text(c.promised_date or "—"),
              text(", ".join(c.outstanding_materials))
              + (f" (≤ {text(c.material_due_date)})" if c.material_due_date else "")],
             "overdue" if c.overdue or c.materials_overdue else "") for c in shown]
    body = (_nav(member, csrf) + "<p><a id='intake' href='/console/intake'>+ 窗口或电话受理 "
            "Window or phone intake</a></p>" + filters + f"<p>共 <b id='case-count'>{len(shown)}</b> 件 "
            f"cases</p>" + table(["编号 Number", "事项 Service", "状态 State",
                                  "渠道 Channel", "承诺日期 Promised", "待补 Outstanding"], rows))
    return HTMLResponse(page("办件 Cases", body))


def _form_data_rows(application: dict, item) -> str:
    labels = {f.id: f.label for f in item.form} if item else {}
    rows = []
    for key, value in (application.get("form_data") or {}).items():
        label = labels.get(key)
        name = f"{text(label.zh)} <span class='muted'>{text(label.en)}</span>" if label \
            else text(key)
        rows.append(([name, text(value)], ""))
    return table(["字段 Field", "内容 Value"], rows)


def _material_rows(case_number: str, application: dict, names: dict, supplied: list,
                   on_file: dict[str, list[str]]) -> str:
    """`on_file`: the scans of the certificates on file the application reused."""
    rows = []
    for material in application.get("materials") or []:
        scans = material.get("blobs") or on_file.get(material.get("code")) or []
        links = " ".join(
            f"<a target='_blank' class='scan' href='/console/cases/{quote(case_number)}/scans/"
            f"{quote(blob)}'>扫描件 Scan {n}</a>"
            for n, blob in enumerate(scans, 1))
        rows.append(([names.get(material.get("code"), text(material.get("code"))),
                      text(material.get("status")), links or "—"], ""))
    for entry in supplied:
        rows.append(([names.get(entry.get("material"), text(entry.get("material"))),
                      f"补交 supplied {text(entry['at'][:10])}",
                      f"<a target='_blank' class='scan' href='/console/cases/"
                      f"{quote(case_number)}/scans/{quote(entry['blob'])}'>扫描件 Scan</a>"],
                     ""))
    return table(["材料 Material", "方式 Status", "扫描件 Scans"], rows)


def _history_rows(history: list[dict]) -> str:
    def what(entry: dict) -> str:
        details = {key: value for key, value in entry.items()
                   if key not in ("at", "action", "actor", "case", "blob")}
        return " · ".join(f"{key}: {value}" for key, value in details.items() if value)
    return table(["时间 Time (UTC)", "事件 Event", "经办人 By", "详情 Detail"],
                 [([text(e["at"][:19].replace("T", " ")),
                    text(HISTORY_WORDS.get(e["action"], e["action"])),
                    f"<span class='actor'>{text(e['actor'])}</span>", text(what(e))], "")
                  for e in history])


@router.get("/console/intake", response_class=HTMLResponse)
def console_intake(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    """An application taken at the window or on the phone: the item, the applicant and the
    channel; the case opens accepted and its page follows."""
    member = _viewer(request, ctx, Permission.cases, "受理 Intake")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    try:
        with ctx.db.transaction() as session:
            items = staff.catalogue_in_force(session, ctx).items
    except ProblemError as error:
        return problem_page("受理 Intake", error)
    form = (f"<form method='post' action='/console/intake' class='card'>"
            f"<input type='hidden' name='csrf' value='{text(csrf)}'>"
            "<p>事项 Service " + _select("service_code", {i.task_code: f"{i.name.zh} {i.name.en}"
                                                        for i in items},
                                        items[0].task_code if items else "", blank=None)
            + "</p><p>渠道 Channel " + _select("channel", {c: CHANNEL_NAMES[c]
                                                          for c in ("window", "phone")},
                                              "window", blank=None)
            + "</p><p><label>申请人身份证号 Applicant's ID number <input name='id_number' "
              "id='id_number' required maxlength='18' size='20'></label></p>"
              "<p><label>姓名 Name <input name='name' id='name' required maxlength='50'>"
              "</label></p><button type='submit' id='take-in'>受理 Take in</button></form>")
    return HTMLResponse(page("受理 Intake", _nav(member, csrf)
                             + "<p><a href='/console/cases'>← 办件 Cases</a></p>"
                             + "<h2>窗口或电话受理 Window or phone intake</h2>" + form),
                        headers={"Cache-Control": "no-store"})


@router.post("/console/intake")
def console_take_in(form: CasesForm, ctx: ServerContext = Depends(get_context)) -> Response:
    try:
        intake = schemas.CaseIntake(service_code=form.fields.get("service_code", ""),
                                    id_number=form.fields.get("id_number", "").strip(),
                                    name=form.fields.get("name", "").strip(),
                                    channel=form.fields.get("channel", ""))
        with ctx.db.transaction() as session:
            number = staff.take_in(session, ctx, form.member, intake)
    except ValidationError:
        return problem_page("受理 Intake", ProblemError(
            422, "invalid_form", "请填写事项、身份证号和姓名 Fill in the item, ID number and name"))
    except ProblemError as error:
        return problem_page("受理 Intake", error)
    return _back_to_case(number)


@router.get("/console/cases/{case_number}", response_class=HTMLResponse)
def console_case(case_number: str, request: Request,
                 ctx: ServerContext = Depends(get_context)) -> Response:
    """One case: the application decrypted on the server (the read is audited), its
    materials with their scans, the commitment and due dates, the history and the actions
    its state allows."""
    member = _viewer(request, ctx, Permission.cases, "办件 Case")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    try:
        with ctx.db.transaction() as session:
            detail = staff.case_detail(session, ctx, member, case_number,
                                       history_actions=HISTORY_ACTIONS)
            catalogue = ctx.catalogues.get(session, detail.application.get("catalogue_version"))
            item = catalogue.item(detail.case.service_code) if catalogue else None
            kiosk_ids = staff.locker_kiosks(session, member)
            kept = certificates.kept_of_case(session, case_number)
            reused_scans = certificates.scans_reused(session, detail.application)
            withdrawn = {code for code in (e.get("material") for e in detail.history
                                           if e["action"] == certificates.WITHDRAWN) if code}
    except ProblemError as error:
        return problem_page("办件 Case", error)
    case, application, history = detail.case, detail.application, detail.history
    names = {m.id: f"{text(m.name.zh)} <span class='muted'>{text(m.name.en)}</span>"
             for m in item.materials} if item else {}
    supplied = [e for e in history if e["action"] == followup.SUPPLIED]
    commitment = application.get("commitment") or {}
    applicant = application.get("applicant") or {}
    parts = [_nav(member, csrf), "<p><a href='/console/cases'>← 办件 Cases</a></p>",
             f"<div class='card'><div class='big'>{text(case.case_number)}</div>"
             f"<p>{text(case.service_name.zh)} <span class='muted'>"
             f"{text(case.service_name.en)}</span></p>"
             f"<p>状态 State: <span class='state' id='case-state'>{_state(case.state.value)}"
             f"</span> · 渠道 Channel: {text(CHANNEL_NAMES[case.channel])} · "
             f"提交 Submitted: {text(_when(case.submitted_at))}</p>"
             f"<p>申请人 Applicant: {text(applicant.get('name'))}</p>"
             f"<p>承诺办结日期 Promised by: <b id='promised'>{text(case.promised_date or '—')}"
             f"</b>" + (" <span class='overdue'>超期 Overdue</span>" if case.overdue else "")
             + "</p>"]
    if case.outstanding_materials:
        parts.append("<p>待补材料 Owed: <span id='owed'>"
                     + ", ".join(names.get(code, text(code))
                                 for code in case.outstanding_materials)
                     + f"</span> ≤ <b id='material-due'>{text(case.material_due_date)}</b>"
                     + (" <span class='overdue'>超期 Overdue</span>"
                        if case.materials_overdue else "") + "</p>")
    if commitment:
        parts.append("<p>容缺承诺 Commitment: "
                     + ", ".join(names.get(code, text(code))
                                 for code in commitment.get("materials") or [])
                     + f" ≤ {text(commitment.get('due_date'))} "
                       f"({text(commitment.get('supply_channel'))})</p>")
    parts.append("</div>")
    parts.append("<h2>申请表 Application</h2>" + _form_data_rows(application, item))
    parts.append("<h2>材料 Materials</h2>"
                 + _material_rows(case.case_number, application, names, supplied,
                                  reused_scans))
    parts.append(_on_file(case, application, item, kept, withdrawn, csrf))
    parts.append(_case_actions(case, item, csrf, kiosk_ids))
    parts.append("<h2>办理记录 History</h2>" + _history_rows(history))
    return HTMLResponse(page(f"办件 Case {case.case_number}", "".join(parts)),
                        headers={"Cache-Control": "no-store"})


def _on_file(case: schemas.StaffCase, application: dict, item, kept: dict, withdrawn: set,
             csrf: str) -> str:
    """零材料: the scanned materials the citizen agreed to keep. Accepting one (with the
    issuer and validity read off the document) puts it on file for their next application;
    a kept one is withdrawn here at the citizen's request."""
    keepable = certificates.keepable(application, item)
    if not keepable:
        return ""
    number, rows = quote(case.case_number), []
    for material in keepable:
        name = f"{text(material.name.zh)} <span class='muted'>{text(material.name.en)}</span>"
        row = kept.get(material.id)
        if row is not None:
            rows.append(([name, f"<span id='kept-{text(material.id)}'>已存档 On file · "
                                f"{text(row.issuer)} · 有效期至 valid until "
                                f"{text(row.valid_until or '长期 no expiry')}</span>",
                          post_button(f"/console/cases/{number}/certificates/withdraw",
                                      "撤回同意并删除 Withdraw consent and delete",
                                      {"csrf": csrf, "certificate_id": row.certificate_id},
                                      button_id=f"withdraw-{material.id}")], ""))
        elif material.id in withdrawn:
            rows.append(([name, f"<span id='kept-{text(material.id)}'>已撤回同意并删除 Consent "
                                "withdrawn, deleted</span>", ""], ""))
        elif case.state.value in certificates.ACCEPTED_STATES:
            ident = text(material.id)
            rows.append(([name, "申请人同意存档 The applicant agreed to keep it", (
                f"<form method='post' action='/console/cases/{number}/certificates'>"
                f"<input type='hidden' name='csrf' value='{text(csrf)}'>"
                f"<input type='hidden' name='material' value='{ident}'>"
                f"<label>发证机关 Issuer <input name='issuer' id='issuer-{ident}' required "
                "maxlength='200' size='18'></label> "
                f"<label>发证日期 Issued <input type='date' name='issued_on' "
                f"id='issued-{ident}' required></label> "
                f"<label>有效期至 Valid until <input type='date' name='valid_until' "
                f"id='valid-{ident}'></label> "
                f"<button type='submit' id='keep-{ident}'>核验无误，存档 Accept and keep on "
                "file</button></form>")], ""))
    return ("<h2>存档证照 Certificates on file (零材料)</h2>"
            + table(["材料 Material", "状态 State", ""], rows))


def _case_actions(case: schemas.StaffCase, item, csrf: str, kiosk_ids: list[str]) -> str:
    number = quote(case.case_number)
    allowed = staff.TRANSITIONS.get(case.state.value, set())
    buttons = []
    if "accepted" in allowed:
        buttons.append(post_button(f"/console/cases/{number}/state", "受理 Accept",
                                   {"csrf": csrf, "state": "accepted"}, button_id="accept"))
    if "in_review" in allowed:
        buttons.append(post_button(f"/console/cases/{number}/state", "审核 Start review",
                                   {"csrf": csrf, "state": "in_review"}, button_id="review"))
    if "completed" in allowed:
        buttons.append(post_button(f"/console/cases/{number}/state", "办结 Complete",
                                   {"csrf": csrf, "state": "completed"}, button_id="complete"))
    forms = []
    if "rejected" in allowed:
        forms.append(f"<form method='post' action='/console/cases/{number}/state' class='card'>"
                     f"<input type='hidden' name='csrf' value='{text(csrf)}'>"
                     "<input type='hidden' name='state' value='rejected'>"
                     "<label>不予受理理由 Reason for rejection <input name='note' id='reject-note' "
                     "required maxlength='500' size='40'></label> "
                     "<button type='submit' id='reject'>不予受理 Reject</button></form>")
    if case.state.value in staff.SUPPLEMENT_FROM and item is not None:
        boxes = " ".join(f"<label><input type='checkbox' name='material-{text(m.id)}' "
                         f"id='material-{text(m.id)}' value='1'> {text(m.name.zh)} "
                         f"<span class='muted'>{text(m.name.en)}</span></label>"
                         for m in item.materials)
        forms.append(f"<form method='post' action='/console/cases/{number}/supplement' "
                     f"class='card'><input type='hidden' name='csrf' value='{text(csrf)}'>"
                     f"<b>要求补正 Request a supplement</b><br>{boxes}<br>"
                     "<label>补交期限 Due by <input type='date' name='due_date' id='supplement-due' "
                     "required></label> <label>说明 Note <input name='note' id='supplement-note' "
                     "maxlength='200' size='30'></label> "
                     "<button type='submit' id='request-supplement'>发出 Send</button></form>")
    if case.state.value == "completed" and kiosk_ids:
        forms.append(f"<form method='post' action='/console/cases/{number}/parcel' "
                     f"class='card'><input type='hidden' name='csrf' value='{text(csrf)}'>"
                     "<b>放入智能柜 Assign to a locker</b><br>终端 Kiosk "
                     + _select("kiosk_id", {k: k for k in kiosk_ids}, kiosk_ids[0], blank=None)
                     + " 格口尺寸 Size " + _select("size", {s: s for s in SIZES}, "M", blank=None)
                     + " <label>物品 Items <input name='items' id='parcel-items' required "
                       "maxlength='200' size='20' value='证件 Certificate'></label> "
                       "<button type='submit' id='assign-parcel'>分配 Assign</button></form>")
    if not buttons and not forms:
        return ""
    return "<h2>办理 Actions</h2><p>" + " ".join(buttons) + "</p>" + "".join(forms)


def _back_to_case(case_number: str) -> RedirectResponse:
    return RedirectResponse(f"/console/cases/{quote(case_number)}", status_code=303)


@router.post("/console/cases/{case_number}/state")
def console_case_state(case_number: str, form: CasesForm,
                       ctx: ServerContext = Depends(get_context)) -> Response:
    try:
        change = schemas.CaseStateChange(state=form.fields.get("state", ""),
                                         note=form.fields.get("note", "").strip())
        if change.state == "rejected" and not change.note:
            raise ProblemError(422, "reason_required", "不予受理须说明理由 A rejection needs "
                                                       "a reason")
        with ctx.db.transaction() as session:
            staff.change_state(session, ctx, form.member, case_number, change)
    except ValidationError as error:
        return problem_page("办件 Case", ProblemError(422, "invalid_form", str(error)))
    except ProblemError as error:
        return problem_page("办件 Case", error)
    return _back_to_case(case_number)


@router.post("/console/cases/{case_number}/supplement")
def console_supplement(case_number: str, form: CasesForm,
                       ctx: ServerContext = Depends(get_context)) -> Response:
    materials = sorted(key.removeprefix("material-") for key in form.fields
                       if key.startswith("material-"))
    try:
        request = schemas.SupplementRequest(materials=materials,
                                            due_date=form.fields.get("due_date", ""),
                                            note=form.fields.get("note", "").strip())
        with ctx.db.transaction() as session:
            staff.request_supplement(session, ctx, form.member, case_number, request)
    except ValidationError:
        return problem_page("办件 Case", ProblemError(
            422, "invalid_form", "请选择材料并填写期限 Choose the materials and a due date"))
    except ProblemError as error:
        return problem_page("办件 Case", error)
    return _back_to_case(case_number)


@router.post("/console/cases/{case_number}/certificates")
def console_keep_certificate(case_number: str, form: CasesForm,
                             ctx: ServerContext = Depends(get_context)) -> Response:
    fields = form.fields
    try:
        keeping = certificates.Keeping(
            material_code=fields.get("material", ""), issuer=fields.get("issuer", "").strip(),
            issued_on=date.fromisoformat(fields.get("issued_on", "")),
            valid_until=date.fromisoformat(fields["valid_until"])
            if fields.get("valid_until") else None)
        if not keeping.issuer or len(keeping.issuer) > 200:
            raise ValueError("issuer")
    except ValueError:
        return problem_page("办件 Case", ProblemError(
            422, "invalid_form", "请填写发证机关和日期 Fill in the issuer and the dates"))
    try:
        with ctx.db.transaction() as session:
            staff.keep_certificate(session, ctx, form.member, case_number, keeping)
    except ProblemError as error:
        return problem_page("办件 Case", error)
    return _back_to_case(case_number)


@router.post("/console/cases/{case_number}/certificates/withdraw")
def console_withdraw_certificate(case_number: str, form: CasesForm,
                                 ctx: ServerContext = Depends(get_context)) -> Response:
    try:
        with ctx.db.transaction() as session:
            scans = staff.withdraw_certificate(session, ctx, form.member, case_number,
                                               form.fields.get("certificate_id", ""))
    except ProblemError as error:
        return problem_page("办件 Case", error)
    certificates.remove_scans(ctx, scans)
    return _back_to_case(case_number)


@router.get("/console/cases/{case_number}/scans/{sha256}")
def console_scan(case_number: str, sha256: str, request: Request,
                 ctx: ServerContext = Depends(get_context)) -> Response:
    member = _viewer(request, ctx, Permission.cases, "扫描件 Scan")
    if isinstance(member, Response):
        return member
    try:
        with ctx.db.transaction() as session:
            content = staff.material_scan(session, ctx, member, case_number, sha256)
    except ProblemError as error:
        return problem_page("扫描件 Scan", error)
    media_type = ("application/pdf" if content.startswith(b"%PDF") else
                  "image/jpeg" if content.startswith(b"\xff\xd8") else
                  "image/png" if content.startswith(b"\x89PNG") else "application/octet-stream")
    return Response(content, media_type=media_type,
                    headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                             "Content-Disposition": "inline"})


# --- lockers -----------------------------------------------------------------------

@router.post("/console/cases/{case_number}/parcel")
def console_assign_parcel(case_number: str, form: CasesForm,
                          ctx: ServerContext = Depends(get_context)) -> Response:
    """A completed result assigned to a kiosk's lockers by compartment size; staff at that
    kiosk fill a free compartment (the kiosk's maintenance lockers page)."""
    items = [i.strip() for i in form.fields.get("items", "").split(",") if i.strip()]
    try:
        request = schemas.ParcelAssign(case_number=case_number,
                                       kiosk_id=form.fields.get("kiosk_id", ""),
                                       size=form.fields.get("size", ""), items=items)
        with ctx.db.transaction() as session:
            assigned = staff.place_parcel(session, ctx, form.member, request)
    except ValidationError:
        return problem_page("智能柜 Lockers", ProblemError(
            422, "invalid_form", "请选择终端、尺寸并填写物品 Choose a kiosk, a size and items"))
    except ProblemError as error:
        return problem_page("智能柜 Lockers", error)
    # the pickup code is shown once (for the text to the holder): it is stored only hashed
    return RedirectResponse("/console/lockers?" + urlencode(
        {"assigned": assigned.parcel_id, "code": assigned.pickup_code}), status_code=303)


@router.get("/console/lockers", response_class=HTMLResponse)
def console_lockers(request: Request, assigned: str = "", code: str = "",
                    ctx: ServerContext = Depends(get_context)) -> Response:
    member = _viewer(request, ctx, Permission.cases, "智能柜 Lockers")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    with ctx.db.transaction() as session:
        parcels = staff.hall_parcels(session, ctx, member)
    parts = [_nav(member, csrf)]
    if assigned:
        parts.append(f"<div class='card' id='assigned'>已分配 Assigned <b>{text(assigned)}</b>"
                     f" · 取件码 Pickup code <b class='big'>{text(code)}</b><br>"
                     "<span class='muted'>请由该终端的工作人员放入格口 Staff at the kiosk "
                     "fill a compartment (maintenance → lockers)</span></div>")
    rows = []
    for p in parcels:
        if p.state == "assigned":
            action = post_button(f"/console/parcels/{quote(p.parcel_id)}/recall",
                                 "撤回 Recall", {"csrf": csrf},
                                 button_id=f"recall-{p.parcel_id}")
        elif p.state == "expired":
            action = "请在终端维护页取回 Recall at the kiosk (maintenance → lockers)"
        else:
            action = ""
        rows.append(([text(p.parcel_id),
                      f"<a href='/console/cases/{quote(p.case_number)}'>"
                      f"{text(p.case_number)}</a>", text(p.kiosk_id), text(p.size or "—"),
                      text(p.compartment or "—"),
                      f"<span class='state' id='parcel-state-{text(p.parcel_id)}'>"
                      f"{text(PARCEL_STATES.get(p.state, p.state))}</span>",
                      text(_when(p.stored_at)), text(_when(p.expires_at)), action],
                     "overdue" if p.state in ("expired", "needs_check") else ""))
    parts.append(table(["格口单 Parcel", "办件 Case", "终端 Kiosk", "尺寸 Size",
                        "格口 Compartment", "状态 State", "放入 Stored", "期限 Expires", ""],
                       rows))
    return HTMLResponse(page("智能柜 Lockers", "".join(parts)),
                        headers={"Cache-Control": "no-store"})


@router.post("/console/parcels/{parcel_id}/recall")
def console_recall(parcel_id: str, form: CasesForm,
                   ctx: ServerContext = Depends(get_context)) -> Response:
    try:
        with ctx.db.transaction() as session:
            staff.recall_parcel(session, ctx, form.member, parcel_id)
    except ProblemError as error:
        return problem_page("智能柜 Lockers", error)
    return RedirectResponse("/console/lockers", status_code=303)


# --- bad reviews -------------------------------------------------------------------

@router.get("/console/reviews", response_class=HTMLResponse)
def console_reviews(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    """The open bad reviews of the hall by deadline: the review, its case, an answer and a
    close (late ones marked)."""
    member = _viewer(request, ctx, Permission.reviews, "差评整改 Bad reviews")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    with ctx.db.transaction() as session:
        reviews = staff.open_bad_reviews(session, ctx, member).reviews
    cards = []
    for r in reviews:
        case = (f"<a href='/console/cases/{quote(r.case_number)}'>{text(r.case_number)}</a>"
                if r.case_number and member.may(Permission.cases)
                else text(r.case_number or r.service_code or "—"))
        late = " <span class='overdue'>已超期 Past the deadline</span>" if r.overdue else ""
        cards.append(
            f"<div class='card' id='review-{r.id}'><p>评价 Level <b>{r.level}</b> · "
            f"终端 Kiosk {text(r.kiosk_id)} · 办件 Case {case} · {text(_when(r.opened_at))}</p>"
            f"<p>“{text(r.comment)}”</p><p>整改期限 Deadline: <b>{text(r.deadline)}</b>{late}</p>"
            f"<form method='post' action='/console/reviews/{r.id}/close'>"
            f"<input type='hidden' name='csrf' value='{text(csrf)}'>"
            + _select(f"outcome-{r.id}", OUTCOMES, "rectified", blank=None)
            + f" <label>答复 Answer to the citizen <input name='note' id='note-{r.id}' required "
              f"maxlength='2000' size='40'></label> <button type='submit' id='close-{r.id}'>"
              f"办结 Close</button></form></div>")
    body = (_nav(member, csrf) + f"<p>未办结 Open: <b id='review-count'>{len(reviews)}</b></p>"
            + ("".join(cards) or "<p class='muted'>无 None</p>"))
    return HTMLResponse(page("差评整改 Bad reviews", body))


@router.post("/console/reviews/{review_id}/close")
def console_close_review(review_id: int, form: ReviewsForm,
                         ctx: ServerContext = Depends(get_context)) -> Response:
    try:
        closing = schemas.BadReviewClose(
            outcome=form.fields.get(f"outcome-{review_id}", ""),
            note=form.fields.get("note", "").strip())
        with ctx.db.transaction() as session:
            staff.close_bad_review(session, ctx, form.member, review_id, closing)
    except ValidationError:
        return problem_page("差评整改 Bad reviews", ProblemError(
            422, "invalid_form", "请选择结果并填写答复 Choose an outcome and write the answer"))
    except ProblemError as error:
        return problem_page("差评整改 Bad reviews", error)
    return RedirectResponse("/console/reviews", status_code=303)

