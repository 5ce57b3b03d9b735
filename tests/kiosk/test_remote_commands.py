"""The district's remote commands carried out by the kiosk: each command on the simulated
devices, a command that needs the screen waits for the citizen's session to end, and a
command reaches an online kiosk within its 30 s heartbeat (test clock). Against the real
district server on loopback and the kiosk core with its real queue."""
from __future__ import annotations

import io
import tarfile

from district_server.kiosks import commands
from district_server.kiosks.models import KioskCommandRow
from district_server.roles import Role
from district_server.staff.accounts import StaffMember
from kiosk.service_state import Mode

ADMIN = StaffMember("admin-1", "admin", Role.administrator, "DISTRICT")


def send(district, kiosk_id: str, kind: str, **args) -> str:
    ctx = district.app.state.ctx
    with ctx.db.transaction() as session:
        return commands.send(session, ADMIN, kiosk_id, kind, args, now=ctx.now()).command_id


def on_server(district, command_id: str) -> KioskCommandRow:
    ctx = district.app.state.ctx
    with ctx.db.transaction() as session:
        row = session.get(KioskCommandRow, command_id)
        session.expunge(row)
        return row


def run(district, core, kind: str, **args) -> KioskCommandRow:
    command_id = send(district, core.config.kiosk.id, kind, **args)
    assert core.queue.worker.sync_once().ok
    return on_server(district, command_id)


def test_service_commands_go_through_the_one_service_state(district, make_core):
    core = make_core()
    taken = run(district, core, "out_of_service", reason="flooded hall")
    assert taken.state == "succeeded", taken.detail
    snapshot = core.service.snapshot()
    assert snapshot.mode is Mode.OUT_OF_SERVICE and "flooded hall" in snapshot.reason()
    assert not any(a.available for a in core.availability().values())

    back = run(district, core, "back_in_service")
    assert back.state == "succeeded" and core.service.mode is Mode.IN_SERVICE


def test_the_test_page_is_printed_and_a_compartment_opened_for_staff(district, make_core):
    core = make_core()
    printer = core.devices.for_role("receipt_printer")[0]
    jobs_before = printer.virtual.jobs.count
    printed = run(district, core, "print_test_page")
    assert printed.state == "succeeded", printed.detail
    assert printer.virtual.jobs.count > jobs_before

    chain, events = core.event_sink, []

    class Recording:
        def enqueue(self, kind, payload):
            events.append((kind, payload))
            return chain.enqueue(kind, payload)
    core.event_sink = Recording()
    opened = run(district, core, "open_compartment", number=2, reason="stuck parcel")
    assert opened.state == "succeeded", opened.detail
    [(kind, audit)] = events
    assert kind == "audit" and audit["action"] == "locker.open" and audit["compartment"] == 2
    assert audit["who"] == f"district:{opened.command_id}" and audit["why"] == "stuck parcel"

    missing = run(district, core, "open_compartment", number=999)
    assert missing.state == "failed" and "no compartment 999" in missing.detail


def test_logs_reach_the_district_sealed(district, make_core):
    core = make_core()
    core.log_dir().mkdir(parents=True, exist_ok=True)
    (core.log_dir() / "kiosk.log").write_text('{"message": "printer paper low"}\n')
    collected = run(district, core, "collect_logs")
    assert collected.state == "succeeded", collected.detail
    ctx = district.app.state.ctx
    sealed = ctx.blobs.read(collected.blob_sha256)
    assert b"printer paper low" not in sealed
    with tarfile.open(fileobj=io.BytesIO(ctx.keys.decrypt_blob(sealed))) as archive:
        assert archive.extractfile("kiosk.log").read() == b'{"message": "printer paper low"}\n'


def test_reload_and_restart(district, make_core):
    core = make_core()
    restarts = []
    core.on_restart(lambda: restarts.append(core.queue.worker.outbox.get_state("commands")))
    reloaded = run(district, core, "reload_config")
    assert reloaded.state == "succeeded", reloaded.detail
    assert reloaded.detail == \
        f"desired state version {core.queue.desired.current().version} in use"

    restarted = run(district, core, "restart_app")
    assert restarted.state == "succeeded"
    [recorded] = restarts
    assert recorded[restarted.command_id]["state"] == "succeeded", \
        "the outcome is kept before the kiosk goes down"


def test_a_command_is_run_once(district, make_core):
    core = make_core()
    printer = core.devices.for_role("receipt_printer")[0]
    command_id = send(district, core.config.kiosk.id, "print_test_page")
    worker = core.queue.worker
    worker.push_command_results = lambda: None       # the district never hears the outcome
    assert worker.sync_once().ok
    jobs = printer.virtual.jobs.count
    assert on_server(district, command_id).state == "delivered"
    assert worker.sync_once().ok                      # handed over again: not printed again
    assert printer.virtual.jobs.count == jobs
    del worker.push_command_results
    assert worker.sync_once().ok
    assert on_server(district, command_id).state == "succeeded"


def test_a_command_needing_the_screen_waits_for_the_session_to_end(district, make_core):
    core = make_core()
    core.session_active = lambda: True
    command_id = send(district, core.config.kiosk.id, "out_of_service")
    assert core.queue.worker.sync_once().ok
    assert on_server(district, command_id).state == "delivered"
    assert core.service.mode is Mode.IN_SERVICE, "the citizen is not cut off"

    logs = send(district, core.config.kiosk.id, "collect_logs")
    core.log_dir().mkdir(parents=True, exist_ok=True)
    (core.log_dir() / "kiosk.log").write_text("{}\n")
    assert core.queue.worker.sync_once().ok
    assert on_server(district, logs).state == "succeeded", "logs need no screen"

    core.session_active = lambda: False
    assert core.queue.worker.sync_once().ok
    assert on_server(district, command_id).state == "succeeded"
    assert core.service.mode is Mode.OUT_OF_SERVICE


def test_an_online_kiosk_gets_a_command_within_its_30_s_heartbeat(district, make_core,
                                                                  test_clock):
    core = make_core()
    worker = core.queue.worker
    cycle = worker.cycle_done
    core.queue.start()
    assert cycle.wait(30), "the first sync cycle did not run"
    assert worker.last_result.ok, worker.last_result
    cycle.clear()
    command_id = send(district, core.config.kiosk.id, "back_in_service")

    test_clock.advance(30)
    assert cycle.wait(30), "no sync cycle 30 s (test clock) after the last"
    assert on_server(district, command_id).state == "succeeded"


def test_a_command_the_district_did_not_sign_is_not_run(district, make_core):
    core = make_core()
    worker = core.queue.worker
    command_id = send(district, core.config.kiosk.id, "open_compartment", number=2)
    request, changed = worker.transport.request, []

    def altered(method, path, **kwargs):
        response = request(method, path, **kwargs)
        if method == "GET" and path.endswith("/commands"):   # on the way: another door
            assert b'"number":2' in response.content
            response._content = response.content.replace(b'"number":2', b'"number":3')
            changed.append(path)
        return response
    worker.transport.request = altered
    opened = []
    bank = core.devices.for_role("locker_bank")[0]
    bank_open = bank.open
    bank.open = lambda number: opened.append(number) or bank_open(number)
    assert worker.sync_once().ok
    assert changed and opened == [] and on_server(district, command_id).state == "delivered"
