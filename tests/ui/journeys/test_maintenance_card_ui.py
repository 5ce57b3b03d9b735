"""The staff card sign-in on the real shell: the button on the entry screen, the card read,
the face check with the camera picture and neither attempts nor a call for staff, one
refusal that never says whether the card or the face failed, then the menu."""
from __future__ import annotations

import numpy as np

from kiosk.journeys.ports import FaceOutcome
from tests.kiosk.journeys.fakes import RESIDENT, FakeMaintenance, HeldWork
from tests.ui.conftest import tap
from tests.ui.test_shell import texts


def screen_becomes(qtbot, kiosk, name: str) -> None:
    qtbot.waitUntil(lambda: kiosk.screen == name)
    kiosk.shell.settle()


def test_the_card_then_the_face_sign_in_and_a_refusal_names_neither(make_kiosk, qtbot):
    kiosk = make_kiosk(maintenance=FakeMaintenance(), background=HeldWork())
    kiosk.start("maintenance")
    assert kiosk.screen == "maintenance.sign_in"
    for attempt, outcome in enumerate((FaceOutcome(False, True, "no_match"),
                                       FaceOutcome(True, True))):
        tap(qtbot, kiosk.shell, "action_use_card")
        screen_becomes(qtbot, kiosk, "maintenance.read_card")
        assert "请将您的身份证放在下方读卡区" in texts(kiosk.shell)
        kiosk.services.documents.last.set_result(RESIDENT)
        screen_becomes(qtbot, kiosk, "maintenance.face_check")
        assert kiosk.services.face.reference == RESIDENT.photo   # against the card's photo
        kiosk.services.face.preview = lambda: np.full((480, 640, 3), 128, np.uint8)
        qtbot.waitUntil(lambda: kiosk.vm.preview != "")
        kiosk.shell.settle()
        assert kiosk.shell.find("face_preview") is not None
        assert kiosk.shell.find("action_identify_call_staff") is None   # staff help others
        assert "共可试" not in texts(kiosk.shell)
        kiosk.services.face.last.set_result(outcome)
        screen_becomes(qtbot, kiosk, "maintenance.checking")
        kiosk.services.background.run()
        if attempt == 0:
            screen_becomes(qtbot, kiosk, "maintenance.sign_in")
            shown = texts(kiosk.shell)
            assert "未能通过证件和人脸核验。" in shown
            assert "人脸不匹配" not in shown and "证件不正确" not in shown
    screen_becomes(qtbot, kiosk, "maintenance.menu")
    assert "维护模式（技术人员）" in texts(kiosk.shell)
    assert kiosk.vm.journey.staff_id == "T001"
