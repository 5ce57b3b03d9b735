"""Console parts of fleet control: the remote-command buttons and history on a kiosk's page
(with the download of collected logs), and the rollouts page (progress and verdict of each
staged rollout of a catalogue or configuration version; the administrator publishes a
configuration version there, at once or staged)."""
from __future__ import annotations

import json
import secrets
from dataclasses import asdict
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from district_server.catalogue import rollout
from district_server.catalogue.models import Rollout
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError
from district_server.kiosk_config import service as kiosk_config
from district_server.kiosk_config.models import ConfigPublication
from district_server.kiosks import commands
from district_server.roles import Permission
from district_server.staff.accounts import StaffMember
from district_server.web.html import page, post_button, table, text
from district_server.web.routes import (COOKIE, FleetForm, _csrf_of, _nav, _viewer, _when,
                                        form_needing)
from wire import v1

router = APIRouter(include_in_schema=False)
CommandsForm = form_needing(Permission.commands)

#: the buttons of a kiosk's page: kind -> label
BUTTONS = {"reload_config": "重新加载配置 Reload configuration",
           "out_of_service": "暂停服务 Out of service",
           "back_in_service": "恢复服务 Back in service",
           "print_test_page": "打印测试页 Print test page",
           "collect_logs": "收集日志 Collect logs",
           "restart_app": "重启程序 Restart app"}


def command_panel(session: Session, member: StaffMember, kiosk_id: str, csrf: str, *,
                  now) -> str:
    """The command buttons and the latest commands, for members who may send them."""
    if not member.may(Permission.commands):
        return ""
    action = f"/console/kiosks/{quote(kiosk_id)}/commands"
    # one token per rendered form: a form sent twice makes one command
    buttons = " ".join(post_button(action, label, {"csrf": csrf, "kind": kind,
                                                   "once": secrets.token_hex(8)},
                                   button_id=f"command-{kind}")
                       for kind, label in BUTTONS.items())
    compartment = (f'<form method="post" action="{text(action)}" style="display:inline">'
                   f'<input type="hidden" name="csrf" value="{text(csrf)}">'
                   f'<input type="hidden" name="kind" value="open_compartment">'
                   f'<input type="hidden" name="once" value="{secrets.token_hex(8)}">'
                   f'<input name="number" id="compartment-number" size="4" inputmode="numeric" '
                   f'aria-label="格口 Compartment"> '
                   f'<button id="command-open_compartment" type="submit">开格口 Open '
                   f'compartment</button></form>')
    rows = [([text(row.kind), text(row.args_json if row.args_json != "{}" else ""),
              f"<span class='state' id='command-state-{text(row.command_id)}'>"
              f"{text(row.state)}</span>", text(row.sent_by), text(_when(row.issued_at)),
              text(_when(row.finished_at)), text(row.detail)
              + (f" blob {text(row.blob_sha256[:12])}…" if row.blob_sha256 else "")
              + (f" <a id='logs-{text(row.command_id)}' href='/console/kiosks/"
                 f"{quote(kiosk_id)}/logs/{text(row.command_id)}'>下载日志 Download logs</a>"
                 if commands.has_logs(row) else "")],
             "overdue" if row.state in ("failed", "expired") else "")
            for row in commands.commands_of(session, member, kiosk_id, now=now)]
    return ("<h2>远程命令 Remote commands</h2><p>" + buttons + " " + compartment + "</p>"
            + table(["命令 Command", "参数 Arguments", "状态 State", "发送人 Sent by",
                     "发送 Sent", "完成 Finished", "结果 Result"], rows))


