"""The real district server in a process of its own, for the server kill test.

It serves a listening socket inherited from the harness (`--fd`), so connections wait in
the kernel's queue while the server is down and restarting, as behind a load balancer.
With `--kill-at BOUNDARY` it SIGKILLs itself the first time a submission reaches that
point of intake. The kill points are installed here, around the server's own functions;
the server code carries none:

- `after_auth`: the kiosk's signature checked, intake not begun
- `blob_stored`: an uploaded attachment published (file and directory fsynced)
- `committed`: the submission and its case committed, the receipt not yet sent
- `before_response`: the response built, not one byte of it sent
- `response_started`: the status line and headers sent, the signed receipt not

each in v1 (PUT, blob uploads) and in v1.1 (a batch, its blobs inline: raw bytes, as the
kiosk sends them to this server); `--v1` serves a server not offering batches.

    python -m tests.offline_queue.district_process --data-dir DIR --fd 5 [--kill-at B] [--v1]
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
from pathlib import Path

BOUNDARIES = ("after_auth", "blob_stored", "committed", "before_response", "response_started")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _install(boundary: str, app):
    """The app, with the kill point of `boundary` installed."""
    from district_server.blobs.store import BlobStore
    from district_server.submissions import batch, service

    if boundary in ("after_auth", "committed"):
        for module, name in ((service, "intake"), (batch, "intake_batch"),
                             (batch, "intake_binary_batch")):
            _die_around(module, name, before=boundary == "after_auth")
    elif boundary == "blob_stored":
        publish, publish_whole = BlobStore.publish, BlobStore.publish_whole

        def publish_then_die(self, upload_id: str, sha256: str) -> None:
            publish(self, upload_id, sha256)
            _die()

        def publish_whole_then_die(self, contents: dict[str, bytes]) -> None:
            publish_whole(self, contents)
            if contents:
                _die()
        BlobStore.publish = publish_then_die
        BlobStore.publish_whole = publish_whole_then_die
    elif boundary in ("before_response", "response_started"):
        return _KillAroundResponse(app, after=boundary == "response_started")
    return app


def _die_around(module, name: str, *, before: bool) -> None:
    """`module.name` dies before it runs, or after it returns (its transaction committed)."""
    function = getattr(module, name)

    def dying(*args, **kwargs):
        if before:
            _die()
        function(*args, **kwargs)
        _die()
    setattr(module, name, dying)


class _KillAroundResponse:
    """ASGI wrapper: dies just before or just after the status line of a submission PUT or
    a submission batch."""

    def __init__(self, app, *, after: bool) -> None:
        self.app, self.after = app, after

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or (scope["method"], scope["path"][:16]) not in (
                ("PUT", "/v1/submissions/"), ("POST", "/v1/submission-b")):
            return await self.app(scope, receive, send)

        async def send_or_die(message):
            starting = message["type"] == "http.response.start"
            if starting and not self.after:
                _die()
            await send(message)
            if starting and self.after:
                _die()
        return await self.app(scope, receive, send_or_die)


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    from district_server.app import create_app
    from district_server.settings import Settings
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--kill-at", choices=BOUNDARIES)
    parser.add_argument("--v1", action="store_true", help="no submission batches")
    args = parser.parse_args(argv)
    settings = Settings(data_dir=args.data_dir, demo_citizens=False,
                        catalogue_dir=args.data_dir / "catalogue",
                        submission_batches=not args.v1)
    app = create_app(settings)
    if args.kill_at:
        app = _install(args.kill_at, app)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                           lifespan="on", timeout_keep_alive=5))
    server.run(sockets=[socket.socket(fileno=args.fd)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
