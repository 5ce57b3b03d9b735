"""`Server-Timing: app;dur=<ms>` on every response: the time from the request's arrival in
the application (body reading included) to its response headers, so a client can tell
server time from network and client time (bench/sync.py sums it per submission)."""
from __future__ import annotations

import time


class ServerTimingMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()

        async def timed_send(message):
            if message["type"] == "http.response.start":
                elapsed_ms = (time.perf_counter() - started) * 1000
                message = {**message, "headers": [
                    *message.get("headers", []),
                    (b"server-timing", f"app;dur={elapsed_ms:.2f}".encode())]}
            await send(message)

        return await self.app(scope, receive, timed_send)
