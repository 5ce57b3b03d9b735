"""Simulated backend: the same reading code against virtual documents, no daemon, no root.

- eMRTD profiles (passports, permit cards): the eMRTD reader code against an in-process
  virtual card (BAC, secure messaging, Passive Authentication). The documents are signed
  by the simulator's own test CSCA, which is also its trust store, so PA runs end to end.
- SAM profiles (resident ID cards, residence permits): the SAM reader code over a pty
  against the SAM simulator.

The identity says so ("in-process virtual card, no pcscd"), and `kiosk doctor` shows it.

Scenario actions: `insert_card(profile=...)`, `remove_card()`, plus the generic ones.
One-shot faults (`sim_fault(name)`) apply to the next read: wrong_key,
removed_mid_read, corrupted_data_group, bad_sod_signature (on a SAM card they become the
SAM's status 31, a removal, a corrupted frame and status 33).
"""
from __future__ import annotations

import threading
from dataclasses import replace

from pydantic import Field

from foundation.config_files import CONFIG_DIR
from devices.commands import CancelToken
from devices.id_reader import sam_protocol as sp
from devices.id_reader.errors import CardRemoved, NoCard
from devices.id_reader.reader import EmrtdIdReader, EmrtdSettings
from devices.id_reader.result import IdDocument
from devices.id_reader.sam import SamLink
from devices.id_reader.sam_simulator import SAM_PROFILES, SamSimulator
from devices.id_reader.virtual_card.card import CardLeftField, VirtualEmrtd
from devices.id_reader.virtual_card.profiles import (CARD_FAULTS, PROFILES, EmrtdProfile,
                                                     build_files, make_card, simulator_pki)
from devices.model import DeviceIdentity
from devices.simulator import SimulatorError, SimulatorMixin
from foundation.identity_validation import BacKeyInput, bac_key

DESCRIPTION = "simulated (in-process virtual card, no pcscd)"
SAM_DESCRIPTION = "simulated (SAM reader simulator on a pty)"


def _check_profile(name: str) -> None:
    if name not in PROFILES and name not in SAM_PROFILES:
        raise SimulatorError(f"unknown virtual card profile {name!r}; known: "
                             f"{', '.join([*PROFILES, *SAM_PROFILES])}")


def _read_photo(photo_file: str) -> bytes | None:
    if not photo_file:
        return None
    path = CONFIG_DIR / photo_file  # an absolute photo_file stays as it is
    try:
        return path.read_bytes()
    except OSError as error:
        raise SimulatorError(f"photo_file {path}: {error.strerror or error}") from None


class _InProcessConnection:
    def __init__(self, reader: "SimulatedIdReader", card: VirtualEmrtd) -> None:
        self._reader, self._card = reader, card

    def transmit(self, apdu: bytes) -> bytes:
        self._reader.check_simulated_device()
        try:
            return self._card.process(apdu)
        except CardLeftField:
            self._reader._card_left()
            self._reader._poll_card(None)  # on the worker already: publish the removal now
            raise CardRemoved() from None

    def disconnect(self) -> None:
        pass


class _InProcessTransport:
    description = DESCRIPTION

    def __init__(self, reader: "SimulatedIdReader") -> None:
        self._reader = reader

    def card_present(self) -> bool:
        return self._reader._emrtd_profile() is not None

    def connect(self) -> _InProcessConnection:
        self._reader.check_simulated_device()
        card = self._reader._emrtd_for_read()
        if card is None:
            raise NoCard("no passport or permit card is on the reader")
        return _InProcessConnection(self._reader, card)


