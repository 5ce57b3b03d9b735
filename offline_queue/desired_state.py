"""The desired state pushed by the district: verified, staged, applied atomically, N-1 kept.

Files in `<queue dir>/desired/`: `staged.json` (fetched and verified, waiting for a moment
with no citizen session), `current.json` (applied) and `previous.json` (the version before,
for `rollback`). Each is a `SignedDesiredState` written durably; a crash between the
steps of `apply_staged` leaves a state that applying again completes. The catalogue a
state names is kept beside them as `catalogues/<sha256>.json`, the exact bytes whose
hash the signed state carries; a state is staged only once its catalogue is here.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from offline_queue.blobstore import sha256_hex
from offline_queue.fileio import fsync_directory, write_durably
from offline_queue.seal import verify_signed
from wire.v1 import DesiredState, SignedDesiredState, signed_message

Listener = Callable[[DesiredState], None]


class DesiredStateRejected(ValueError):
    """A bundle that must not be applied (bad signature, a catalogue that does not match)."""


class DesiredStateUnsigned(DesiredStateRejected):
    """A bundle that no district key this kiosk trusts signed."""


class DesiredStateStore:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory) / "desired"
        self.catalogues = self.directory / "catalogues"
        self.catalogues.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def _path(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def _read(self, name: str) -> SignedDesiredState | None:
        path = self._path(name)
        if not path.exists():
            return None
        return SignedDesiredState.model_validate_json(path.read_bytes())

    def current(self) -> DesiredState | None:
        signed = self._read("current")
        return signed.state if signed else None

    def previous(self) -> DesiredState | None:
        signed = self._read("previous")
        return signed.state if signed else None

    def staged(self) -> DesiredState | None:
        signed = self._read("staged")
        return signed.state if signed else None

    def rolled_back_version(self) -> int:
        """The newest version taken back by `rollback`: never staged again."""
        path = self.directory / "rolled_back_version"
        return int(path.read_text()) if path.exists() else 0

    def catalogue_path(self, state: DesiredState) -> Path:
        """Where the catalogue of `state` is (canonical JSON of wire.v1.Catalogue)."""
        return self.catalogues / f"{state.catalogue_sha256}.json"

    def store_catalogue(self, state: DesiredState, body: bytes) -> Path:
        """Keep the catalogue bytes fetched for `state` when they hash to what it signed."""
        if sha256_hex(body) != state.catalogue_sha256:
            raise DesiredStateRejected(f"catalogue {state.catalogue_version} does not match "
                                       "the sha256 in the signed desired state")
        path = self.catalogue_path(state)
        write_durably(path, body, mode=0o644)
        return path

    def on_applied(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def stage(self, body: bytes, verify_key: Ed25519PublicKey) -> bool:
        """Keep a verified bundle (a SignedDesiredState's bytes as received) for the next quiet
        moment; False when it is not newer. The bytes are kept as they came, so fields this
        release does not know stay signed and readable by the release that knows them."""
        try:
            raw = json.loads(body)
            signed = SignedDesiredState.model_validate(raw)
        except ValueError as error:  # pydantic's ValidationError is a ValueError too
            raise DesiredStateRejected(f"desired state is not a signed desired state: "
                                       f"{error}") from None
        if not verify_signed(signed_message(raw, "state"), signed.signature_b64, verify_key):
            raise DesiredStateUnsigned(f"desired state version {signed.state.version}: the "
                                       "district signature does not verify")
        with self._lock:
            newest = max((s.version for s in (self.current(), self.staged()) if s), default=0)
            if signed.state.version <= max(newest, self.rolled_back_version()):
                return False
            if not self.catalogue_path(signed.state).exists():
                raise DesiredStateRejected(f"desired state version {signed.state.version}: "
                                           "its catalogue has not been fetched")
            write_durably(self._path("staged"), body)
            return True

    def apply_staged(self, session_active: Callable[[], bool]) -> DesiredState | None:
        """Apply the staged bundle unless a citizen session is open; return what was applied."""
        with self._lock:
            staged = self._path("staged")
            if not staged.exists() or session_active():
                return None
            current = self._path("current")
            if current.exists():
                write_durably(self._path("previous"), current.read_bytes())
            os.replace(staged, current)
            fsync_directory(self.directory)
            self._drop_unused_catalogues()
            state = self.current()
        assert state is not None
        for listener in self._listeners:
            listener(state)
        return state

    def _drop_unused_catalogues(self) -> None:
        kept = {self.catalogue_path(s).name for s in (self.current(), self.previous(),
                                                       self.staged()) if s}
        for path in self.catalogues.iterdir():
            if path.name not in kept:
                path.unlink()

    def rollback(self) -> DesiredState | None:
        """Go back to the previous version (N-1); None when there is none. The version taken
        back is not applied again; the district publishes a newer one to move on."""
        with self._lock:
            previous = self._path("previous")
            if not previous.exists():
                return None
            undone = self.current()
            if undone is not None:
                write_durably(self.directory / "rolled_back_version", str(undone.version).encode())
            os.replace(previous, self._path("current"))
            fsync_directory(self.directory)
            state = self.current()
        assert state is not None
        for listener in self._listeners:
            listener(state)
        return state
