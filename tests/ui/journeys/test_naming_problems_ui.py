"""An error names what is missing ("还缺：营业执照"), and the words match the look (the
notes are marked ⚠, not called "red")."""
from __future__ import annotations

from kiosk.catalogue import Necessity
from kiosk.journeys.ports import FaceOutcome
from tests.ui.journeys.walk_ui import fill_the_form, to_face_check
from tests.ui.conftest import tap
from ui.journeys.texts import PROBLEMS


def _to_form(kiosk, item):
    to_face_check(kiosk, item)
    kiosk.services.face.last.set_result(FaceOutcome(True, True))
    assert kiosk.screen == "apply.form"


def test_the_form_and_the_materials_name_what_is_still_missing(kiosk, qtbot):
    kiosk.start("apply")
    item = next(i for i in kiosk.vm.services.catalogue.kiosk_items()
                if any(m.necessity is Necessity.REQUIRED for m in i.materials)
                and any(f.required and not f.prefill for f in i.form))
    _to_form(kiosk, item)
    journey = kiosk.vm.journey
    while True:   # to the first page with a required answer the document could not give
        _label, fields = journey.form_pages()[journey.page]
        empty = [f for f in fields if f.required and not journey.values.get(f.id)]
        if empty:
            break
        tap(qtbot, kiosk.shell, "form_next")
    tap(qtbot, kiosk.shell, "form_next")
    said = kiosk.shell.find("form_problem").property("text")
    assert said.startswith("⚠ 还要填写或修改：")
    assert all(f.label.zh in said for f in empty), said
    assert "⚠" in kiosk.shell.find("error_" + empty[0].id).property("text")
    fill_the_form(kiosk, qtbot)
    assert kiosk.screen == "apply.materials"
    tap(qtbot, kiosk.shell, "materials_done")
    said = kiosk.shell.find("materials_problem").property("text")
    required = [m.name.zh for m in item.materials if m.necessity is Necessity.REQUIRED
                and not journey.materials[m.id].done]
    assert said.startswith("⚠ 还缺：" + "、".join(required)), said
    kiosk.shell.shell.setLanguage("en_US")
    kiosk.shell.settle()
    assert "Still missing: " in kiosk.shell.find("materials_problem").property("text")


def test_no_problem_text_calls_a_colour_the_screen_does_not_show():
    for code, words in PROBLEMS.items():
        assert "红色" not in words["zh"] and " red" not in words["en"], code
