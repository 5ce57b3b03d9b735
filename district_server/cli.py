"""`district-server [--data-dir DIR] [--db URL] COMMAND`: run, migrate, enroll-token,
staff-add, staff-set-pin, staff-set-card, on-call-add, staff-revoke, kiosk-revoke, purge, keys,
catalogue, config, bundle, backup, figures, seed-demo. Exit codes as the kiosk CLI: 0 ok,
1 failed, 2 usage, 3 configuration, 5 data."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from district_server.roles import STAFF_ROLES
from district_server.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CONFIG, EXIT_DATA = 0, 1, 2, 3, 5


def _settings(args: argparse.Namespace, **overrides) -> Settings:
    values = dict(data_dir=Path(args.data_dir), database_url=args.db or "")
    if getattr(args, "catalogue_dir", None):
        values["catalogue_dir"] = Path(args.catalogue_dir)
    values.update(overrides)
    return Settings(**values)


def cmd_run(args: argparse.Namespace) -> int:
    import uvicorn

    from district_server.migrations import upgrade
    # Generated people and sample appointments only when asked: a real district connects
    # its registry instead.
    settings = _settings(args, demo_citizens=args.demo,
                         reference_photo_provider="demo" if args.demo else "none")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url())      # once, before the workers start
    from district_server.app import build_context
    build_context(settings.model_copy(update={"migrate_on_start": False}))  # keys, catalogue
    import os
    os.environ["DISTRICT_SERVER_SETTINGS"] = settings.model_copy(
        update={"migrate_on_start": False, "publish_catalogue_on_start": False}
    ).model_dump_json()
    tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key} if args.tls_cert else {}
    uvicorn.run("district_server.app:app_from_environment", factory=True, host=args.host,
                port=args.port, workers=args.workers, log_level="info", **tls)
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    from district_server.migrations import upgrade
    settings = _settings(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url())
    print("database at head")
    return EXIT_OK


def cmd_enroll_token(args: argparse.Namespace) -> int:
    from district_server.app import build_context
    from district_server.kiosks.service import issue_token
    ctx = build_context(_settings(args, publish_catalogue_on_start=False))
    with ctx.db.transaction() as session:
        token = issue_token(session, now=ctx.now(), ttl_s=args.ttl,
                            hall_code=args.hall or ctx.settings.default_hall_code,
                            cohort=args.cohort or ctx.settings.default_cohort,
                            kiosk_id=args.kiosk_id)
    print(token)
    return EXIT_OK


def _read_secret(from_stdin: bool, what: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass
    first = getpass.getpass(f"{what}: ")
    if first != getpass.getpass("again: "):
        raise ValueError(f"the two {what}s differ")
    return first


def cmd_staff_add(args: argparse.Namespace) -> int:
    from district_server.app import build_context
    from district_server.staff.accounts import create_account
    ctx = build_context(_settings(args, publish_catalogue_on_start=False))
    try:
        password = _read_secret(args.password_stdin, "password")
        with ctx.db.transaction() as session:
            create_account(session, staff_id=args.staff_id, name=args.name, role=args.role,
                           hall_code=args.hall or ctx.settings.default_hall_code,
                           password=password, now=ctx.now())
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_DATA
    print(f"staff {args.staff_id} ({args.role}) added")
    return EXIT_OK


def cmd_staff_set_pin(args: argparse.Namespace) -> int:
    """Set a person's kiosk PIN (they may also set it on the console's own-account page)."""
    from district_server.app import build_context
    from district_server.staff.accounts import set_kiosk_pin
    ctx = build_context(_settings(args, publish_catalogue_on_start=False))
    try:
        pin = _read_secret(args.pin_stdin, "kiosk PIN")
        with ctx.db.transaction() as session:
            set_kiosk_pin(session, args.staff_id, pin, now=ctx.now())
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_DATA
    print(f"kiosk PIN of {args.staff_id} set: the kiosks of their hall take it at their next "
          "sync")
    return EXIT_OK


def cmd_staff_set_card(args: argparse.Namespace) -> int:
    """Register a person's resident ID card as their staff card (the number read from the
    first line of standard input, never from the command line: it is personal data)."""
    from district_server.app import build_context
    from district_server.staff.accounts import set_staff_card
    ctx = build_context(_settings(args, publish_catalogue_on_start=False))
    try:
        with ctx.db.transaction() as session:
            set_staff_card(session, args.staff_id, sys.stdin.readline(), now=ctx.now())
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_DATA
    print(f"staff card of {args.staff_id} set: the kiosks of their hall take it at their next "
          "sync")
    return EXIT_OK


def cmd_on_call_add(args: argparse.Namespace) -> int:
    """Put a member of a hall's staff on call for the hall's alerts for one shift."""
    from datetime import datetime

    from district_server.app import build_context
    from district_server.notices.rota import add_on_call
    ctx = build_context(_settings(args, publish_catalogue_on_start=False))
    try:
        starts, ends = (datetime.fromisoformat(value) for value in (args.starts, args.ends))
        with ctx.db.transaction() as session:
            add_on_call(session, hall_code=args.hall, staff_id=args.staff, channel=args.channel,
                        recipient=args.recipient, starts_at=starts, ends_at=ends, now=ctx.now())
    except ValueError as error:       # a time not understood, or the shift refused
        print(error, file=sys.stderr)
        return EXIT_DATA
    print(f"{args.staff} on call for {args.hall} from {starts.isoformat()} to {ends.isoformat()}")
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace) -> int:
    """Revoke a staff account (its sessions end) or a kiosk (its signatures stop counting):
    effective at the next request, in every worker."""
    from district_server.app import build_context
    from district_server.errors import ProblemError
    from district_server.kiosks.service import revoke as revoke_kiosk
    from district_server.staff.accounts import revoke as revoke_staff
    ctx = build_context(_settings(args, publish_catalogue_on_start=False))
    revoke = revoke_staff if args.command == "staff-revoke" else revoke_kiosk
    try:
        with ctx.db.transaction() as session:
            revoke(session, args.id, now=ctx.now())
    except ProblemError as error:
        print(f"{error.error}: {error.detail}", file=sys.stderr)
        return EXIT_DATA
    print(f"{args.id} revoked")
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete applications and scans of cases finished longer than the retention ago."""
    from district_server.app import build_context
    from district_server.retention import purge
    overrides = {"publish_catalogue_on_start": False}
    if args.retention_days is not None:
        overrides["application_retention_days"] = args.retention_days
    ctx = build_context(_settings(args, **overrides))
    with ctx.db.transaction() as session:
        purged = purge(session, ctx.blobs, now=ctx.now(),
                       retention_days=ctx.settings.application_retention_days)
    print(f"purged {purged.cases} cases, {purged.blobs} scanned materials "
          f"(retention {ctx.settings.application_retention_days} days)")
    return EXIT_OK


