"""Fixtures of the identity-document reader tests: a test PKI, pcscd + vpcd, fixed randoms."""
from __future__ import annotations

from typing import Callable, Iterable

import pytest

from devices.id_reader.virtual_card.profiles import TestPki


@pytest.fixture(scope="session")
def pki() -> TestPki:
    """A CSCA and document signer made for this test run (ECDSA P-256)."""
    return TestPki.generate("ecdsa")


def fixed_random(*values: str) -> Callable[[int], bytes]:
    """A `random(n)` that returns the given hex values in order (replays of Appendix D)."""
    queue: list[bytes] = [bytes.fromhex(v) for v in values]

    def take(count: int) -> bytes:
        value = queue.pop(0)
        assert len(value) == count, f"asked for {count} random bytes, fixture has {len(value)}"
        return value
    return take


def pcscd_available() -> tuple[bool, str]:
    try:
        from devices.id_reader.pcsc import establish_context, virtual_readers
        from smartcard import scard
        context = establish_context()
        scard.SCardReleaseContext(context)
    except Exception as error:  # pyscard missing or pcscd down: say why
        return False, f"pcscd is not reachable ({error}); run scripts/services/pcscd.sh"
    if not virtual_readers():
        return False, "pcscd runs without the vpcd driver (install vsmartcard-vpcd)"
    # connecting to vpcd would insert a card: look at the listening sockets instead
    listening = _tcp_listening(35963)
    return (listening, "" if listening else "vpcd does not listen on 35963")


def _tcp_listening(port: int) -> bool:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines: Iterable[str] = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                return True
    return False
