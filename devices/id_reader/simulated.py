"""Simulated backend: the same eMRTD reading code against an in-process virtual card.

No pcscd, no root. The identity says so ("in-process virtual card"), and `kiosk doctor`
shows it. Its documents are signed by the simulator's own test CSCA, which is also its
trust store, so Passive Authentication runs end to end (chain included).

Scenario actions: `insert_card(profile=...)`, `remove_card()`, plus the generic ones.
One-shot faults (`sim_fault(name)`) apply to the next read: wrong_key,
removed_mid_read, corrupted_data_group, bad_sod_signature.
"""
from __future__ import annotations

import threading
from dataclasses import replace

from pydantic import Field

from devices.commands import CancelToken
from devices.id_reader.errors import CardRemoved, NoCard
from devices.id_reader.reader import EmrtdIdReader, EmrtdSettings
from devices.id_reader.result import IdDocument
from devices.id_reader.virtual_card.card import CardLeftField, VirtualEmrtd
from devices.id_reader.virtual_card.profiles import (CARD_FAULTS, PROFILES, EmrtdProfile,
                                                     make_card, simulator_pki)
from devices.model import DeviceIdentity
from devices.simulator import SimulatorError, SimulatorMixin
from kiosk.identity_validation import BacKeyInput, bac_key

DESCRIPTION = "simulated (in-process virtual card, no pcscd)"


class _InProcessConnection:
    def __init__(self, reader: "SimulatedIdReader", card: VirtualEmrtd,
                 token: CancelToken | None) -> None:
        self._reader, self._card, self._token = reader, card, token

    def transmit(self, apdu: bytes) -> bytes:
        self._reader.check_simulated_device(self._token)
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
        return self._reader._card_profile() is not None

    def connect(self) -> _InProcessConnection:
        self._reader.check_simulated_device()
        card = self._reader._card_for_read()
        if card is None:
            raise NoCard()
        return _InProcessConnection(self._reader, card, None)


class SimulatedIdReader(SimulatorMixin, EmrtdIdReader):
    backend = "simulated"
    faults = CARD_FAULTS

    class Settings(EmrtdSettings):
        profile: str = "resident_passport"
        card_present: bool = True
        photo_bytes: int = Field(default=20000, ge=1000, le=200_000)
        #: without a typed key, use the virtual card's own MRZ (as an MRZ scanner would)
        auto_access_key: bool = True

    settings: Settings

    def __init__(self, name: str, settings: "SimulatedIdReader.Settings | None" = None, *,
                 clock=None) -> None:
        super().__init__(name, settings, clock=clock)
        self._init_simulator()
        if self.settings.profile not in PROFILES:
            raise SimulatorError(f"unknown virtual card profile {self.settings.profile!r}; "
                                 f"known: {', '.join(PROFILES)}")
        self._profile_lock = threading.Lock()
        self._profile: EmrtdProfile | None = self._sized(PROFILES[self.settings.profile]) \
            if self.settings.card_present else None
        self._csca = self._csca if self._csca is not None else [simulator_pki().csca_cert]
        self._transport_ = _InProcessTransport(self)

    def _sized(self, profile: EmrtdProfile) -> EmrtdProfile:
        return replace(profile, photo_bytes=self.settings.photo_bytes)

    # --- scenario actions ----------------------------------------------------------

    def sim_insert_card(self, profile: str | None = None) -> None:
        name = profile or self.settings.profile
        if name not in PROFILES:
            raise SimulatorError(f"unknown virtual card profile {name!r}; "
                                 f"known: {', '.join(PROFILES)}")
        with self._profile_lock:
            self._profile = self._sized(PROFILES[name])
        self.submit("poll card", self._poll_card, timeout=None, internal=True)

    def sim_remove_card(self) -> None:
        self._card_left()
        self.submit("poll card", self._poll_card, timeout=None, internal=True)

    # --- backend ---------------------------------------------------------------------

    def _card_left(self) -> None:
        with self._profile_lock:
            self._profile = None

    def _card_profile(self) -> EmrtdProfile | None:
        with self._profile_lock:
            return self._profile

    def _card_for_read(self) -> VirtualEmrtd | None:
        profile = self._card_profile()
        if profile is None:
            return None
        fault = next((f for f in self.faults if self.take_fault(f)), None)
        return make_card(profile, simulator_pki(), fault=fault, max_read=self.settings.max_read)

    def _access_key(self, given: BacKeyInput | None) -> BacKeyInput:
        profile = self._card_profile()
        if given is None and self.settings.auto_access_key and profile is not None:
            return bac_key(*profile.access_key)
        return super()._access_key(given)

    def _read(self, token: CancelToken, access_key: BacKeyInput | None) -> IdDocument:
        self.check_simulated_device(token)
        return super()._read(token, access_key)

    def _open(self) -> DeviceIdentity:
        self.check_simulated_device()
        return DeviceIdentity(model=f"Virtual eMRTD card, {DESCRIPTION}", backend=self.backend,
                              port="in-process")

    def _transport(self) -> _InProcessTransport:
        return self._transport_

    def _detect_card(self) -> bool:
        self.check_simulated_device()
        return self._transport_.card_present()