def cmd_keys(args: argparse.Namespace) -> int:
    from district_server.crypto import DistrictKeyring
    settings = _settings(args)
    path = settings.resolved_keys_file()
    keyring = DistrictKeyring.load_or_create(path)
    if args.rotate_payload_key:
        keyring.rotate_payload_key()
    if args.add_next_receipt_key:
        keyring.add_next_receipt_key()
    next_key = keyring.next_receipt_public_key()
    not_ready = _kiosks_not_trusting(settings, next_key) if next_key else []
    if args.switch_receipt_key:
        if next_key is None:
            print("district-server keys: no next receipt key to switch to; run `keys "
                  "--add-next-receipt-key` and wait until every kiosk trusts it",
                  file=sys.stderr)
            return EXIT_FAILED
        if not_ready and not args.force:
            print(f"district-server keys: {len(not_ready)} kiosk(s) do not yet trust the next "
                  f"receipt key ({', '.join(not_ready[:20])}); they could verify nothing "
                  "after the switch. Wait for their next sync, revoke the ones that are gone, "
                  "or --force (those kiosks must then be enrolled again)", file=sys.stderr)
            return EXIT_FAILED
        keyring.switch_receipt_key()
        next_key, not_ready = None, []
    if args.rotate_payload_key or args.add_next_receipt_key or args.switch_receipt_key:
        keyring.save(path)
    public = keyring.public().model_dump(exclude={"holder_hmac_key"})
    public["keys_file"] = str(path)
    public["payload_key_ids"] = sorted(keyring.payload_keys)
    public["next_receipt_public_key"] = next_key
    public["kiosks_not_trusting_next_receipt_key"] = not_ready
    print(json.dumps(public, indent=2))
    return EXIT_OK


