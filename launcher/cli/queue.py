"""`kiosk queue status|retry|export|check`: the offline queue for operators and technicians.

- status: depth, quarantined, oldest unsent age, last success, last error, pause reason;
- retry: put quarantined items back in line, lift a pause, and run one sync now;
- export DIR: copy the undelivered items (still encrypted: envelopes and blobs exactly as
  they would be sent) to a directory, e.g. removable media, with a manifest (the
  maintenance screen's queue page writes the same export);
- check DIR: read an export back: every item file and blob present and unchanged.

While `kiosk run` runs, status, retry and export go through its control socket (its queue and
sync worker answer; a retry or an export is recorded in its audit chain); otherwise the
command opens the queue itself.
"""
from __future__ import annotations

import json
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
    check = actions.add_parser("check", help="read an export in DIR back and verify it")
    check.add_argument("directory", type=Path)
    check.add_argument("--json", action="store_true")
    parser.set_defaults(func=run)


def run(args, ctx) -> int:
    if args.queue_action == "check":  # reads the export only: no queue needed
        return _check(args)
    served = _through_the_running_kiosk(ctx, args)
    if served is not None:
        return served
    from offline_queue.errors import StorageUnavailable
    from offline_queue.service import QueueService

    config = ctx.config.config
    try:
        service = QueueService.open(config.queue, config.server, ctx.data_dir, ctx.clock)
    except StorageUnavailable as error:
        print(f"queue: {error}", file=sys.stderr)
        return EXIT_FAILED
    try:
        return _show(args, _act_here(args, service))
    except StorageUnavailable as error:
        print(f"queue: {error}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        service.outbox.close()


def _through_the_running_kiosk(ctx, args) -> int | None:
    """While `kiosk run` runs, it answers (through the control socket; a retry or an export is
    audited): its queue is open and its worker syncs. None: no kiosk runs."""
    from launcher.cli._devices import ask_the_running_kiosk, refused_by_the_kiosk
    if args.queue_action == "status":
        reply = ask_the_running_kiosk(ctx, "queue.status")
    elif args.queue_action == "retry":
        reply = ask_the_running_kiosk(ctx, "queue.retry", item=args.item, sync=not args.no_sync)
    else:
        reply = ask_the_running_kiosk(ctx, "queue.export", all=args.all,
                                      directory=str(args.directory.resolve()))
    if reply is None:
        return None
    if not reply.get("ok"):
        return refused_by_the_kiosk(reply)
    return _show(args, reply[args.queue_action])


def _act_here(args, service) -> dict:
    """No kiosk runs: the command's result on the queue it opened itself."""
    from kiosk.diagnostics import queue_report, retry_queue
    if args.queue_action == "status":
        return queue_report(service)
    if args.queue_action == "retry":
        return retry_queue(service, args.item, sync=not args.no_sync)
    from offline_queue.export import export_items
    count = export_items(service.outbox, args.directory, service.clock,
                         include_delivered=args.all)
    return {"exported": count, "directory": str(args.directory)}


def _print(args, data: dict, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text)


def _show(args, result: dict) -> int:
    return {"status": _show_status, "retry": _show_retry, "export": _show_export}[
        args.queue_action](args, result)


def _show_status(args, status: dict) -> int:
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


def _show_retry(args, result: dict) -> int:
    text = f"released {result['released']} quarantined item(s)"
    if "synced" in result:
        text += (f"; sync {'ok' if result['synced'] else 'failed'}: delivered "
                 f"{result['delivered']}, quarantined {result['quarantined']}"
                 + (f" ({result['error']})" if result["error"] else ""))
    _print(args, result, text)
    return EXIT_OK if result.get("synced", True) else EXIT_FAILED


def _show_export(args, result: dict) -> int:
    _print(args, result, f"exported {result['exported']} item(s), encrypted, "
                         f"to {result['directory']}")
    return EXIT_OK


def _check(args) -> int:
    from offline_queue.export import read_export
    check = read_export(args.directory)
    text = (f"{check.items} item(s), {check.blobs} blob(s), exported {check.exported_at}: "
            + ("intact" if check.ok else "DAMAGED\n" + "\n".join(check.problems)))
    _print(args, check.as_dict(), text)
    return EXIT_OK if check.ok else EXIT_FAILED
