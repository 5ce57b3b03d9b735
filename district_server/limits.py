"""Request body limits, enforced before any parsing or authentication and for every method
(a GET with a body too): an oversize body is a 413 whatever it contains, and nothing larger
than the route's limit is ever held in memory."""
from __future__ import annotations

import json
import re

from district_server.settings import Settings

SMALL_BODY_BYTES = 256 * 1024


class BodyLimitMiddleware:
    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        self.routes = [
            (re.compile(r"^/v1/submissions/"), settings.max_submission_bytes),
            (re.compile(r"^/v1/submission-batches(/binary)?$"), settings.max_batch_bytes),
            (re.compile(r"^/v1/blobs/uploads/"), settings.max_chunk_bytes),
            (re.compile(r"^/v1/blobs/[0-9a-f]{64}$"), settings.chunk_bytes),    # whole blobs
        ]

    def limit_for(self, path: str) -> int:
        return next((limit for pattern, limit in self.routes if pattern.match(path)),
                    SMALL_BODY_BYTES)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await _too_large(send, limit)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return await _too_large(send, limit)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        delivered = False

        async def replay():
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)


async def _too_large(send, limit: int) -> None:
    body = json.dumps({"error": "too_large", "detail": f"body over {limit} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
