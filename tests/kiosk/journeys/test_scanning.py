"""Pages and signatures sealed as they are captured (kiosk/journeys/scanning.py)."""
from __future__ import annotations

from kiosk.journeys.scanning import CaptureSeals
from tests.kiosk.journeys.fakes import FakeSink, HeldWork, make_services


def test_captures_are_sealed_on_the_background_runner_and_sent_sealed(catalogue, test_clock):
    services = make_services(catalogue, test_clock, background=HeldWork())
    seals = CaptureSeals(services)
    seals.seal(b"page one")
    seals.seal(b"page two")
    assert len(seals) == 0                      # queued for the background runner, not done
    services.background.run()
    sent = seals.attachments({"blob:a": b"page one", "blob:b": b"page two"})
    # sealed when captured; one whose sealing has not run yet goes plaintext (the sink seals)
    assert sent == {"blob:a": FakeSink().seal(b"page one"), "blob:b": b"page two"}


def test_a_retaken_page_is_sent_as_its_own_sealed_copy(catalogue, test_clock):
    services = make_services(catalogue, test_clock)
    seals = CaptureSeals(services)
    seals.seal(b"blurred page")
    seals.seal(b"retaken page")
    assert seals.attachments({"blob:a": b"retaken page"}) == {
        "blob:a": FakeSink().seal(b"retaken page")}


def test_a_wiped_journey_gives_up_its_sealed_copies_even_one_still_being_sealed(
        catalogue, test_clock):
    services = make_services(catalogue, test_clock, background=HeldWork())
    seals = CaptureSeals(services)
    seals.seal(b"page one")
    seals.seal(b"page two")
    services.background.run()
    seals.discard()
    assert services.events.discarded == [b"page one"] and len(seals) == 0
    services.background.run()                   # sealed after the wipe: given up at once
    assert services.events.discarded == [b"page one", b"page two"] and len(seals) == 0
