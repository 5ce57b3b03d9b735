"""The demo catalogue: valid, rich enough, every item's form actually accepted by intake;
bad catalogues are refused before publishing."""
from __future__ import annotations

from pathlib import Path

import pytest

from district_server.catalogue import service
from district_server.settings import DEFAULT_CATALOGUE_DIR
from tests.district_server.kiosk_double import VALID_ID
from wire import v1

CATALOGUE = service.load_directory(DEFAULT_CATALOGUE_DIR)
UI_ITEMS = ["居住证申领", "房屋租赁合同登记备案", "医疗机构执业许可", "个体工商户设立登记", "食品经营许可",
            "残疾人证申领", "老年人优待证办理", "社会保险参保证明打印", "高龄津贴申请", "最低生活保障申请",
            "临时救助申请", "婚姻登记预约", "生育登记", "新生儿入户", "公共租赁住房申请", "犬只登记",
            "流动人员人事档案查询", "法律援助申请", "人才引进落户", "动物检疫证明"]


def test_demo_catalogue_has_the_district_items_free_of_charge():
    names = {item.name.zh for item in CATALOGUE.items}
    assert set(UI_ITEMS) <= names and len(CATALOGUE.items) >= 20
    for item in CATALOGUE.items:
        assert not item.fees, item.task_code                    # 零收费
        assert item.name.en and item.faq and item.synonyms and item.topics
    assert any(m.tolerance_allowed for i in CATALOGUE.items for m in i.materials)
    medical = next(i for i in CATALOGUE.items if i.name.zh == "医疗机构执业许可")
    assert next(m for m in medical.materials if m.id == "business_licence").tolerance_allowed


def test_the_kiosk_loader_reads_the_same_catalogue():
    from kiosk.catalogue import load_catalogue
    kiosk_view = load_catalogue(DEFAULT_CATALOGUE_DIR)
    assert [i.task_code for i in kiosk_view.items] == [i.task_code for i in CATALOGUE.items]


def sample_value(field: v1.FormField):
    if field.prefill == "name":
        return "王五"
    return {"text": "示例", "number": field.min_value if field.min_value is not None else 1,
            "date": "2026-12-01", "choice": field.choices[0].value if field.choices else None,
            "yes_no": False, "id_number": VALID_ID, "uscc": "91350100M000100Y43",
            "phone": "13800138000"}[field.kind]


def filled_application(item: v1.ServiceItem, blob: str) -> dict:
    materials = []
    for material in item.materials:
        if material.necessity == "required":
            materials.append({"code": material.id, "status": "provided", "blobs": [blob]})
    return {"service_code": item.task_code, "catalogue_version": CATALOGUE.version,
            "applicant": {"id_number": VALID_ID, "name": "王五"},
            "identity_method": "document+face",
            "form_data": {f.id: sample_value(f) for f in item.form},
            "materials": materials, "pickup_method": item.pickup_methods[0]}


def test_every_item_form_is_accepted_by_intake(kiosk):
    blob = kiosk.upload_blob(kiosk.encrypt_blob(b"scan"))
    for item in CATALOGUE.items:
        envelope = kiosk.envelope("submission", filled_application(item, blob), blobs=[blob])
        response = kiosk.put(envelope)
        assert response.status_code == 201, (item.task_code, response.text)


def broken(change) -> dict:
    data = CATALOGUE.model_dump(mode="json")
    change(data)
    return data


@pytest.mark.parametrize("change, problem", [
    (lambda d: d["items"][0].update(promised_limit={"days": 99}), "exceeds the legal limit"),
    (lambda d: d["items"][1].update(task_code=d["items"][0]["task_code"]), "unique"),
    (lambda d: d["items"][0].update(topics=["nowhere"]), "unknown topics"),
    (lambda d: d["items"][0]["materials"][0].update(tolerance_allowed=True,
                                                    max_supply_days=5), "tolerance_allowed"),
    (lambda d: d["items"][0].update(pickup_methods=["window"]), "locker"),
    (lambda d: d["items"][0]["form"].append(d["items"][0]["form"][0]), "form field ids"),
])
def test_invalid_catalogues_are_refused(change, problem):
    with pytest.raises(service.CatalogueInvalid, match=problem):
        service.validate(broken(change))


def test_a_version_is_never_reused_with_other_content(ctx):
    altered = v1.Catalogue.model_validate(broken(lambda d: d["items"][0].update(
        synonyms=["新词"])))
    with ctx.db.transaction() as session:
        assert service.store(session, CATALOGUE, now=ctx.now()) is False   # already there
        with pytest.raises(service.CatalogueInvalid, match="raise the version"):
            service.store(session, altered, now=ctx.now())


def test_missing_catalogue_file_is_reported(tmp_path: Path):
    with pytest.raises(service.CatalogueInvalid, match="no catalogue.yaml"):
        service.load_directory(tmp_path)