def _kiosks_not_trusting(settings: Settings, receipt_key_b64: str) -> list[str]:
    from district_server.db import Database
    from district_server.kiosks.service import kiosks_not_trusting
    db = Database(settings.resolved_database_url(),
                  busy_timeout_s=settings.sqlite_busy_timeout_s)
    try:
        with db.transaction() as session:
            return kiosks_not_trusting(session, receipt_key_b64)
    finally:
        db.dispose()


def cmd_catalogue(args: argparse.Namespace) -> int:
    from district_server.catalogue.service import CatalogueInvalid, load_directory
    directory = Path(args.directory)
    try:
        catalogue = load_directory(directory)
    except CatalogueInvalid as error:
        print(error, file=sys.stderr)
        return EXIT_DATA
    if args.action == "validate":
        print(f"catalogue {catalogue.version}: {len(catalogue.items)} items valid")
        return EXIT_OK
    from district_server.catalogue import rollout, service

    def stored(_ctx, session, now) -> str:
        service.store(session, catalogue, now=now)
        return catalogue.version
    return _release(args, "catalogue", stored, rollout.CATALOGUE, (CatalogueInvalid,))


def cmd_config(args: argparse.Namespace) -> int:
    """Store a configuration version (the JSON file's keys) and publish it like a catalogue."""
    from district_server.catalogue import rollout
    from district_server.kiosk_config import service
    try:
        config = service.parse(Path(args.file).read_text(encoding="utf-8"))
    except OSError as error:
        print(f"{args.file}: {error.strerror}", file=sys.stderr)
        return EXIT_DATA
    except (service.ConfigInvalid, UnicodeDecodeError) as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return EXIT_DATA

    def stored(_ctx, session, now) -> str:
        return str(service.store(session, config, now=now, source="operator").number)
    return _release(args, "configuration", stored, rollout.CONFIG, (service.ConfigInvalid,))


def cmd_bundle(args: argparse.Namespace) -> int:
    """Store an application bundle's archive as a version, with its manifest signed by the
    district's receipt key, and publish it like a catalogue (kiosks fetch it and switch)."""
    from district_server.bundles import service
    from district_server.catalogue import rollout
    archive = Path(args.archive)
    if not archive.is_file():
        print(f"{archive}: no such file", file=sys.stderr)
        return EXIT_DATA

    def stored(ctx, session, now) -> str:
        return service.store(session, archive, args.version, keys=ctx.keys,
                             directory=ctx.settings.resolved_bundle_dir(), now=now).version
    return _release(args, "bundle", stored, rollout.BUNDLE, (service.BundleInvalid,))


