"""`district-server backup` on SQLite and PostgreSQL: a copy, and the signed backup
watermark receipts pages carry to kiosks that ask for it."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from district_server.backups.service import BackupFailed, take_backup
from tests.district_server.conftest import enrolled_kiosk
from wire import v1

RATING = {"level": 5, "indicator_set_version": "v", "rated_at": "2026-11-26T10:00:00Z"}


@pytest.fixture
def kiosk(ctx, client):
    return enrolled_kiosk(ctx, client)


def _receipts(kiosk, **headers):
    return kiosk.request("GET", f"/v1/kiosks/{kiosk.kiosk_id}/receipts?after_seq=0",
                         headers=headers)


def test_backup_copies_the_database_and_records_a_signed_watermark(kiosk, ctx, tmp_path):
    for _ in range(2):
        assert kiosk.put(kiosk.envelope("rating", RATING)).status_code == 201
    real_now = ctx.now
    ctx.now = lambda: real_now() + timedelta(minutes=10)  # past PostgreSQL's commit margin
    try:
        manifest = take_backup(ctx, tmp_path / "backup")
    finally:
        ctx.now = real_now
    assert manifest["backed_up_through"] == 2
    copy = "district.db" if manifest["database"] == "sqlite" else "district.pgdump"
    assert (tmp_path / "backup" / copy).stat().st_size > 0

    asked = _receipts(kiosk, **{v1.HEADER_FEATURES: v1.FEATURE_BACKUP_WATERMARK})
    page = v1.ReceiptsPage.model_validate_json(asked.content)
    assert page.backup.watermark.backed_up_through == 2
    assert kiosk.verify_district_signature(page.backup.watermark, page.backup.signature_b64)
    # a kiosk that did not ask (the previous release refuses unknown fields) gets none
    assert "backup" not in json.loads(_receipts(kiosk).content)
    with pytest.raises(BackupFailed, match="not empty"):
        take_backup(ctx, tmp_path / "backup")
