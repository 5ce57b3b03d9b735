"""Drive a journey through an item generically: fill every field with a valid value,
supply every material (reuse, defer, scan, whichever applies), sign, submit."""
from __future__ import annotations

from typing import Callable

from kiosk.catalogue import FieldKind, FormField, ServiceItem
from kiosk.journeys.apply import ApplyJourney, ApplyState
from tests.kiosk.journeys.fakes import SIGNATURE, identify_with_card, scanned

VALID = {FieldKind.TEXT: "测试内容", FieldKind.NUMBER: None, FieldKind.DATE: "2027-01-05",
         FieldKind.ID_NUMBER: "110105195001010039", FieldKind.USCC: "91350100M000100Y43",
         FieldKind.PHONE: "13812345678", FieldKind.YES_NO: "yes"}


def valid_value(form_field: FormField) -> str:
    if form_field.kind is FieldKind.CHOICE:
        return form_field.choices[0].value
    if form_field.kind is FieldKind.NUMBER:
        low = form_field.min_value if form_field.min_value is not None else 1
        return str(int(low) if float(low).is_integer() else low)
    return VALID[form_field.kind]


def apply_item(services, item: ServiceItem,
               at_receipt: Callable[[ApplyJourney], None] | None = None,
               signature: bytes = SIGNATURE) -> dict:
    """Apply for `item`; `at_receipt` looks at the receipt screen before the session ends
    (a printed commitment letter needs a `signature` that is a real image)."""
    journey = ApplyJourney(services)
    journey.choose_item(item.task_code)
    journey.apply_now()
    identify_with_card(journey.identify)
    assert journey.state is ApplyState.FORM, journey.problem
    while journey.state is ApplyState.FORM:
        _label, fields = journey.form_pages()[journey.page]
        for form_field in fields:
            if form_field.id not in journey.prefilled or not journey.values.get(form_field.id):
                journey.set_value(form_field.id, valid_value(form_field))
        journey.next_page()
        assert not journey.errors, (item.task_code, journey.errors)
    if journey.state is ApplyState.MATERIALS:
        for material_id, entry in journey.materials.items():
            certificates = journey.certificates_for(entry.material)
            if certificates:
                journey.use_on_file(material_id, certificates[0].certificate_id)
            elif entry.material.tolerance_allowed:
                journey.defer(material_id)
            else:
                journey.start_scan(material_id)
                services.scanner.last.set_result(scanned())
        journey.materials_done()
    if journey.state is ApplyState.COMMITMENT:
        journey.sign(signature)
        journey.choose_channel("upload")
        journey.agree()
    assert journey.state is ApplyState.REVIEW, (item.task_code, journey.state, journey.problem)
    payload, _blobs = journey.build_submission()
    journey.submit()
    assert journey.state is ApplyState.RECEIPT, (item.task_code, journey.problem)
    assert journey.case_number
    if at_receipt is not None:
        at_receipt(journey)
    journey.finish()
    assert journey.personal_data_present() == []
    return payload
