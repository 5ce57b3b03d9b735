"""The parcels in SQLite: as durable as the outbox, one transaction per change, created and
migrated with sqlite-utils, the JSON file of an older release imported once."""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from kiosk.parcel_store import ADDITIVE_MIGRATIONS, MIGRATIONS, ParcelStore
from kiosk.pickup import ParcelState
from tests.foundation.newer_release import newer_release_step
from tests.kiosk.test_pickup import parcel


@pytest.fixture
def store(tmp_path):
    made = ParcelStore(tmp_path / "pickup" / "parcels.sqlite3")
    yield made
    made.close()


def test_durability_pragmas_and_schema_version(store):
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2          # FULL
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.db["parcels"].pks == ["parcel_id"]
    assert ["holder_hmac"] in [i.columns for i in store.db["parcels"].indexes]


def test_parcels_round_trip_and_save_replaces_the_set(store):
    first, second = parcel("P1", compartment=3), parcel("P2", compartment=4, case="K2")
    store.save([first, second])
    assert store.all() == {"P1": first, "P2": second}
    picked = replace(first, state=ParcelState.COLLECTED, verification="code")
    store.put(picked)
    assert store.all()["P1"] == picked
    store.save([picked])
    assert list(store.all()) == ["P1"]


def test_a_failed_change_leaves_the_parcels_as_they_were(store, monkeypatch):
    store.save([parcel("P1", compartment=3)])
    before = store.all()
    bad = replace(parcel("P2", compartment=4), case_number=None)     # NOT NULL
    with pytest.raises(Exception):
        store.save([parcel("P3", compartment=5), bad])
    assert store.all() == before                    # the DELETE was rolled back too


def test_a_parcel_written_survives_the_process_dying_at_once(tmp_path):
    path = tmp_path / "parcels.sqlite3"
    child = ("import os, sys\n"
             "from kiosk.parcel_store import ParcelStore\n"
             "from tests.kiosk.test_pickup import parcel\n"
             f"ParcelStore({str(path)!r}).put(parcel('P1', compartment=3))\n"
             "os._exit(9)  # no close, no flush: killed\n")
    assert subprocess.run([sys.executable, "-c", child], timeout=60).returncode == 9
    reopened = ParcelStore(path)
    try:
        assert reopened.all()["P1"].compartment == 3
    finally:
        reopened.close()


def test_the_json_file_of_an_older_release_is_imported_once(tmp_path):
    folder = tmp_path / "pickup"
    folder.mkdir()
    old = [parcel("P1", compartment=3), replace(parcel("P2", compartment=4),
                                                state=ParcelState.STORED)]
    (folder / "parcels.json").write_text(json.dumps([p.as_json() for p in old]), "utf-8")
    store = ParcelStore(folder / "parcels.sqlite3")
    try:
        assert store.all() == {p.parcel_id: p for p in old}
    finally:
        store.close()
    assert not (folder / "parcels.json").exists()
    assert (folder / "parcels.json.imported").exists()


def test_a_newer_schema_of_a_release_that_kept_no_compatibility_is_refused(tmp_path):
    import sqlite3
    path = tmp_path / "parcels.sqlite3"
    sqlite3.connect(path).execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    with pytest.raises(sqlite3.DatabaseError, match="cannot read; run the newer software"):
        ParcelStore(path)


def test_parcels_a_rolled_back_update_grew_by_an_additive_step_stay_usable(tmp_path):
    path = tmp_path / "parcels.sqlite3"
    store = ParcelStore(path)
    store.put(parcel("P1", compartment=3))
    store.close()
    newer_release_step(path, "ALTER TABLE parcels ADD COLUMN shelf TEXT", MIGRATIONS,
                       ADDITIVE_MIGRATIONS, additive=True)
    again = ParcelStore(path)  # the version the update was rolled back to
    try:
        assert again.all()["P1"].compartment == 3
        again.put(parcel("P2", compartment=4))
        assert set(again.all()) == {"P1", "P2"}
    finally:
        again.close()


def test_parcels_a_newer_release_changed_in_a_way_this_one_cannot_read_are_refused(tmp_path):
    import sqlite3
    path = tmp_path / "parcels.sqlite3"
    ParcelStore(path).close()
    newer_release_step(path, "ALTER TABLE parcels DROP COLUMN opened_by", MIGRATIONS,
                       ADDITIVE_MIGRATIONS, additive=False)
    with pytest.raises(sqlite3.DatabaseError, match="cannot read; run the newer software"):
        ParcelStore(path)


def test_a_store_of_the_previous_release_takes_parcels_assigned_by_size(tmp_path):
    import sqlite3
    path = tmp_path / "parcels.sqlite3"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE parcels (parcel_id TEXT PRIMARY KEY, case_number TEXT NOT NULL, "
                "compartment INTEGER NOT NULL, holder_hmac TEXT NOT NULL, code_hash TEXT NOT "
                "NULL, expires_at TEXT NOT NULL, items TEXT, state TEXT NOT NULL, deposited_at "
                "TEXT, picked_at TEXT, verification TEXT, open_purpose TEXT, opened_by TEXT, "
                "open_verification TEXT)")
    row = parcel("P1", compartment=3).as_json()
    row.update(items="[]", state="picked")
    del row["size"]
    old.execute(f"INSERT INTO parcels ({', '.join(row)}) VALUES "
                f"({', '.join('?' * len(row))})", list(row.values()))
    old.execute("PRAGMA user_version=2")
    old.commit()
    old.close()
    store = ParcelStore(path)
    try:
        assert store.all()["P1"].state is ParcelState.COLLECTED
        store.put(replace(parcel("P2", compartment=None), size="L",
                          state=ParcelState.ASSIGNED))
        assert store.all()["P2"].compartment is None and store.all()["P2"].size == "L"
    finally:
        store.close()