def _release(args: argparse.Namespace, what: str, stored, subject,
             invalid: tuple[type[Exception], ...]) -> int:
    """Store a version (`stored(ctx, session, now)` returns its name) and publish it to the cohort
    at once, or start its staged rollout when a canary share is given."""
    from district_server.app import build_context
    from district_server.catalogue import rollout
    ctx = build_context(_settings(args, publish_catalogue_on_start=False))
    try:
        plan = None if args.canary_share is None else rollout.RolloutPlan(
            canary_share=args.canary_share, health_window_s=args.health_window_s,
            max_new_alerts=args.max_new_alerts, max_refusals=args.max_refusals,
            max_set_aside=args.max_set_aside, max_crashes=args.max_crashes,
            max_failed_submissions=args.max_failed_submissions,
            min_app_version=args.min_app_version)
        with ctx.db.transaction() as session:
            version = stored(ctx, session, ctx.now())
            started = rollout.release(session, version, args.cohort, plan, now=ctx.now(),
                                      default_cohort=ctx.settings.default_cohort,
                                      actor="operator", subject=subject)
            canary = rollout.canary_of(started) if started is not None else []
    except (*invalid, rollout.RolloutRefused) as error:
        print(error, file=sys.stderr)
        return EXIT_DATA
    if started is None:
        print(f"{what} {version} published to cohort {args.cohort}")
    else:
        print(f"{what} {version}: rollout {started.rollout_id} to the canary of "
              f"cohort {args.cohort} ({', '.join(canary)}) until {started.canary_until}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from district_server.app import build_context
    from district_server.backups.service import BackupFailed, take_backup
    ctx = build_context(_settings(args, publish_catalogue_on_start=False,
                                  demo_citizens=False))
    try:
        manifest = take_backup(ctx, Path(args.directory))
    except BackupFailed as error:
        print(f"district-server backup: {error}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        ctx.db.dispose()
    print(json.dumps(manifest) if args.json else
          f"backup in {args.directory}: submissions up to server_seq "
          f"{manifest['backed_up_through']}; kiosks may now forget those")
    return EXIT_OK


def cmd_figures(args: argparse.Namespace) -> int:
    """The district's figures over a period (district_server/figures.py)."""
    from datetime import date

    from district_server.app import build_context
    from district_server.cases.service import local_date
    from district_server.figures import FigureFilter, compute
    try:
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError as error:
        print(f"--from, --to and --as-of take dates like 2026-09-30: {error}", file=sys.stderr)
        return EXIT_USAGE
    if end < start:
        print("--to is before --from", file=sys.stderr)
        return EXIT_USAGE
    ctx = build_context(_settings(args, publish_catalogue_on_start=False,
                                  demo_citizens=False))
    try:
        with ctx.db.transaction() as session:
            figures = compute(session, ctx, FigureFilter(start, end, args.hall, args.service,
                                                         args.channel),
                              as_of or local_date(ctx.now()))
    finally:
        ctx.db.dispose()
    if args.json:
        print(json.dumps(figures.as_json(), ensure_ascii=False, indent=2))
        return EXIT_OK

    def percent(rate) -> str:
        return "—" if rate.percent is None else f"{rate.percent}% ({rate.counted}/{rate.of})"
    print(f"{start} .. {end} (as of {figures.as_of}), hall {args.hall or 'all'}, "
          f"service {args.service or 'all'}, channel {args.channel or 'all'}")
    print(f"on time {percent(figures.on_time)}, early {percent(figures.early)}, "
          f"satisfied {percent(figures.satisfaction)}")
    print(f"applications {figures.applications_by_channel}, decided {figures.decided}, "
          f"open overdue {figures.open_overdue}, average elapsed "
          f"{figures.average_elapsed_working_days} working days")
    print(f"容缺 commitments {figures.commitments_made}: fulfilled on time "
          f"{figures.commitments_fulfilled_on_time}, overdue {figures.commitments_overdue}")
    return EXIT_OK


def cmd_seed_demo(args: argparse.Namespace) -> int:
    """A realistic month of demo cases (district_server/demo_month.py)."""
    from datetime import date, timedelta

    from district_server.app import build_context
    from district_server.cases.service import local_date
    from district_server.catalogue.service import CatalogueInvalid
    from district_server.demo_month import AlreadySeeded, seed_month
    try:
        last_day = date.fromisoformat(args.end) if args.end else None
    except ValueError as error:
        print(f"--to takes a date like 2026-09-30: {error}", file=sys.stderr)
        return EXIT_USAGE
    ctx = build_context(_settings(args, demo_citizens=False))
    try:
        with ctx.db.transaction() as session:
            seeded = seed_month(session, ctx, days=args.days, per_day=args.per_day,
                                seed=args.seed,
                                last_day=last_day or local_date(ctx.now()) - timedelta(days=1))
    except (AlreadySeeded, CatalogueInvalid) as error:
        print(f"district-server seed-demo: {error}", file=sys.stderr)
        return EXIT_DATA
    finally:
        ctx.db.dispose()
    print(f"demo month: {seeded.cases} cases, {seeded.commitments} 容缺 commitments, "
          f"{seeded.ratings} ratings")
    return EXIT_OK


def _common(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--data-dir", default=default("var/district"),
                        help="keys, blobs, SQLite database (default var/district)")
    parser.add_argument("--db", default=default(""),
                        help="database URL, e.g. postgresql+psycopg://user:pw@host/db "
                             "(default: SQLite in --data-dir)")


def _add_rollout_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cohort", default="default")
    parser.add_argument("--canary-share", type=float, metavar="SHARE",
                        help="publish: stage it, first to this share of the cohort's kiosks "
                             "(0-1], to all once they stay healthy, else roll back")
    parser.add_argument("--health-window-s", type=int, default=3600)
    parser.add_argument("--max-new-alerts", type=int, default=0,
                        help="alerts on the canary that still pass the gate")
    parser.add_argument("--max-refusals", type=int, default=0,
                        help="canary kiosks that may refuse the version")
    parser.add_argument("--max-set-aside", type=int, default=0,
                        help="queue items the canary may set aside")
    parser.add_argument("--max-crashes", type=int, default=0,
                        help="unclean ends the canary may have")
    parser.add_argument("--max-failed-submissions", type=int, default=0,
                        help="submissions from the canary the district may refuse")
    parser.add_argument("--min-app-version", default="",
                        help="kiosks reporting an older app are not the canary")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="district-server", description=__doc__)
    _common(root, lambda value: value)
    # The same options after the command (`district-server run --db URL`) win.
    common = argparse.ArgumentParser(add_help=False)
    _common(common, lambda _value: argparse.SUPPRESS)
    commands = root.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve the API (uvicorn)", parents=[common])
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8080)
    run.add_argument("--workers", type=int, default=1,
                     help="stateless worker processes (use PostgreSQL for more than one)")
    run.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    run.add_argument("--tls-key", help="private key of --tls-cert (PEM)")
    run.add_argument("--catalogue-dir", help="publish this catalogue directory at start")
    run.add_argument("--demo", action="store_true",
                     help="demo citizens: generated reference photos, certificates on file, "
                          "sample appointments and hall cases")
    run.set_defaults(func=cmd_run)
    commands.add_parser("migrate", help="upgrade the database to the newest schema",
                        parents=[common]).set_defaults(func=cmd_migrate)
    token = commands.add_parser("enroll-token", help="print a one-time kiosk enrolment token",
                                parents=[common])
    token.add_argument("--kiosk-id", required=True,
                       help="the one kiosk id this token enrols (or re-keys)")
    token.add_argument("--hall", help="hall code of the kiosk")
    token.add_argument("--cohort", help="rollout cohort of the kiosk")
    token.add_argument("--ttl", type=int, default=7 * 24 * 3600, help="seconds valid")
    token.set_defaults(func=cmd_enroll_token)
    staff = commands.add_parser("staff-add", help="add a member of staff (password asked)",
                                parents=[common])
    staff.add_argument("--id", dest="staff_id", required=True, help="staff id to sign in with")
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", choices=[r.value for r in STAFF_ROLES], default="clerk")
    staff.add_argument("--hall", help="hall code (a clerk's cases, queue and staff calls)")
    staff.add_argument("--password-stdin", action="store_true",
                       help="read the password from the first line of standard input")
    staff.set_defaults(func=cmd_staff_add)
    pin = commands.add_parser("staff-set-pin", help="set a member of staff's kiosk PIN (asked)",
                              parents=[common])
    pin.add_argument("--id", dest="staff_id", required=True)
    pin.add_argument("--pin-stdin", action="store_true",
                     help="read the PIN from the first line of standard input")
    pin.set_defaults(func=cmd_staff_set_pin)
    card = commands.add_parser("staff-set-card", help="register a member of staff's resident "
                               "ID card as their staff card (the number on standard input)",
                               parents=[common])
    card.add_argument("--id", dest="staff_id", required=True)
    card.set_defaults(func=cmd_staff_set_card)
    on_call = commands.add_parser("on-call-add", help="put someone on call for a hall's alerts "
                                                      "for one shift", parents=[common])
    on_call.add_argument("--hall", required=True)
    on_call.add_argument("--staff", required=True, help="the staff id of a member of the hall")
    on_call.add_argument("--channel", choices=["log", "webhook", "sms"], required=True)
    on_call.add_argument("--recipient", required=True,
                         help="webhook URL or phone number (log: any label)")
    on_call.add_argument("--from", dest="starts", required=True, help="ISO time with offset")
    on_call.add_argument("--to", dest="ends", required=True, help="ISO time with offset")
    on_call.set_defaults(func=cmd_on_call_add)
    for name, what in (("staff-revoke", "a staff account"), ("kiosk-revoke", "a kiosk")):
        revoke = commands.add_parser(name, help=f"revoke {what} at once", parents=[common])
        revoke.add_argument("id")
        revoke.set_defaults(func=cmd_revoke)
    purge = commands.add_parser("purge", help="delete applications and scans of cases "
                                              "finished longer ago than the retention",
                                parents=[common])
    purge.add_argument("--retention-days", type=int, help="default: 180")
    purge.set_defaults(func=cmd_purge)
    keys = commands.add_parser("keys", help="create (if missing) and show the district keys",
                               parents=[common])
    keys.add_argument("--rotate-payload-key", action="store_true",
                      help="new HPKE key for new submissions (old ones still decrypt)")
    keys.add_argument("--add-next-receipt-key", action="store_true",
                      help="announce the next receipt signing key to the kiosks (in their "
                           "desired state, signed by the current key)")
    keys.add_argument("--switch-receipt-key", action="store_true",
                      help="sign with the next receipt key from now on; refused while an "
                           "enrolled kiosk does not trust it yet (restart the server after)")
    keys.add_argument("--force", action="store_true",
                      help="with --switch-receipt-key: switch even so")
    keys.set_defaults(func=cmd_keys)
    catalogue = commands.add_parser("catalogue", help="validate or publish a catalogue",
                                    parents=[common])
    catalogue.add_argument("action", choices=["validate", "publish"])
    catalogue.add_argument("directory")
    _add_rollout_arguments(catalogue)
    catalogue.set_defaults(func=cmd_catalogue)
    config = commands.add_parser("config", help="publish a configuration version (a JSON "
                                 "object of the keys kiosks may be sent)", parents=[common])
    config.add_argument("action", choices=["publish"])
    config.add_argument("file")
    _add_rollout_arguments(config)
    config.set_defaults(func=cmd_config)
    bundle = commands.add_parser("bundle", help="publish a kiosk application bundle (a tar.gz "
                                 "of the bundle's folder, `kiosk` at its top)", parents=[common])
    bundle.add_argument("action", choices=["publish"])
    bundle.add_argument("archive")
    bundle.add_argument("--version", required=True,
                        help="the application version the bundle is (numbers and dots)")
    _add_rollout_arguments(bundle)
    bundle.set_defaults(func=cmd_bundle)
    backup = commands.add_parser("backup", help="copy database and blobs into a new "
                                                "directory and record the backup watermark",
                                 parents=[common])
    backup.add_argument("directory", help="a new or empty directory")
    backup.add_argument("--json", action="store_true")
    backup.set_defaults(func=cmd_backup)
    figures = commands.add_parser("figures", help="on-time, early and satisfaction rates and "
                                                  "the other figures of a period",
                                  parents=[common])
    figures.add_argument("--from", dest="start", required=True, help="first day, 2026-09-01")
    figures.add_argument("--to", dest="end", required=True, help="last day (included)")
    figures.add_argument("--hall", help="one hall's code (default: the whole district)")
    figures.add_argument("--service", help="one service item's task code")
    figures.add_argument("--channel", choices=["kiosk", "window"])
    figures.add_argument("--as-of", help="the day open cases are judged overdue on "
                                         "(default: today)")
    figures.add_argument("--json", action="store_true")
    figures.set_defaults(func=cmd_figures)
    seed = commands.add_parser("seed-demo", help="a realistic month of demo cases, "
                                                 "commitments and ratings (never twice)",
                               parents=[common])
    seed.add_argument("--to", dest="end", help="the month's last day (default: yesterday)")
    seed.add_argument("--days", type=int, default=30)
    seed.add_argument("--per-day", type=int, default=40,
                      help="at most this many applications a working day and hall")
    seed.add_argument("--seed", type=int, default=2026, help="the same seed, the same month")
    seed.set_defaults(func=cmd_seed_demo)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if bool(getattr(args, "tls_cert", None)) != bool(getattr(args, "tls_key", None)):
        print("--tls-cert and --tls-key go together", file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