class SimulatedIdReader(SimulatorMixin, EmrtdIdReader):
    backend = "simulated"
    faults = CARD_FAULTS
    #: what an eMRTD fault becomes on a SAM card: a simulator fault or a forced SAM status
    _SAM_FAULTS = {"removed_mid_read": "removed_mid_read", "corrupted_data_group":
                   "corrupted_frame", "bad_sod_signature": 0x33, "wrong_key": 0x31}

    class Settings(EmrtdSettings):
        profile: str = "resident_passport"
        card_present: bool = True
        photo_bytes: int = Field(default=20000, ge=1000, le=200_000)
        #: a JPEG for the eMRTD's DG2 instead of the synthetic one (relative paths: to the
        #: config package), so the demo's face check can match the simulated camera
        photo_file: str = ""
        #: without a typed key, use the virtual card's own MRZ (as an MRZ scanner would)
        auto_access_key: bool = True
        #: the virtual eMRTD takes extended-length APDUs (answers up to this many bytes)
        #: and says so in EF.ATR/INFO; 0: short length only
        max_response: int = Field(default=65535, ge=0, le=65535)
        #: a WLT decoder library for the SAM cards' photo, as the SAM backend takes it
        #: (empty: a SAM card's photo is not available, as on a reader without one)
        wlt_plugin: str = ""

    settings: Settings

    def __init__(self, name: str, settings: "SimulatedIdReader.Settings | None" = None, *,
                 clock=None) -> None:
        super().__init__(name, settings, clock=clock)
        self._init_simulator()
        _check_profile(self.settings.profile)
        self._photo = _read_photo(self.settings.photo_file)
        self._cards_lock = threading.Lock()
        self._emrtd: EmrtdProfile | None = None
        self._sam_card: str | None = None
        self._sam_simulator: SamSimulator | None = None
        self._sam_link: SamLink | None = None
        if self.settings.card_present:
            self._put_card(self.settings.profile)
        self._csca = self._csca if self._csca is not None else [simulator_pki().csca_cert]
        self._transport_ = _InProcessTransport(self)

    # --- scenario actions ----------------------------------------------------------

    def sim_insert_card(self, profile: str | None = None) -> None:
        name = profile or self.settings.profile
        _check_profile(name)
        self._put_card(name)
        self.submit("poll card", self._poll_card, timeout=None, internal=True)

    def sim_remove_card(self) -> None:
        self._card_left()
        self.submit("poll card", self._poll_card, timeout=None, internal=True)

    # --- cards -----------------------------------------------------------------------

    def _put_card(self, name: str) -> None:
        with self._cards_lock:
            if name in PROFILES:
                self._emrtd = replace(PROFILES[name], photo_bytes=self.settings.photo_bytes)
                self._sam_card = None
            else:
                self._emrtd, self._sam_card = None, name
            simulator = self._sam_simulator
        if simulator is not None:
            self._sync_sam_simulator(simulator)

    def _sync_sam_simulator(self, simulator: SamSimulator) -> None:
        if self._sam_card is None:
            simulator.remove_card()
        else:
            simulator.insert_card(self._sam_card)

    def _card_left(self) -> None:
        with self._cards_lock:
            self._emrtd, self._sam_card = None, None
            simulator = self._sam_simulator
        if simulator is not None:
            simulator.remove_card()

    def _emrtd_profile(self) -> EmrtdProfile | None:
        with self._cards_lock:
            return self._emrtd

    def _next_fault(self) -> str | None:
        return next((f for f in self.faults if self.take_fault(f)), None)

    def _emrtd_for_read(self) -> VirtualEmrtd | None:
        profile = self._emrtd_profile()
        if profile is None:
            return None
        fault, pki = self._next_fault(), simulator_pki()
        files = build_files(profile, pki, fault=fault, photo=self._photo) \
            if self._photo is not None else None
        return make_card(profile, pki, fault=fault, max_read=self.settings.max_read, files=files,
                         max_response=self.settings.max_response)

    # --- backend ---------------------------------------------------------------------

    def _open(self) -> DeviceIdentity:
        self.check_simulated_device()
        if self._sam_simulator is None:
            self._sam_simulator = SamSimulator(profile=None)
            self._sam_simulator.start()
            self._sync_sam_simulator(self._sam_simulator)
        self._sam_link = SamLink(self._sam_simulator.path, baudrate=115200, timeout_s=1.0,
                                 clock=self.clock, wlt_plugin=self.settings.wlt_plugin,
                                 log_name=self.name)
        self._sam_link.open()
        return DeviceIdentity(model=f"Virtual eMRTD card and SAM reader, {DESCRIPTION}",
                              backend=self.backend, port="in-process")

    def _close(self) -> None:
        if self._sam_link is not None:
            self._sam_link.close()
            self._sam_link = None

    def stop(self, timeout: float = 5.0) -> None:
        super().stop(timeout)
        if self._sam_simulator is not None:
            self._sam_simulator.stop()
            self._sam_simulator = None

    def _access_key(self, given: BacKeyInput | None) -> BacKeyInput:
        profile = self._emrtd_profile()
        if given is None and self.settings.auto_access_key and profile is not None:
            return bac_key(*profile.access_key)
        return super()._access_key(given)

    def _read(self, token: CancelToken, access_key: BacKeyInput | None) -> IdDocument:
        self.check_simulated_device(token)
        with self._cards_lock:
            sam_card = self._sam_card
        if sam_card is None or self._sam_link is None:
            return super()._read(token, access_key)
        fault = self._SAM_FAULTS.get(self._next_fault() or "")
        if isinstance(fault, int) and self._sam_simulator is not None:
            self._sam_simulator.force_status(sp.READ_TEXT_PHOTO, fault)
        elif fault is not None and self._sam_simulator is not None:
            self._sam_simulator.fault(fault)
        try:
            return self._sam_link.read_document(token, reader=SAM_DESCRIPTION)
        except CardRemoved:
            self._card_left()
            self._poll_card(None)
            raise

    def _transport(self) -> _InProcessTransport:
        return self._transport_

    def _detect_card(self) -> bool:
        self.check_simulated_device()
        with self._cards_lock:
            sam_card = self._sam_card
        if sam_card is not None and self._sam_link is not None:
            return self._sam_link.card_present()
        return self._transport_.card_present()
