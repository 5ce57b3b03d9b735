"""Rotating the district's payload key (`district-server keys --rotate-payload-key`, then a
restart) keeps an enrolled kiosk in the field delivering: what it sealed before the switch and
what it seals after, to the key it was enrolled with, both decrypt."""
from __future__ import annotations

import json

import pytest

from district_server.cli import main as district_server
from offline_queue.store import DELIVERED
from offline_queue.testing.faultproxy import FaultProxy
from tests.offline_queue.test_sync_faults import make_kiosk


@pytest.fixture
def kiosk(district, tmp_path, test_clock):
    with FaultProxy("127.0.0.1", district.port) as proxy:
        yield make_kiosk(district, proxy, tmp_path / "kiosk", test_clock)


def rotate_payload_key(district, capsys) -> list[str]:
    capsys.readouterr()
    assert district_server(["--data-dir", str(district.data_dir), "keys",
                            "--rotate-payload-key"]) == 0
    return json.loads(capsys.readouterr().out)["payload_key_ids"]


def test_a_kiosk_keeps_delivering_across_a_payload_key_rotation(kiosk, district, capsys):
    first = kiosk.submit(1)
    assert kiosk.worker.sync_once().ok
    queued_at_the_switch = kiosk.submit(2)  # sealed to the key it was enrolled with

    assert len(rotate_payload_key(district, capsys)) == 2  # the old key is kept
    district.restart()

    sealed_after = kiosk.submit(3)
    assert kiosk.sync_until_ok().ok
    for item_id in (first, queued_at_the_switch, sealed_after):
        assert kiosk.outbox.get(item_id).state == DELIVERED
    rows = district.submission_ids(kiosk.identity.kiosk_id)
    assert sorted(seq for _sid, seq in rows) == [1, 2, 3]  # each once
