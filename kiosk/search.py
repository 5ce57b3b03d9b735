"""Search over the catalogue and its FAQ the way citizens actually type.

One index serves the catalogue search box, its suggestions as you type, and the service
guide's questions. It understands:

- Chinese without spaces: substrings ("居住证"), whole questions ("我想办居住证怎么弄")
  through character-bigram overlap, after dropping filler words;
- Pinyin: initials typed on the keyboard ("jzz" for 居住证) and full Pinyin ("juzhuzheng");
- synonyms: the words people use for an item ("狗证" for 犬只登记, "低保" for 最低生活保障),
  from the item's own `synonyms` plus the common table below;
- English with a typo ("residnce permit"), by edit distance on words.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Literal, Mapping, Sequence

from kiosk.catalogue import Catalogue, Faq, ServiceItem

#: Colloquial word -> catalogue words it stands for. Items add their own via `synonyms`.
COMMON_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "狗": ("犬只",), "养狗": ("犬只",), "狗证": ("犬只登记",),
    "低保": ("最低生活保障",), "社保": ("社会保险",), "医保": ("医疗保险",),
    "结婚": ("婚姻登记",), "领证": ("婚姻登记",), "离婚": ("婚姻登记",),
    "户口": ("入户", "落户"), "上户口": ("入户",), "落户口": ("落户",),
    "生孩子": ("生育登记", "新生儿"), "生小孩": ("生育登记", "新生儿"), "宝宝": ("新生儿",),
    "老人": ("老年人", "高龄"), "老年卡": ("老年人优待证",), "敬老卡": ("老年人优待证",),
    "租房": ("租赁", "公共租赁住房"), "廉租房": ("公共租赁住房",), "公租房": ("公共租赁住房",),
    "开店": ("个体工商户", "食品经营"), "营业执照": ("个体工商户",), "餐馆": ("食品经营",),
    "残疾证": ("残疾人证",), "打官司": ("法律援助",), "律师": ("法律援助",),
    "档案": ("人事档案",), "诊所": ("医疗机构",), "暂住证": ("居住证",),
    "补助": ("救助", "津贴"), "困难": ("救助", "最低生活保障"),
    # English words a visitor may use for the English item names
    "dog": ("dog", "canine"), "welfare": ("subsistence", "allowance", "assistance"),
    "wedding": ("marriage",), "marry": ("marriage",), "baby": ("birth", "newborn"),
    "rent": ("rental", "lease", "housing"), "shop": ("business", "household"),
    "lawyer": ("legal",), "pension": ("insurance", "allowance"), "elderly": ("senior", "aged"),
}

#: Words that carry no meaning for matching ("how do I apply for ..."), removed from queries.
_ZH_FILLERS = ("请问", "我想要", "我想", "我要", "怎么办", "怎么", "如何", "办理", "需要",
               "什么", "哪里", "在哪", "可以", "能不能", "一下", "吗", "呢", "啊", "的", "了")
_EN_STOPWORDS = frozenset("a an the of for to in on at how do does i my me want need apply "
                          "application get can is are what where when with and or please".split())

_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z0-9]+")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if _CJK.match(c)]
    if len(chars) == 1:
        return {chars[0]}
    return {a + b for a, b in zip(chars, chars[1:])}


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau-Levenshtein (optimal string alignment); stops early above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb):
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _word_match(query_word: str, word: str) -> float:
    """How well one typed English word matches one indexed word (0 = not at all)."""
    if query_word == word:
        return 1.0
    if len(query_word) >= 3 and word.startswith(query_word):
        return 0.9
    allowed = 1 if len(query_word) <= 6 else 2
    if len(query_word) >= 4 and edit_distance(query_word, word, allowed) <= allowed:
        return 0.8
    return 0.0


@dataclass(frozen=True)
class _Field:
    text: str                 # normalised
    weight: float
    initials: str = ""        # Pinyin initials of the Chinese text
    pinyin: str = ""          # full Pinyin without spaces
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchHit:
    kind: Literal["item", "faq"]
    score: float
    matched_by: str           # "chinese" | "pinyin" | "synonym" | "english"
    item: ServiceItem | None = None
    faq: Faq | None = None


@dataclass
class _Document:
    kind: Literal["item", "faq"]
    item: ServiceItem | None
    faq: Faq | None
    fields: list[_Field] = field(default_factory=list)


def _chinese_field(text: str, weight: float, *, with_pinyin: bool) -> _Field:
    text = _normalise(text)
    if not with_pinyin:
        return _Field(text, weight)
    from pypinyin import Style, lazy_pinyin  # 0.1 s to import: paid on the first search
    han = "".join(_CJK.findall(text))
    return _Field(text, weight,
                  initials="".join(lazy_pinyin(han, style=Style.FIRST_LETTER)),
                  pinyin="".join(lazy_pinyin(han)))


def _english_field(text: str, weight: float) -> _Field:
    text = _normalise(text)
    return _Field(text, weight, words=tuple(_WORD.findall(text)))


class SearchIndex:
    """Built once per catalogue version, on the first search (not while the kiosk starts);
    `search` is then cheap enough to run on every keystroke."""

    def __init__(self, catalogue: Catalogue,
                 synonyms: Mapping[str, Sequence[str]] = COMMON_SYNONYMS) -> None:
        self.catalogue = catalogue
        self._synonyms = {_normalise(k): tuple(_normalise(v) for v in vs)
                          for k, vs in synonyms.items()}
        self._built: list[_Document] | None = None

    @property
    def _documents(self) -> list[_Document]:
        if self._built is None:
            self._built = self._index(self.catalogue)
        return self._built

    @staticmethod
    def _index(catalogue: Catalogue) -> list[_Document]:
        categories = {c.id: c.name for c in (*catalogue.topics, *catalogue.life_events)}
        documents: list[_Document] = []
        for item in catalogue.items:
            document = _Document("item", item, None)
            document.fields += [
                _chinese_field(item.name.zh, 10, with_pinyin=True),
                _english_field(item.name.en, 10),
                _chinese_field(item.department.zh, 2, with_pinyin=False),
            ]
            for synonym in item.synonyms:
                document.fields.append(_chinese_field(synonym, 8, with_pinyin=True)
                                       if _CJK.search(synonym) else _english_field(synonym, 8))
            for category_id in (*item.topics, *item.life_events):
                name = categories[category_id]
                document.fields += [_chinese_field(name.zh, 4, with_pinyin=False),
                                    _english_field(name.en, 4)]
            if item.summary:
                document.fields += [_chinese_field(item.summary.zh, 2, with_pinyin=False),
                                    _english_field(item.summary.en, 2)]
            documents.append(document)
        for item, entry in catalogue.all_faq():
            document = _Document("faq", item, entry)
            document.fields += [_chinese_field(entry.question.zh, 8, with_pinyin=True),
                                _english_field(entry.question.en, 8),
                                _chinese_field(entry.answer.zh, 2, with_pinyin=False),
                                _english_field(entry.answer.en, 2)]
            if item is not None:
                document.fields += [_chinese_field(item.name.zh, 5, with_pinyin=True),
                                    _english_field(item.name.en, 5)]
            documents.append(document)
        return documents

    # --- query side ---------------------------------------------------------------------

    def _chinese_terms(self, query: str) -> list[tuple[str, str]]:
        """(term, how it was found): the query itself without fillers, plus synonyms."""
        core = query
        for filler in _ZH_FILLERS:
            core = core.replace(filler, "")
        core = "".join(_CJK.findall(core))
        terms = [(core, "chinese")] if core else []
        for word, targets in self._synonyms.items():
            if _CJK.search(word) and word in query:
                terms += [(target, "synonym") for target in targets]
        return terms

    def _english_words(self, query: str) -> list[list[tuple[str, str]]]:
        """Per typed word, the alternatives to look for (the word itself and its synonyms)."""
        words = [w for w in _WORD.findall(query) if w not in _EN_STOPWORDS and len(w) >= 2]
        alternatives = []
        for word in words:
            options = [(word, "english")]
            for key, targets in self._synonyms.items():   # a typo in a synonym still counts
                if key.isascii() and _word_match(word, key) >= 0.8:
                    options += [(target, "synonym") for target in targets]
            alternatives.append(options)
        return alternatives

    @staticmethod
    def _score_chinese(terms: list[tuple[str, str]], doc_field: _Field) -> tuple[float, str]:
        best, how = 0.0, ""
        for term, found_by in terms:
            factor = 1.0 if found_by == "chinese" else 0.9
            if term in doc_field.text:
                score = doc_field.weight * factor * (1.1 if doc_field.text.startswith(term) else 1)
            else:
                term_grams, text_grams = _bigrams(term), _bigrams(doc_field.text)
                if not term_grams or not text_grams:
                    continue
                shared = len(term_grams & text_grams)
                coverage = max(shared / len(term_grams), shared / len(text_grams))
                if shared == 0 or coverage < 0.5:
                    continue
                score = doc_field.weight * factor * 0.6 * coverage
            if score > best:
                best, how = score, found_by
        return best, how

    @staticmethod
    def _score_pinyin(letters: str, doc_field: _Field) -> float:
        if not doc_field.initials:
            return 0.0
        if doc_field.initials.startswith(letters):
            return doc_field.weight * 0.95
        if doc_field.pinyin.startswith(letters) and len(letters) >= 2:
            return doc_field.weight * 0.9
        if letters in doc_field.initials and len(letters) >= 2:
            return doc_field.weight * 0.75
        if letters in doc_field.pinyin and len(letters) >= 4:
            return doc_field.weight * 0.7
        return 0.0

    @staticmethod
    def _score_english(alternatives: list[list[tuple[str, str]]],
                       doc_field: _Field) -> tuple[float, str]:
        if not doc_field.words or not alternatives:
            return 0.0, ""
        total, how = 0.0, "english"
        for options in alternatives:
            best = 0.0
            for word, found_by in options:
                factor = 1.0 if found_by == "english" else 0.9
                match = max((_word_match(word, w) for w in doc_field.words), default=0.0)
                if match * factor > best:
                    best = match * factor
                    if found_by == "synonym":
                        how = "synonym"
            total += best
        coverage = total / len(alternatives)
        return (doc_field.weight * coverage, how) if coverage >= 0.5 else (0.0, "")

    def search(self, query: str, *, limit: int = 10,
               kinds: Iterable[str] = ("item", "faq"), kiosk_only: bool = False
               ) -> list[SearchHit]:
        query = _normalise(query)
        if not query:
            return []
        kinds = set(kinds)
        terms = self._chinese_terms(query) if _CJK.search(query) else []
        squashed = re.sub(r"[\s']", "", query)
        letters = squashed if squashed.isascii() and squashed.isalpha() else ""
        english = self._english_words(query)
        hits = []
        for document in self._documents:
            if document.kind not in kinds:
                continue
            if kiosk_only and document.kind == "item" and not document.item.kiosk_enabled:
                continue
            best, how = 0.0, ""
            for doc_field in document.fields:
                for score, found_by in (
                        self._score_chinese(terms, doc_field) if terms else (0.0, ""),
                        (self._score_pinyin(letters, doc_field), "pinyin") if letters
                        else (0.0, ""),
                        self._score_english(english, doc_field)):
                    if score > best:
                        best, how = score, found_by
            if best > 0:
                hits.append(SearchHit(document.kind, best, how, document.item, document.faq))
        hits.sort(key=lambda hit: (-hit.score, hit.kind, hit.item.task_code if hit.item else ""))
        return hits[:limit]

    def suggest(self, query: str, language: str = "zh_CN", limit: int = 5) -> list[str]:
        """Item names to offer under the search box while the citizen types."""
        hits = self.search(query, limit=limit, kinds=("item",))
        return [hit.item.name.get(language) for hit in hits]
