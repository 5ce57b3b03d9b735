"""Shared pieces of the offline-queue tests: payloads (keys: offline_queue.testing)."""
from __future__ import annotations

from offline_queue.testing.district_keys import District, enrol  # noqa: F401 (re-export)
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
