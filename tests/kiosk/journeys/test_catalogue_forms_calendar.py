from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from kiosk.catalogue import CatalogueError, FieldKind, FormField, Text, catalogue_from_mapping, \
    load_catalogue
from kiosk.journeys.forms import check, prefill_value, typed_value
from kiosk.journeys.identify import mrz_key_from_code
from tests.kiosk.journeys.fakes import RESIDENT

def text(zh: str) -> dict[str, str]:
    return {"zh": zh, "en": zh}


ITEM = {"task_code": "T1", "catalog_code": "T", "name": text("事项"), "item_type": "公共服务",
        "department": text("局"), "legal_basis": [text("依据")], "project_type": "commitment",
        "legal_limit": {"days": 5}, "promised_limit": {"days": 3}, "visits_required": 0,
        "channels": [{"type": "kiosk"}], "tongban_scope": "district",
        "pickup_methods": ["window"], "queue_category": "general",
        "form": [{"id": "name", "label": text("姓名")}]}
QUEUES = [{"id": "general", "name": text("综合窗口"), "prefix": "Z"}]


def test_the_demo_catalogue_loads_with_its_topics_and_calendar():
    demo = load_catalogue()
    assert len(demo.items) >= 20 and demo.topics and demo.life_events
    assert all(item.free for item in demo.items)      # 零收费
    for item in demo.items:
        for category in (*item.topics, *item.life_events):
            assert demo.in_category(category)


@pytest.mark.parametrize("change, problem", [
    ({"items": [ITEM, ITEM]}, "task_codes must be unique"),
    ({"items": [{**ITEM, "topics": ["nowhere"]}]}, "unknown topics"),
    ({"items": [{**ITEM, "materials": [{"id": "m", "name": text("材料"),
                                        "tolerance_allowed": True}]}]}, "max_supply_days"),
    ({"items": [{**ITEM, "tolerance_allowed": False, "materials": [
        {"id": "m", "name": text("材料"), "tolerance_allowed": True, "max_supply_days": 3}]}]},
     "commitment_template"),
    ({"items": [{**ITEM, "form": [{"id": "a", "label": text("A"), "kind": "choice"}]}]},
     "choices"),
    ({"items": [{**ITEM, "legal_basis": []}]}, "legal_basis"),   # what the district refuses
])
def test_bad_catalogue_data_is_named(change, problem):
    with pytest.raises(CatalogueError, match=problem):
        catalogue_from_mapping({"version": "x", "queue_categories": QUEUES, **change})


def test_a_missing_catalogue_file_is_named(tmp_path):
    with pytest.raises(CatalogueError, match="no catalogue"):
        load_catalogue(tmp_path)
    (tmp_path / "catalogue.yaml").write_text("version: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid yaml"):
        load_catalogue(tmp_path)


def field(kind, **extra):
    return FormField(id="f", label=Text(zh="年龄", en="Age"), kind=kind, **extra)


@pytest.mark.parametrize("form_field, raw, ok", [
    (field(FieldKind.TEXT), "", False),
    (field(FieldKind.TEXT, required=False), "", True),
    (field(FieldKind.NUMBER, min_value=0, max_value=120), "abc", False),
    (field(FieldKind.NUMBER, min_value=0, max_value=120), "121", False),
    (field(FieldKind.NUMBER, min_value=0, max_value=120), "42", True),
    (field(FieldKind.DATE), "2026-13-01", False),
    (field(FieldKind.DATE), "2026-12-01", True),
    (field(FieldKind.ID_NUMBER), "11010519491231002X", True),
    (field(FieldKind.ID_NUMBER), "110105194912310021", False),
    (field(FieldKind.ID_NUMBER), "1101051949", False),
    (field(FieldKind.USCC), "91350100M000100Y43", True),
    (field(FieldKind.USCC), "91350100M000100Y4Z", False),
    (field(FieldKind.PHONE), "13812345678", True),
    (field(FieldKind.PHONE), "23812345678", False),
    (field(FieldKind.YES_NO), "maybe", False),
    (field(FieldKind.TEXT, max_length=3), "太长的文字", False),
])
def test_plain_word_checks(form_field, raw, ok):
    problem = check(form_field, raw, today=date(2026, 11, 26))
    assert (problem is None) is ok
    if problem is not None:
        assert problem.zh and problem.en and "error" not in problem.en.lower()


def test_typed_values_and_prefill():
    assert typed_value(field(FieldKind.NUMBER), "3") == 3
    assert typed_value(field(FieldKind.NUMBER), "2.5") == 2.5
    assert typed_value(field(FieldKind.YES_NO), "no") is False
    assert typed_value(field(FieldKind.USCC), "91350100m000100y43") == "91350100M000100Y43"
    assert prefill_value(FormField(id="n", label=Text(zh="姓名", en="Name"), prefill="name"),
                         RESIDENT) == "王小明"
    assert prefill_value(FormField(id="b", label=Text(zh="生日", en="Birth date"), prefill="birth_date"),
                         RESIDENT) == "1949-12-31"


@settings(max_examples=2000, deadline=None)
@given(st.text(max_size=120))
def test_any_scanned_code_gives_a_key_or_a_clear_error(text):
    try:
        key = mrz_key_from_code(text)
    except ValueError:
        return
    assert key.document_number and len(key.birth_date) == 6 and len(key.expiry_date) == 6
