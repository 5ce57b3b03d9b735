"""Every field the read document provides is filled in and marked on the form, for every
kind of document the reader returns (the device's result through the real adapter)."""
from __future__ import annotations

from datetime import date

import pytest

from devices.id_reader.result import FOREIGN_PERMANENT_RESIDENT, HMT_RESIDENCE_PERMIT, \
    PASSPORT, RESIDENT_ID, TRAVEL_PERMIT, IdDocument
from foundation.identity_validation import resident_id_check_char
from kiosk.journeys.adapters.documents import citizen_document
from kiosk.journeys.forms import check
from kiosk.journeys.ports import FaceOutcome
from tests.ui.conftest import tap


def _id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


BIRTH = date(1950, 3, 7)
#: what the reader returns -> the ID number the form must show ("" when it carries none)
DOCUMENTS = {
    "resident_id": (IdDocument(RESIDENT_ID, _id("11010519500307123"), name_zh="王小明",
                               birth_date=BIRTH), _id("11010519500307123")),
    "hong_kong_residence_permit": (IdDocument(HMT_RESIDENCE_PERMIT, _id("81000019500307123"),
                                              name_zh="陈大文", birth_date=BIRTH),
                                   _id("81000019500307123")),
    "taiwan_residence_permit": (IdDocument(HMT_RESIDENCE_PERMIT, _id("83000019500307123"),
                                           name_zh="林美玲", birth_date=BIRTH),
                                _id("83000019500307123")),
    "foreign_permanent_resident_2017": (IdDocument(FOREIGN_PERMANENT_RESIDENT,
                                                   "USA110050030701", name_latin="JOHN SMITH",
                                                   birth_date=BIRTH), ""),
    "passport": (IdDocument(PASSPORT, "E12345678", name_latin="ZHANG SAN", birth_date=BIRTH),
                 ""),
    "travel_permit": (IdDocument(TRAVEL_PERMIT, "C12345678", name_zh="张三",
                                 birth_date=BIRTH), ""),
}


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_the_form_shows_and_marks_what_the_document_gave(kiosk, qtbot, kind):
    device_result, id_number = DOCUMENTS[kind]
    document = citizen_document(device_result)
    kiosk.start("apply")
    item = next(i for i in kiosk.vm.services.catalogue.kiosk_items()
                if {f.prefill for f in i.form} >= {"name", "id_number"})
    kiosk.act("choose_item", item.task_code)
    kiosk.act("apply_now")
    tap(qtbot, kiosk.shell, "action_identify_choose_resident_id")
    kiosk.services.documents.last.set_result(document)
    tap(qtbot, kiosk.shell, "action_identify_accept_face_check")
    kiosk.services.face.last.set_result(FaceOutcome(True, True))
    assert kiosk.screen == "apply.form"
    fields = {f.prefill: f.id for f in item.form if f.prefill}
    expected = {"name": device_result.name, "id_number": id_number}
    for source, value in expected.items():
        field_id = fields[source]
        shown = kiosk.shell.find("field_" + field_id).property("text")
        label = kiosk.shell.find("label_" + field_id).property("text")
        assert shown == value, (kind, source)
        assert ("已根据证件填写" in label) == bool(value), (kind, source, label)
        if value:   # what was filled in passes the form's own check
            form_field = next(f for f in item.form if f.id == field_id)
            assert check(form_field, value, today=date(2026, 12, 5)) is None, (kind, source)

