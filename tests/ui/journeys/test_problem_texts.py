"""Every problem a journey can report has words for citizens in Chinese and in English.

The codes are read from the journeys' source (every literal handed to `_go`, `call_staff`,
`_local` or assigned to a `problem`, and the refusal tables), so a new code without texts
fails here instead of showing a machine key, or a device's English, on a Chinese screen.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from kiosk.journeys import identify, pickup, ticket
from ui.journeys.texts import PROBLEMS

ROOT = Path(__file__).resolve().parents[3]
JOURNEYS = ROOT / "kiosk" / "journeys"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")   # Han and full-width marks

#: the codes built at run time (f-strings) -> every value they take
BUILT = {
    "mrz_invalid_": ["mrz_invalid_document_number", "mrz_invalid_birth_date",
                     "mrz_invalid_expiry_date"],
    "face_": ["face_no_match", "face_not_live", "face_no_face", "face_timeout"],
}
#: calls whose argument (positional after the state, or `problem=`) becomes the problem
SETTERS = {"_go": 1, "call_staff": 0, "_local": 0}


def _literals(node: ast.AST) -> list[str]:
    """The strings an expression can evaluate to (through `x if c else y` and `a or b`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [s for value in node.values for s in _literals(value)]
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "next" \
            and len(node.args) == 2:   # a table lookup's fallback
        return _literals(node.args[1])
    if isinstance(node, ast.JoinedStr):
        prefix = node.values[0]
        assert isinstance(prefix, ast.Constant) and prefix.value in BUILT, \
            f"a problem built at run time this test does not know: {ast.unparse(node)}"
        return BUILT[prefix.value]
    return []


def problem_codes() -> set[str]:
    codes: set[str] = set()
    for path in JOURNEYS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in SETTERS:
                    position = SETTERS[name]
                    if len(node.args) > position:
                        codes.update(_literals(node.args[position]))
                    codes.update(s for kw in node.keywords if kw.arg == "problem"
                                 for s in _literals(kw.value))
            elif isinstance(node, ast.Assign) and any(
                    getattr(t, "attr", getattr(t, "id", "")) == "problem" for t in node.targets):
                codes.update(_literals(node.value))
            elif isinstance(node, ast.FunctionDef) and node.name in SETTERS:
                codes.update(s for d in node.args.defaults + node.args.kw_defaults
                             if d is not None for s in _literals(d))
    codes.update(problem for _state, problem in pickup.REFUSALS.values())
    codes.update(identify.READ_PROBLEMS.values())
    codes.update(ticket.BOOKING_REFUSALS.values())
    codes.discard("")
    return codes


def test_the_source_scan_finds_the_codes_it_should():
    codes = problem_codes()
    # one of each way a code is set, so a broken scan cannot pass the test below empty-handed
    assert {"form_incomplete", "camera_down", "device_fault", "help", "offline",
            "lockers_down", "code_wrong", "read_unreadable", "read_fault",
            "mrz_invalid_birth_date", "face_no_face"} <= codes


def test_every_problem_code_has_chinese_and_english_words():
    missing = sorted(code for code in problem_codes() if code not in PROBLEMS)
    assert not missing, f"problem codes without texts for citizens: {missing}"
    for code in problem_codes():
        words = PROBLEMS[code]
        assert CJK.search(words["zh"]), (code, words)
        assert words["en"] and not CJK.search(words["en"]), (code, words)


def test_english_texts_use_english_punctuation():
    """Every `say(zh, en)` the journeys' screens show: no Chinese marks in the English."""
    wrong = []
    for path in (ROOT / "ui" / "journeys").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("say", "action") \
                    and len(node.args) >= 2:
                english = node.args[-1]
                parts = english.values if isinstance(english, ast.JoinedStr) else [english]
                for part in parts:
                    if isinstance(part, ast.Constant) and isinstance(part.value, str) \
                            and CJK.search(part.value):
                        wrong.append(f"{path.name}:{node.lineno}: {part.value}")
    assert not wrong


def test_pickup_with_the_locker_board_down_speaks_the_citizens_language(make_kiosk):
    from tests.kiosk.journeys.fakes import FakeDesk
    kiosk = make_kiosk(pickup=FakeDesk(usable=False))
    kiosk.start("pickup")
    kiosk.shell.settle()
    assert kiosk.screen == "pickup.unavailable"
    body = kiosk.shell.find("message_body")
    assert body.property("text") == PROBLEMS["lockers_down"]["zh"]
    assert "answering" not in body.property("text")
    kiosk.shell.shell.setLanguage("en_US")
    kiosk.shell.settle()
    assert body.property("text") == PROBLEMS["lockers_down"]["en"]
