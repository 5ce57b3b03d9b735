"""Security findings about the identity-reader set-up, for `kiosk doctor`.

vsmartcard's vpcd driver listens on every network interface (TCP 35963/35964): anyone
on the network could present a forged card. It belongs on test machines only.
"""
from __future__ import annotations

from typing import Iterable

#: what pcscd calls a vsmartcard vpcd reader ("Virtual PCD 00 00")
VIRTUAL_READER_MARK = "Virtual PCD"


def is_virtual_reader(name: str) -> bool:
    return VIRTUAL_READER_MARK in name


def virtual_reader_finding(backends: Iterable[str]) -> str:
    """'' when fine; otherwise why `kiosk doctor` must fail.

    `backends`: the id_reader backends configured on this kiosk. A virtual reader is
    acceptable only when every one of them is `simulated`."""
    if all(backend == "simulated" for backend in backends):
        return ""
    try:
        from devices.id_reader.pcsc import virtual_readers
    except ImportError:  # no pyscard: no PC/SC, no vpcd reader to worry about
        return ""
    found = virtual_readers()
    if not found:
        return ""
    real = ", ".join(sorted(set(b for b in backends if b != "simulated")))
    return (f"pcscd offers the virtual reader(s) {', '.join(found)} while the id_reader "
            f"uses {real}: the vsmartcard vpcd driver accepts cards from anyone on the "
            "network (TCP 35963). Remove the vsmartcard-vpcd package (or "
            "/etc/reader.conf.d/vpcd) and restart pcscd")
