"""Every dead end offers a way on: check and try again where that can help, call staff."""
from __future__ import annotations

import pytest

from kiosk.journeys.ports import FaceOutcome
from tests.kiosk.journeys.fakes import RESIDENT, FakeCitizen, FakeDesk
from tests.ui.conftest import tap


def _nothing_by_card(kiosk, qtbot):
    kiosk.start("pickup")
    tap(qtbot, kiosk.shell, "action_choose_identify")
    tap(qtbot, kiosk.shell, "action_identify_choose_resident_id")
    kiosk.services.documents.last.set_result(RESIDENT)
    tap(qtbot, kiosk.shell, "action_identify_accept_face_check")
    kiosk.services.face.last.set_result(FaceOutcome(True, True))
    kiosk.shell.settle()


def test_nothing_to_collect_offers_trying_again_and_staff(make_kiosk, qtbot):
    kiosk = make_kiosk(pickup=FakeDesk([]))
    _nothing_by_card(kiosk, qtbot)
    assert kiosk.screen == "pickup.nothing"
    body = kiosk.shell.find("message_body").property("text")
    assert "取件码" in body and "查询" in body    # what to check, where else to look
    tap(qtbot, kiosk.shell, "action_call_staff")
    assert kiosk.shell.shell.property("helpShown")
    kiosk.shell.shell.closeHelp()
    tap(qtbot, kiosk.shell, "action_try_again")
    assert kiosk.screen == "pickup.choose_method"


@pytest.mark.parametrize("journey, overrides, screen", [
    ("pickup", {"pickup": FakeDesk(usable=False)}, "pickup.unavailable"),
    ("ticket", {"citizen": FakeCitizen(online=False)}, "ticket.unavailable"),
])
def test_a_service_that_is_down_offers_staff_help(make_kiosk, qtbot, journey, overrides,
                                                  screen):
    kiosk = make_kiosk(**overrides)
    kiosk.start(journey)
    if journey == "ticket":
        tap(qtbot, kiosk.shell, "action_choose_ticket")
    kiosk.shell.settle()
    assert kiosk.screen == screen
    tap(qtbot, kiosk.shell, "action_call_staff")
    assert kiosk.shell.shell.property("helpShown")
