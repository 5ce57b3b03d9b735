"""Integration: the pcsc backend through real pcscd + vpcd with the virtual card connected.

Needs pcscd with the vsmartcard vpcd driver (scripts/services/pcscd.sh starts it); skips
locally without it and fails under CI=true.
"""
from __future__ import annotations

import threading

import pytest

from devices.id_reader.emrtd import EmrtdSession
from devices.id_reader.errors import AccessDenied, CardRemoved
from devices.id_reader.sod import Outcome
from devices.id_reader.virtual_card.card import VirtualEmrtd
from devices.id_reader.virtual_card.profiles import PROFILES, make_card
from foundation.clock import SystemClock
from foundation.identity_validation import bac_key
from tests.conftest import require_service
from tests.devices.id_reader.conftest import fixed_random, pcscd_available
from tests.devices.id_reader.test_bac_appendix_d import K_IC, K_IFD, RND_IC, RND_IFD, SM_EXCHANGES

READER = "Virtual PCD 00 00"
PROFILE = PROFILES["resident_passport"]
KEY = bac_key(*PROFILE.access_key)


def wait_for_reader(present: bool, timeout_ms: int = 10_000) -> None:
    """Block in SCardGetStatusChange until pcscd sees the card present / absent."""
    from smartcard import scard

    from devices.id_reader.pcsc import establish_context
    context = establish_context()
    try:
        known = scard.SCARD_STATE_UNAWARE
        while True:
            code, states = scard.SCardGetStatusChange(context, timeout_ms, [(READER, known)])
            assert code == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(code)
            state = states[0][1]
            if bool(state & scard.SCARD_STATE_PRESENT) == present:
                return
            known = state & ~scard.SCARD_STATE_CHANGED
    finally:
        scard.SCardReleaseContext(context)


class Slot:
    """The vpcd slot; `remove()` returns once pcscd has seen the card go."""

    def __init__(self) -> None:
        from devices.id_reader.virtual_card.vpcd import VpcdSlot
        self.slot = VpcdSlot()

    def insert(self, card) -> None:
        self.slot.insert(card)

    def remove(self) -> None:
        self.slot.remove()
        wait_for_reader(False)


@pytest.fixture(scope="module")
def vpcd():
    available, reason = pcscd_available()
    require_service("pcscd", available, reason)
    slot = Slot()
    yield slot
    slot.remove()


class Watcher:
    """Card events of a device, waited on (never slept on)."""

    def __init__(self, device) -> None:
        self.inserted, self.removed = threading.Event(), threading.Event()
        device.subscribe(self._on_event)

    def _on_event(self, event) -> None:
        if event.name == "cardInserted":
            self.removed.clear()
            self.inserted.set()
        elif event.name == "cardRemoved":
            self.inserted.clear()
            self.removed.set()


@pytest.fixture
def reader(vpcd):
    from devices.id_reader.pcsc import PcscIdReader
    device = PcscIdReader("id_card_reader", PcscIdReader.Settings(
        reader=READER, allow_virtual_reader=True, poll_interval_s=0.05), clock=SystemClock())
    watcher = Watcher(device)
    device.start()
    yield device, watcher
    device.stop()
    vpcd.remove()


def insert(vpcd, watcher, card) -> None:
    vpcd.insert(card)
    assert watcher.inserted.wait(10), "pcscd did not report the virtual card"


class Recording:
    def __init__(self, inner) -> None:
        self.inner, self.exchanges = inner, []

    def transmit(self, apdu: bytes) -> bytes:
        response = self.inner.transmit(apdu)
        self.exchanges.append((apdu.hex().upper(), response.hex().upper()))
        return response

    def disconnect(self) -> None:
        self.inner.disconnect()


def test_appendix_d_replayed_through_pcscd_gives_the_exact_protected_apdus(vpcd):
    from smartcard import scard

    from devices.id_reader.pcsc import PcscTransport, establish_context
    ef_com = bytes.fromhex("60145F0104303130365F36063034303030305C026175")
    card = VirtualEmrtd({0x011E: ef_com}, "L898902C<369080619406236",
                        random=fixed_random(RND_IC, K_IC))
    vpcd.insert(card)
    wait_for_reader(True)
    context = establish_context()
    try:
        connection = Recording(PcscTransport(context, READER).connect())
        session = EmrtdSession(connection, random=fixed_random(RND_IFD, K_IFD))
        session.select_application()
        session.basic_access_control(bac_key("L898902C", "690806", "940623"))
        session.select_file(0x011E)
        assert session.read_chunk(0, 4) == bytes.fromhex("60145F01")
        assert session.read_chunk(4, 0x12) == ef_com[4:]
        connection.disconnect()
    finally:
        scard.SCardReleaseContext(context)
        vpcd.remove()
    assert connection.exchanges[:3] == [
        ("00A4040C07A0000002471001", "9000"),
        ("0084000008", "4608F919887022129000"),
        ("008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
         "5F1448EEA8AD90A728",
         "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F"
         "2F2D235D074D74499000")]
    assert connection.exchanges[3:] == [(protected, response)
                                        for _, protected, response, _, _ in SM_EXCHANGES]


def outcomes(document) -> dict[str, str]:
    return {c.name: c.outcome for c in document.verification}


