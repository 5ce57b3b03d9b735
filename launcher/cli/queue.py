"""`kiosk queue status|retry|export`: the offline queue for operators and technicians.

- status: depth, quarantined, oldest unsent age, last success, last error, pause reason;
- retry: put quarantined items back in line, lift a pause, and run one sync now;
- export DIR: copy the undelivered items (still encrypted: envelopes and blobs exactly as
  they would be sent) to a directory, e.g. removable media, with a manifest.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from launcher.cli import EXIT_FAILED, EXIT_OK


def register(subparsers) -> None:
    parser = subparsers.add_parser("queue", help="offline queue status, retry, export")
    actions = parser.add_subparsers(dest="queue_action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="queue depth, oldest unsent, last success/error")
    status.add_argument("--json", action="store_true")
    retry = actions.add_parser("retry", help="release quarantined items and sync now")
    retry.add_argument("--item", help="only this item id (default: all quarantined)")
    retry.add_argument("--no-sync", action="store_true", help="only release, do not sync")
    retry.add_argument("--json", action="store_true")
    export = actions.add_parser("export", help="copy undelivered encrypted items to DIR")
    export.add_argument("directory", type=Path)
    export.add_argument("--all", action="store_true", help="include delivered items kept")
    export.add_argument("--json", action="store_true")
    parser.set_defaults(func=run)


def run(args, ctx) -> int:
    from offline_queue.errors import StorageUnavailable
    from offline_queue.service import QueueService

    config = ctx.config.config
    try:
        service = QueueService.open(config.queue, config.server, ctx.data_dir, ctx.clock)
    except StorageUnavailable as error:
        print(f"queue: {error}", file=sys.stderr)
        return EXIT_FAILED
    try:
        return {"status": _status, "retry": _retry, "export": _export}[args.queue_action](
            args, service)
    except StorageUnavailable as error:
        print(f"queue: {error}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        service.outbox.close()


def _print(args, data: dict, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text)


def _status(args, service) -> int:
    status = service.status().as_dict()
    status["enrolled"] = service.worker is not None
    age = status["oldest_unsent_age_s"]
    lines = [f"pending: {status['depth']}  quarantined: {status['quarantined']}  "
             f"delivered (kept): {status['delivered_kept']}",
             f"oldest unsent: {'-' if age is None else f'{age:.0f} s'}",
             f"last success: {status['last_success_at'] or 'never'}",
             f"last error: {status['last_error'] or '-'}"]
    if status["paused"]:
        lines.append(f"PAUSED: {status['paused']}")
    if status["alert"]:
        lines.append(f"ALERT: {status['alert']}")
    if not status["enrolled"]:
        lines.append("not enrolled: run `kiosk enroll --server URL --token TOKEN`")
    _print(args, status, "\n".join(lines))
    return EXIT_OK


def _retry(args, service) -> int:
    released = service.outbox.release_quarantined(args.item)
    service.outbox.set_state(paused=None)
    result: dict = {"released": released}
    if service.worker is not None and not args.no_sync:
        cycle = service.worker.sync_once()
        result.update(synced=cycle.ok, delivered=cycle.delivered,
                      quarantined=cycle.quarantined, error=cycle.error)
    text = f"released {released} quarantined item(s)"
    if "synced" in result:
        text += (f"; sync {'ok' if result['synced'] else 'failed'}: delivered "
                 f"{result['delivered']}, quarantined {result['quarantined']}"
                 + (f" ({result['error']})" if result["error"] else ""))
    _print(args, result, text)
    return EXIT_OK if result.get("synced", True) else EXIT_FAILED


def _export(args, service) -> int:
    from offline_queue.fileio import fsync_directory, write_durably
    from offline_queue.store import DELIVERED

    target: Path = args.directory
    (target / "blobs").mkdir(parents=True, exist_ok=True)
    exported = []
    for item in service.outbox.iter_items():
        if item.state == DELIVERED and not args.all:
            continue
        write_durably(target / f"{item.item_id}.json", item.envelope.encode(), mode=0o644)
        for sha in item.blobs:
            if not (target / "blobs" / sha).exists():
                shutil.copyfile(service.outbox.blobs.path(sha), target / "blobs" / sha)
        exported.append({"item_id": item.item_id, "kiosk_seq": item.kiosk_seq,
                         "case_number": item.case_number, "kind": item.kind,
                         "state": item.state, "digest": item.digest, "blobs": list(item.blobs)})
    for blob in (target / "blobs").iterdir():
        with blob.open("rb+") as handle:
            os.fsync(handle.fileno())
    fsync_directory(target / "blobs")
    manifest = {"format": "gov-kiosk-queue-export/1", "exported_at": service.clock.now()
                .isoformat(), "items": exported}
    write_durably(target / "manifest.json", json.dumps(manifest, ensure_ascii=False,
                                                       indent=2).encode(), mode=0o644)
    _print(args, {"exported": len(exported), "directory": str(target)},
           f"exported {len(exported)} item(s), encrypted, to {target}")
    return EXIT_OK