@router.get("/console/commands", response_class=HTMLResponse)
def console_commands(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    """The kiosks the member may send commands to (a hall supervisor: their hall's)."""
    member = _viewer(request, ctx, Permission.commands, "远程命令 Remote commands")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    with ctx.db.transaction() as session:
        rows = [([f"<a id='commands-{text(k.kiosk_id)}' href='/console/kiosks/"
                  f"{quote(k.kiosk_id)}/commands'>{text(k.kiosk_id)}</a>", text(k.hall_code),
                  text(_when(k.last_contact_at))], "")
                for k in commands.commandable(session, member)]
    return HTMLResponse(page("远程命令 Remote commands", _nav(member, csrf) + table(
        ["终端 Kiosk", "大厅 Hall", "联系 Last contact"], rows)))


@router.get("/console/kiosks/{kiosk_id}/commands", response_class=HTMLResponse)
def console_kiosk_commands(kiosk_id: str, request: Request,
                           ctx: ServerContext = Depends(get_context)) -> Response:
    """One kiosk's command buttons and latest commands."""
    member = _viewer(request, ctx, Permission.commands, "远程命令 Remote commands")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    try:
        with ctx.db.transaction() as session:
            panel = command_panel(session, member, kiosk_id, csrf, now=ctx.now())
    except ProblemError:
        return HTMLResponse(page("远程命令 Remote commands", "<p>未找到 No such kiosk</p>"),
                            status_code=404)
    return HTMLResponse(page(f"终端 Kiosk {kiosk_id}", _nav(member, csrf) + panel))


@router.post("/console/kiosks/{kiosk_id}/commands")
def console_send_command(kiosk_id: str, form: CommandsForm,
                         ctx: ServerContext = Depends(get_context)) -> Response:
    fields = form.fields
    args: dict = {}
    if fields.get("kind") == "open_compartment":
        number = fields.get("number", "").strip()
        args = {"number": int(number) if number.isdigit() else number,
                "reason": "opened from the console"}
    try:
        with ctx.db.transaction() as session:
            commands.send(session, form.member, kiosk_id, fields.get("kind", ""), args,
                          now=ctx.now(), idempotency_key=fields.get("once", "")[:80] or None)
    except ProblemError as error:
        return HTMLResponse(page("远程命令 Remote command", f"<p>{text(error.detail)}</p>"),
                            status_code=error.status)
    back = f"/console/kiosks/{quote(kiosk_id)}"
    return RedirectResponse(back if form.member.may(Permission.fleet) else f"{back}/commands",
                            status_code=303)


@router.get("/console/kiosks/{kiosk_id}/logs/{command_id}")
def console_kiosk_logs(kiosk_id: str, command_id: str, request: Request,
                       ctx: ServerContext = Depends(get_context)) -> Response:
    """The log files a collect_logs command brought from the kiosk, as a gzipped tar."""
    member = _viewer(request, ctx, Permission.commands, "日志 Logs")
    if isinstance(member, Response):
        return member
    try:
        with ctx.db.transaction() as session:
            archive = commands.collected_logs(session, member, kiosk_id, command_id,
                                              keys=ctx.keys, blobs=ctx.blobs, now=ctx.now())
    except ProblemError as error:
        return HTMLResponse(page("日志 Logs", f"<p>{text(error.detail)}</p>"),
                            status_code=error.status)
    name = f"logs-{kiosk_id}-{command_id[:8]}.tar.gz"
    return Response(archive, media_type="application/gzip", headers={
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'attachment; filename="{name}"'})


#: Rollout.subject in words
SUBJECT_NAMES = {"catalogue": "目录 Catalogue", "config": "配置 Configuration"}

#: the plan's fields on the configuration form: name -> (label, default)
PLAN_FIELDS = {"canary_share": ("灰度比例 Canary share (0-1; empty: all at once)", "0.1"),
               "health_window_s": ("观察期 Health window (s)", "3600"),
               "max_new_alerts": ("新告警上限 Most new alerts", "0"),
               "max_refusals": ("拒绝上限 Most refusals", "0"),
               "max_set_aside": ("搁置上限 Most set-aside items", "0"),
               "max_crashes": ("崩溃上限 Most crashes", "0"),
               "max_failed_submissions": ("失败提交上限 Most failed submissions", "0"),
               "min_app_version": ("最低版本 Lowest app version", "")}


def _version(r: Rollout, version: str | None) -> str:
    return text(f"#{version}" if r.subject == "config" and version else version)


def _config_panel(session: Session, ctx: ServerContext, csrf: str) -> str:
    """The configuration versions, what each cohort runs, and the form publishing a new one
    (the administrator's: it reaches the whole district)."""
    published = {p.number: p.cohort for p in session.scalars(
        select(ConfigPublication))}
    rows = [([text(f"#{v.number}"), f"<code>{text(v.body)}</code>", text(v.source),
              text(published.get(v.number, "")), text(_when(v.created_at))], "")
            for v in kiosk_config.versions(session)]
    plan = "".join(f"<label>{text(label)} <input name='{name}' id='config-{name}' "
                   f"value='{text(default)}' size='8'></label> "
                   for name, (label, default) in PLAN_FIELDS.items())
    form = (f"<form method='post' action='/console/rollouts/config' class='card'>"
            f"<input type='hidden' name='csrf' value='{text(csrf)}'>"
            f"<label>配置 Configuration (JSON: {text(', '.join(sorted(v1.DESIRED_CONFIG_KEYS)))})"
            f"<br><textarea name='config' id='config-body' rows='4' cols='70'></textarea>"
            f"</label><br><label>分组 Cohort <input name='cohort' id='config-cohort' value='"
            f"{text(ctx.settings.default_cohort)}' size='12'></label> {plan}"
            f"<button id='config-publish' type='submit'>发布配置 Publish configuration"
            f"</button></form>")
    return ("<h2>配置版本 Configuration versions</h2>" + form + table(
        ["#", "内容 Content", "来源 Source", "使用中 In use by cohort", "保存 Stored"], rows))


def _plan(fields: dict[str, str]) -> rollout.RolloutPlan | None:
    if not fields.get("canary_share", "").strip():
        return None
    try:
        return rollout.RolloutPlan(**{
            name: (fields.get(name, "").strip() if name == "min_app_version" else
                   (float if name == "canary_share" else int)(fields.get(name) or default))
            for name, (_label, default) in PLAN_FIELDS.items()})
    except ValueError as error:
        raise rollout.RolloutRefused(f"the plan: {error}") from None


@router.post("/console/rollouts/config")
def console_publish_config(form: FleetForm,
                           ctx: ServerContext = Depends(get_context)) -> Response:
    """Store a configuration version and publish it, at once or through a staged rollout."""
    member, fields = form.member, form.fields
    if not member.all_halls:
        return HTMLResponse(page("发布 Rollouts", "<p>无权限 Only the district administrator "
                                                "publishes a configuration</p>"), status_code=403)
    try:
        config, plan = kiosk_config.parse(fields.get("config", "")), _plan(fields)
        with ctx.db.transaction() as session:
            version = kiosk_config.store(session, config, now=ctx.now(), source=member.actor)
            rollout.release(session, str(version.number),
                            fields.get("cohort", "").strip() or ctx.settings.default_cohort,
                            plan, now=ctx.now(), default_cohort=ctx.settings.default_cohort,
                            actor=member.actor, subject=rollout.CONFIG)
    except (kiosk_config.ConfigInvalid, rollout.RolloutRefused) as error:
        return HTMLResponse(page("发布 Rollouts", f"<p id='config-error'>{text(error)}</p>"
                                 "<p><a href='/console/rollouts'>返回 Back</a></p>"),
                            status_code=422)
    return RedirectResponse("/console/rollouts", status_code=303)


@router.get("/console/rollouts", response_class=HTMLResponse)
def console_rollouts(request: Request, ctx: ServerContext = Depends(get_context)) -> Response:
    """Every staged rollout, catalogue and configuration side by side, newest first: the
    canary, how it is doing, the verdict; the configuration versions."""
    member = _viewer(request, ctx, Permission.fleet, "发布 Rollouts")
    if isinstance(member, Response):
        return member
    csrf = _csrf_of(request.cookies[COOKIE])
    rows = []
    with ctx.db.transaction() as session:
        for r in session.scalars(select(Rollout).order_by(Rollout.rollout_id.desc()).limit(50)):
            plan = rollout.plan_of(r)
            progress = ""
            if r.state == "canary":
                seen = rollout.health(session, r, now=ctx.now())
                progress = (f"in use on {len(seen.applied_by)}/{len(rollout.canary_of(r))}; "
                            f"{seen.new_alerts} new alert(s); refused by "
                            f"{len(seen.refused_by)}; {seen.grown['set_aside']} set aside; "
                            f"{seen.grown['crashes']} crash(es); "
                            f"{seen.grown['failed_submissions']} failed submission(s); "
                            f"window until "
                            f"{_when(r.canary_until)}")
            rows.append(([text(r.rollout_id), text(SUBJECT_NAMES.get(r.subject, r.subject)),
                          text(r.cohort),
                          f"{_version(r, r.previous_version)} → {_version(r, r.version)}",
                          text(json.dumps(asdict(plan))),
                          text(", ".join(rollout.canary_of(r))),
                          f"<span class='state' id='rollout-state-{r.rollout_id}'>"
                          f"{text(r.state)}</span>",
                          text(progress or r.verdict)
                          + (f" ({_version(r, r.rollback_version)})"
                             if r.rollback_version else ""),
                          text(_when(r.started_at)), text(_when(r.finished_at))],
                         "overdue" if r.state == "rolled_back" else ""))
        configs = _config_panel(session, ctx, csrf) if member.all_halls else ""
    return HTMLResponse(page("发布 Rollouts", _nav(member, csrf) + table(
        ["#", "对象 Subject", "分组 Cohort", "版本 Version", "计划 Plan", "灰度 Canary",
         "状态 State", "进度与结论 Progress / verdict", "开始 Started", "结束 Finished"], rows)
        + configs))
