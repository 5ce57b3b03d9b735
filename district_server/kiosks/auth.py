"""The signed-request dependency: every kiosk endpoint takes `principal: Principal`."""
from __future__ import annotations

import json
from functools import partial
from typing import Annotated, Any, AsyncIterator

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from district_server.context import get_context
from district_server.errors import ProblemError
from district_server.kiosks.service import KioskPrincipal, authenticate, record_contact
from wire import v1


def path_with_query(request: Request) -> str:
    """The request target exactly as the kiosk signed it (raw, not percent-decoded)."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if raw else request.url.path
    query = request.scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


async def signed_kiosk(
        request: Request,
        signed_kiosk_id: Annotated[str | None, Header(alias=v1.HEADER_KIOSK_ID)] = None,
        signed_timestamp: Annotated[str | None, Header(alias=v1.HEADER_TIMESTAMP)] = None,
        signed_nonce: Annotated[str | None, Header(alias=v1.HEADER_NONCE)] = None,
        signature: Annotated[str | None, Header(alias=v1.HEADER_SIGNATURE)] = None,
) -> AsyncIterator[KioskPrincipal]:
    """Verify the signature (a read), then record the nonce in the handler's own first
    transaction, before its work: a replay is refused there and a request costs one commit.
    A request whose transactions all rolled back (or that opened none) has its nonce
    recorded afterwards on its own, so it cannot be replayed either."""
    body = await request.body()
    ctx = get_context(request)
    target = path_with_query(request)
    now, window_s = ctx.now(), ctx.settings.signature_window_s

    def check() -> KioskPrincipal:
        with ctx.db.transaction() as session:
            return authenticate(session, kiosk_id=signed_kiosk_id, timestamp=signed_timestamp,
                                nonce=signed_nonce,
                                signature=signature, method=request.method,
                                path_with_query=target, body=body, now=now, window_s=window_s)

    principal = await run_in_threadpool(check)
    record = partial(record_contact, kiosk_id=principal.kiosk_id, nonce=signed_nonce, now=now,
                     window_s=window_s)
    first = ctx.db.begin_next_transaction_with(record)
    try:
        yield principal
    finally:
        ctx.db.forget_first_work()
        if not first.committed:
            await run_in_threadpool(_record_alone, ctx, record)


def _record_alone(ctx, record) -> None:
    try:
        with ctx.db.transaction() as session:
            record(session)
    except ProblemError:
        pass        # a replay: the request was refused already


Principal = Annotated[KioskPrincipal, Depends(signed_kiosk)]


async def received_json(request: Request) -> Any:
    """The request body as decoded JSON (None when it is not JSON): signed objects inside a
    body are verified over this, as received, never over their parsed models."""
    try:
        return json.loads(await request.body())
    except ValueError:
        return None


ReceivedJson = Annotated[Any, Depends(received_json)]


async def received_body(request: Request) -> bytes:
    """The request body's bytes as received (what the signature covers)."""
    return await request.body()


ReceivedBody = Annotated[bytes, Depends(received_body)]
