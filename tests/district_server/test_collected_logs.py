"""The logs a collect_logs command brought from a kiosk are downloaded from the kiosk's console
page, decrypted, only by those who may send the kiosk commands (the administrator, the hall
supervisor of its hall), and every download is audited."""
from __future__ import annotations

import base64
import io
import tarfile

import httpx

from district_server.kiosks import commands
from district_server.staff.accounts import StaffMember
from district_server.roles import Role
from tests.district_server.conftest import add_staff, enrolled_kiosk
from tests.district_server.test_access import _console_session
from tests.district_server.test_commands import audited, take
from tests.district_server.test_fleet_pages import sign_in
from tests.district_server.test_web import browser  # noqa: F401,F811  (the fixture)
from wire import v1

LOG_LINE = b'{"message": "printer paper low", "level": "WARNING"}\n'


def logs_collected(ctx, kiosk) -> str:
    """A collect_logs command the kiosk ran: its log archive sealed to the district, uploaded,
    and the result saying where it is. Returns the command id."""
    with ctx.db.transaction() as session:
        administrator = StaffMember(staff_id="admin", name="admin", role=Role.administrator,
                                    hall_code="DISTRICT")
        command_id = commands.send(session, administrator, kiosk.kiosk_id, "collect_logs", {},
                                   now=ctx.now()).command_id
    assert [c["command"]["command_id"] for c in take(kiosk)] == [command_id]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        entry = tarfile.TarInfo("kiosk.log")
        entry.size = len(LOG_LINE)
        archive.addfile(entry, io.BytesIO(LOG_LINE))
    sha = kiosk.upload_blob(kiosk.encrypt_blob(buffer.getvalue()))
    done = kiosk.request("POST", v1.PATH_COMMAND_RESULT.format(
        kiosk_id=kiosk.kiosk_id, command_id=command_id),
        {"state": "succeeded", "detail": "1 log file(s)", "blob_sha256": sha})
    assert done.status_code == 204, done.text
    return command_id


def log_file(archive: bytes) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(archive)) as opened:
        return opened.extractfile("kiosk.log").read()


def test_the_administrator_downloads_collected_logs_from_the_kiosk_page(ctx, live_server,
                                                                        browser):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    wait = WebDriverWait(browser, 15)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        kiosk = enrolled_kiosk(ctx, http)
        command_id = logs_collected(ctx, kiosk)
    sign_in(browser, live_server.url, add_staff(ctx, "administrator", "DISTRICT"), wait)
    browser.get(f"{live_server.url}/console/kiosks/{kiosk.kiosk_id}")
    link = browser.find_element(By.ID, f"logs-{command_id}")
    # the link as the browser follows it (with the member's session), read to the end
    status, disposition, body = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(async r => {"
        "  const bytes = new Uint8Array(await r.arrayBuffer()); let s = '';"
        "  for (const b of bytes) s += String.fromCharCode(b);"
        "  done([r.status, r.headers.get('content-disposition'), btoa(s)]); });",
        link.get_attribute("href"))
    assert status == 200
    assert disposition.startswith("attachment;") and disposition.endswith('.tar.gz"')
    assert log_file(base64.b64decode(body)) == LOG_LINE
    assert audited(ctx, command_id)[-1] == "kiosk.logs_downloaded"


def test_only_those_who_may_command_the_kiosk_download_its_logs(kiosk, client, ctx):
    command_id = logs_collected(ctx, kiosk)
    path = f"/console/kiosks/{kiosk.kiosk_id}/logs/{command_id}"

    _console_session(ctx, client, "technician")     # sees the kiosk, sends no commands
    assert f"logs-{command_id}" not in client.get(f"/console/kiosks/{kiosk.kiosk_id}").text
    refused = client.get(path)
    assert refused.status_code == 403 and LOG_LINE not in refused.content
    assert "kiosk.logs_downloaded" not in audited(ctx, command_id)

    client.cookies.clear()
    _console_session(ctx, client, "supervisor", "FT-NORTH")     # another hall's
    assert client.get(path).status_code == 404

    client.cookies.clear()
    _console_session(ctx, client, "supervisor")     # of the kiosk's hall
    assert f"logs-{command_id}" in client.get(f"/console/kiosks/{kiosk.kiosk_id}/commands").text
    downloaded = client.get(path)
    assert downloaded.status_code == 200
    assert log_file(downloaded.content) == LOG_LINE
    assert client.get(f"/console/kiosks/{kiosk.kiosk_id}/logs/{'0' * 32}").status_code == 404
    assert audited(ctx, command_id).count("kiosk.logs_downloaded") == 1
