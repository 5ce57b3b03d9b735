"""Desired state: verified, staged, applied only between sessions, N-1 kept for rollback."""
from __future__ import annotations

import base64

import pytest

from offline_queue.desired_state import DesiredStateRejected, DesiredStateStore
from tests.offline_queue.helpers import District
from wire.v1 import DesiredState, SignedDesiredState, canonical_json, sha256_hex


def catalogue_bytes(version: int) -> bytes:
    return b'{"version":"%d"}' % version


def signed(district: District, version: int) -> SignedDesiredState:
    state = DesiredState(version=version, catalogue_version=str(version),
                         catalogue_sha256=sha256_hex(catalogue_bytes(version)),
                         config={"kiosk.elder_mode": True},
                         locker_assignments=[], cohort="default", min_app_version="0.1.0",
                         holder_hmac_key_id="h1")
    return SignedDesiredState(state=state, signature_b64=base64.b64encode(
        district.receipt_key.sign(canonical_json(state))).decode())


@pytest.fixture
def district():
    return District.generate()


def body(bundle: SignedDesiredState) -> bytes:
    """The bundle as the server sends it."""
    return bundle.model_dump_json().encode()


def fetched(store: DesiredStateStore, bundle: SignedDesiredState) -> bytes:
    store.store_catalogue(bundle.state, catalogue_bytes(bundle.state.version))
    return body(bundle)


def test_apply_waits_for_no_session_and_keeps_previous(tmp_path, district):
    store = DesiredStateStore(tmp_path)
    key = district.receipt_key.public_key()
    applied = []
    store.on_applied(applied.append)
    assert store.stage(fetched(store, signed(district, 1)), key)
    assert store.apply_staged(lambda: True) is None  # a citizen is using the kiosk
    assert store.current() is None
    assert store.apply_staged(lambda: False).version == 1
    assert store.stage(fetched(store, signed(district, 2)), key)
    store.apply_staged(lambda: False)
    assert (store.current().version, store.previous().version) == (2, 1)
    assert [s.version for s in applied] == [1, 2]


def test_rollback_returns_to_n_minus_1_and_never_reapplies_n(tmp_path, district):
    store = DesiredStateStore(tmp_path)
    key = district.receipt_key.public_key()
    for version in (1, 2):
        store.stage(fetched(store, signed(district, version)), key)
        store.apply_staged(lambda: False)
    assert store.rollback().version == 1
    assert not store.stage(fetched(store, signed(district, 2)), key)
    assert store.stage(fetched(store, signed(district, 3)), key)


def test_bad_signature_and_old_versions_are_refused(tmp_path, district):
    store = DesiredStateStore(tmp_path)
    key = district.receipt_key.public_key()
    with pytest.raises(DesiredStateRejected, match="signature"):
        store.stage(body(signed(District.generate(), 5)), key)
    store.stage(fetched(store, signed(district, 5)), key)
    store.apply_staged(lambda: False)
    assert not store.stage(fetched(store, signed(district, 4)), key)
    assert store.current().version == 5


def test_catalogue_must_match_the_signed_hash_and_be_present(tmp_path, district):
    store = DesiredStateStore(tmp_path)
    bundle = signed(district, 1)
    with pytest.raises(DesiredStateRejected, match="not been fetched"):
        store.stage(body(bundle), district.receipt_key.public_key())
    with pytest.raises(DesiredStateRejected, match="does not match"):
        store.store_catalogue(bundle.state, b'{"version":"tampered"}')
    path = store.store_catalogue(bundle.state, catalogue_bytes(1))
    assert store.stage(body(bundle), district.receipt_key.public_key())
    assert store.apply_staged(lambda: False).version == 1
    assert path.read_bytes() == catalogue_bytes(1)


def test_only_catalogues_of_current_and_previous_are_kept(tmp_path, district):
    store = DesiredStateStore(tmp_path)
    key = district.receipt_key.public_key()
    for version in (1, 2, 3):
        store.stage(fetched(store, signed(district, version)), key)
        store.apply_staged(lambda: False)
    kept = sorted(p.name for p in store.catalogues.iterdir())
    assert kept == sorted(f"{store.current().catalogue_sha256}.json" if v == 3 else
                          f"{store.previous().catalogue_sha256}.json" for v in (2, 3))
