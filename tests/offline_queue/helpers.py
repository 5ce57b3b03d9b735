"""Shared pieces of the offline-queue tests: payloads (keys: offline_queue.testing)."""
from __future__ import annotations

from pathlib import Path

from foundation.clock import SystemClock
from offline_queue.identity import KioskIdentity
from offline_queue.store import Outbox
from offline_queue.sync import SyncSettings, SyncWorker
from offline_queue.testing.district_keys import District, enrol  # noqa: F401 (re-export)
from offline_queue.transport import SignedTransport
from tests.offline_queue.catalogue import SERVICE, VERSION


def application(n: int, pages: int = 0) -> dict:
    """An application payload; its material names `pages` attachments blob:page<i>."""
    materials = [{"code": "id_card", "status": "provided",
                  "blobs": [f"blob:page{i}" for i in range(pages)]}] if pages else []
    return {"service_code": SERVICE, "catalogue_version": VERSION,
            "applicant": {"id_number": "11010519491231002X", "name": "测试"},
            "identity_method": "document+face", "form_data": {"n": n},
            "pickup_method": "window", "materials": materials}


def audit(n: int, at: str = "2026-11-26T09:00:00Z") -> dict:
    return {"action": f"test_{n}", "actor": "system", "at": at}


def sync_worker(outbox: Outbox, queue: Path, server_url: str,
                timeout_s: float = 30) -> SyncWorker:
    """The sync worker of the kiosk enrolled in `queue`, on the system clock, keeping
    delivered items (the fault tests compare them with the server's rows)."""
    clock = SystemClock()
    identity = KioskIdentity.load(queue)
    transport = SignedTransport(server_url, identity.kiosk_id, identity.signing_key,
                                clock=clock, timeout_s=timeout_s)
    return SyncWorker(outbox, transport, identity, clock=clock,
                      settings=SyncSettings(delivered_retention_s=10 * 365 * 86400.0))


def duplicates_on_server(rows: list[tuple[str, int]]) -> int:
    """Extra rows among the server's (submission_id, kiosk_seq) rows of one kiosk: each id
    and each kiosk_seq must appear once."""
    ids, seqs = [sid for sid, _ in rows], [seq for _, seq in rows]
    return len(ids) - len(set(ids)) + len(seqs) - len(set(seqs))
