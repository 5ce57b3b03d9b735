import pytest
from hypothesis import given, settings, strategies as st

from kiosk.search import SearchIndex, edit_distance


@pytest.fixture(scope="module")
def index(catalogue):
    return SearchIndex(catalogue)


def top(index, query, **kw):
    hits = index.search(query, **kw)
    assert hits, f"nothing found for {query!r}"
    return hits[0]


@pytest.mark.parametrize("query, code", [
    ("居住证", "T-JZZ-001"),
    ("犬只", "T-QZDJ-002"),
    ("生活保障", "T-DB-003"),
    ("执业许可", "T-YLJG-004"),
    ("参保证明", "T-SBZM-005"),
])
def test_chinese_substring_finds_the_item(index, query, code):
    hit = top(index, query, kinds=("item",))
    assert hit.item.task_code == code and hit.matched_by == "chinese"


def test_a_whole_chinese_question_without_spaces_finds_the_item(index):
    assert top(index, "我想办居住证怎么弄", kinds=("item",)).item.task_code == "T-JZZ-001"


@pytest.mark.parametrize("query, code", [
    ("jzz", "T-JZZ-001"), ("JZZSL", "T-JZZ-001"), ("qzdj", "T-QZDJ-002"),
    ("zdshbz", "T-DB-003"), ("juzhuzheng", "T-JZZ-001"), ("ylj", "T-YLJG-004"),
])
def test_pinyin_initials_and_full_pinyin(index, query, code):
    hit = top(index, query, kinds=("item",))
    assert hit.item.task_code == code and hit.matched_by == "pinyin"


@pytest.mark.parametrize("query, code", [
    ("狗证", "T-QZDJ-002"), ("我要办低保", "T-DB-003"), ("暂住证", "T-JZZ-001"),
    ("开诊所", "T-YLJG-004"),
])
def test_synonyms(index, query, code):
    hit = top(index, query, kinds=("item",))
    assert hit.item.task_code == code and hit.matched_by == "synonym"


@pytest.mark.parametrize("query, code", [
    ("residnce permit", "T-JZZ-001"),     # typo: missing letter
    ("dgo registration", "T-QZDJ-002"),   # transposition
    ("medical licence", "T-YLJG-004"),
    ("subsistance allowance", "T-DB-003"),  # wrong vowel
    ("wellfare", "T-DB-003"),             # typo of a synonym
])
def test_english_with_typos(index, query, code):
    assert top(index, query, kinds=("item",)).item.task_code == code


def test_faq_answers_questions(index):
    hit = top(index, "收费", kinds=("faq",))
    assert "免费" in hit.faq.answer.zh
    hit = top(index, "how long residence permit", kinds=("faq",))
    assert hit.item.task_code == "T-JZZ-001"


def test_kiosk_only_hides_items_not_offered_here(index):
    assert any(h.item.task_code == "T-RCYJ-006" for h in index.search("人才引进"))
    assert not any(h.item.task_code == "T-RCYJ-006"
                   for h in index.search("人才引进", kiosk_only=True))


def test_unrelated_and_empty_queries_find_nothing(index):
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("zzzzqqq") == []
    assert index.search("spaceship") == []


def test_suggestions_in_both_languages(index):
    assert index.suggest("jzz")[0] == "居住证申领"
    assert index.suggest("jzz", language="en_US")[0] == "Residence permit application"


def test_edit_distance():
    assert edit_distance("permit", "permit") == 0
    assert edit_distance("premit", "permit") == 1
    assert edit_distance("residnce", "residence") == 1
    assert edit_distance("abc", "xyzxyzxyz", limit=2) == 3


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_typed_text_is_safe(index, text):
    hits = index.search(text)
    assert all(hit.score > 0 for hit in hits)