def test_reads_the_virtual_passport_through_pcscd(reader, vpcd, pki):
    device, watcher = reader
    insert(vpcd, watcher, make_card(PROFILE, pki))
    document = device.read(KEY).result(30).unwrap()
    assert document.document_number == "E12345678" and document.photo.format == "jpeg"
    assert document.reader == READER and device.status.identity.backend == "pcsc"
    assert outcomes(document)["sod_signature"] == Outcome.PASSED
    assert outcomes(document)["dg2_hash"] == Outcome.PASSED
    assert outcomes(document)["csca_chain"] == Outcome.NOT_CHECKED  # no store configured



def test_a_chip_offering_extended_length_is_read_in_few_apdus_every_time(reader, vpcd, pki):
    device, watcher = reader
    card = make_card(PROFILE, pki, max_response=65535)
    commands = []
    process = card.process
    card.process = lambda apdu: commands.append(apdu) or process(apdu)
    insert(vpcd, watcher, card)
    for _ in range(2):  # the second session finds EF.ATR/INFO again (the card was reset)
        commands.clear()
        document = device.read(KEY).result(30).unwrap()
        assert outcomes(document)["dg2_hash"] == Outcome.PASSED
        assert len(document.photo.data) == PROFILE.photo_bytes
        reads = [apdu for apdu in commands if apdu[1] == 0xB0]
        # EF.ATR/INFO, then EF.COM, DG1, DG2, DG11, DG12, EF.SOD in one read each
        assert len(reads) == 7 and len(commands) <= 16


def test_wrong_key_is_refused_by_the_card(reader, vpcd, pki):
    device, watcher = reader
    insert(vpcd, watcher, make_card(PROFILE, pki, fault="wrong_key"))
    result = device.read(KEY).result(30)
    assert isinstance(result.error, AccessDenied)


def test_removal_mid_read_is_clear_and_the_next_card_reads(reader, vpcd, pki):
    device, watcher = reader
    insert(vpcd, watcher, make_card(PROFILE, pki, fault="removed_mid_read"))
    result = device.read(KEY).result(30)
    assert isinstance(result.error, CardRemoved)
    assert "removed" in result.error.message or "stopped answering" in result.error.message
    assert watcher.removed.wait(10)
    assert device.status.usable
    insert(vpcd, watcher, make_card(PROFILE, pki))
    document = device.read(KEY).result(30).unwrap()
    assert outcomes(document)["dg1_hash"] == Outcome.PASSED


def test_corrupted_data_group_reports_the_hash_mismatch(reader, vpcd, pki):
    device, watcher = reader
    insert(vpcd, watcher, make_card(PROFILE, pki, fault="corrupted_data_group"))
    document = device.read(KEY).result(30).unwrap()
    assert outcomes(document)["dg1_hash"] == Outcome.FAILED
    assert "altered" in next(c.detail for c in document.verification if c.name == "dg1_hash")


def test_bad_sod_signature_is_reported(reader, vpcd, pki):
    device, watcher = reader
    insert(vpcd, watcher, make_card(PROFILE, pki, fault="bad_sod_signature"))
    document = device.read(KEY).result(30).unwrap()
    assert outcomes(document)["sod_signature"] == Outcome.FAILED
    assert not document.verified


def test_the_virtual_reader_is_refused_unless_allowed(vpcd):
    from devices.id_reader.pcsc import PcscIdReader, virtual_readers
    assert READER in virtual_readers()
    device = PcscIdReader("id_card_reader", PcscIdReader.Settings(reader="Virtual PCD"),
                          clock=SystemClock())
    device.start()
    try:
        result = device.submit("noop", lambda token: None, internal=True).result(10)
        assert result.ok
        assert device.status.availability == "noDevice"
        assert "allow_virtual_reader" in device.status.reason
    finally:
        device.stop()


def test_doctor_finding_for_the_virtual_reader(vpcd):
    from devices.id_reader.security import virtual_reader_finding
    assert virtual_reader_finding(["simulated"]) == ""
    finding = virtual_reader_finding(["pcsc"])
    assert "Virtual PCD 00 00" in finding and "vsmartcard-vpcd" in finding


def test_kiosk_id_read_through_pcscd(vpcd, pki, tmp_path, capsys):
    import json

    from launcher.cli import main
    vpcd.insert(make_card(PROFILE, pki))
    wait_for_reader(True)
    code = main(["--data-dir", str(tmp_path), "id", "read", "--backend", "pcsc", "--device",
                 READER, "--bac", "E12345678:900101:320101", "--json",
                 "--photo-out", str(tmp_path / "face.jpg")])
    vpcd.remove()
    shown = json.loads(capsys.readouterr().out)
    assert code == 0 and shown["reader"] == READER and shown["name"] == "张三"
    assert (tmp_path / "face.jpg").stat().st_size == 20000


def test_kiosk_id_read_waits_for_the_card(vpcd, pki, tmp_path, capsys, monkeypatch):
    from launcher.cli import main
    original_wait = SystemClock.wait

    def insert_then_wait(clock, event, timeout):  # the card arrives once the CLI waits
        vpcd.insert(make_card(PROFILE, pki))
        return original_wait(clock, event, timeout)
    monkeypatch.setattr(SystemClock, "wait", insert_then_wait)
    try:
        code = main(["--data-dir", str(tmp_path), "id", "read", "--backend", "pcsc", "--device",
                     READER, "--bac", "E12345678:900101:320101", "--wait", "10"])
    finally:
        vpcd.remove()
    captured = capsys.readouterr()
    assert "put the document on the reader" in captured.err
    assert code == 0 and "verified: yes" in captured.out
