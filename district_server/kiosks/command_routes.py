"""Remote commands over HTTP: staff send and follow them (/v1/staff/kiosks/{id}/commands),
the kiosk takes them on its sync and answers with what became of each (wire.v1.PATH_COMMANDS,
PATH_COMMAND_RESULT)."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path
from pydantic import Field

from district_server.context import ServerContext, get_context
from district_server.errors import problem_responses
from district_server.kiosks import commands, service
from district_server.kiosks.auth import Principal
from district_server.kiosks.models import KioskCommandRow
from district_server.staff.routes import KioskId, Staff
from district_server.staff.schemas import StaffRequest
from wire import v1

router = APIRouter(tags=["commands"])
CommandId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


class CommandRequest(StaffRequest):
    kind: v1.CommandKind
    args: dict[str, Any] = Field(default_factory=dict)
    ttl_s: int = Field(default=commands.DEFAULT_TTL_S, ge=1, le=commands.MAX_TTL_S)


class CommandView(v1.Response):
    command_id: str
    kiosk_id: str
    kind: str
    args: dict[str, Any]
    state: str = Field(description="wire.v1.COMMAND_STATES")
    sent_by: str
    issued_at: datetime
    expires_at: datetime
    delivered_at: datetime | None
    finished_at: datetime | None
    detail: str
    blob_sha256: str | None

    @classmethod
    def of(cls, row: KioskCommandRow) -> "CommandView":
        return cls(command_id=row.command_id, kiosk_id=row.kiosk_id, kind=row.kind,
                   args=json.loads(row.args_json), state=row.state, sent_by=row.sent_by,
                   issued_at=row.issued_at, expires_at=row.expires_at,
                   delivered_at=row.delivered_at, finished_at=row.finished_at,
                   detail=row.detail, blob_sha256=row.blob_sha256)


class CommandViews(v1.Response):
    commands: list[CommandView]


@router.post("/v1/staff/kiosks/{kiosk_id}/commands", response_model=CommandView,
             status_code=201, responses=problem_responses(401, 403, 404, 422))
def send_command(kiosk_id: KioskId, body: CommandRequest, member: Staff,
                 idempotency_key: Annotated[str | None, Header(
                     alias=v1.HEADER_IDEMPOTENCY_KEY, max_length=80)] = None,
                 ctx: ServerContext = Depends(get_context)) -> CommandView:
    """Queue a command for the kiosk (district administrator; hall supervisor, own hall).
    The same Idempotency-Key again returns the first command."""
    with ctx.db.transaction() as session:
        row = commands.send(session, member, kiosk_id, body.kind, body.args, now=ctx.now(),
                            ttl_s=body.ttl_s, idempotency_key=idempotency_key)
        return CommandView.of(row)


@router.get("/v1/staff/kiosks/{kiosk_id}/commands", response_model=CommandViews,
            responses=problem_responses(401, 403, 404))
def list_commands(kiosk_id: KioskId, member: Staff,
                  ctx: ServerContext = Depends(get_context)) -> CommandViews:
    with ctx.db.transaction() as session:
        rows = commands.commands_of(session, member, kiosk_id, now=ctx.now())
        return CommandViews(commands=[CommandView.of(row) for row in rows])


@router.get(v1.PATH_COMMANDS, response_model=v1.KioskCommands,
            responses=problem_responses(401, 403))
def kiosk_commands(kiosk_id: KioskId, principal: Principal,
                   ctx: ServerContext = Depends(get_context)) -> v1.KioskCommands:
    """The kiosk's commands not yet started (each signed by the district)."""
    service.require_own(principal, kiosk_id)
    with ctx.db.transaction() as session:
        return commands.deliver(session, kiosk_id, now=ctx.now(), keys=ctx.keys)


@router.post(v1.PATH_COMMAND_RESULT, status_code=204,
             responses=problem_responses(401, 403, 404, 409, 422))
def command_result(kiosk_id: KioskId, command_id: CommandId, body: v1.CommandResult,
                   principal: Principal, ctx: ServerContext = Depends(get_context)) -> None:
    service.require_own(principal, kiosk_id)
    with ctx.db.transaction() as session:
        commands.record_result(session, kiosk_id, command_id, body, now=ctx.now())
