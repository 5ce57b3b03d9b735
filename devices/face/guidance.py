"""What the citizen is told about a frame: one plain instruction at a time.

The UI shows and speaks the text for the code (its own translations may replace
these); codes go to the journey, never scores.
"""
from __future__ import annotations

from enum import StrEnum


class Guidance(StrEnum):
    OK = "ok"
    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"
    TOO_FAR = "too_far"
    TOO_CLOSE = "too_close"
    OFF_CENTRE = "off_centre"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    BLURRED = "blurred"
    EYES_CLOSED = "eyes_closed"
    HEAD_TURNED = "head_turned"


TEXT = {
    Guidance.OK: ("请保持不动", "Hold still"),
    Guidance.NO_FACE: ("请站到屏幕正前方，面向上方的摄像头", "Please stand in front of the screen, facing the camera above it"),
    Guidance.SEVERAL_FACES: ("请确保只有您一人在镜头前", "Only one person in front of the camera, please"),
    Guidance.TOO_FAR: ("请靠近一点", "Please come a little closer"),
    Guidance.TOO_CLOSE: ("请稍微后退", "Please move back a little"),
    Guidance.OFF_CENTRE: ("请把脸移到框的中间", "Please move your face into the middle of the oval"),
    Guidance.TOO_DARK: ("光线太暗，请面向光亮处", "It is too dark: please face the light"),
    Guidance.TOO_BRIGHT: ("光线太强，请避开强光", "Too much light: please step out of the glare"),
    Guidance.BLURRED: ("请保持不动", "Please keep still for a moment"),
    Guidance.EYES_CLOSED: ("请睁开眼睛", "Please open your eyes"),
    Guidance.HEAD_TURNED: ("请正视摄像头", "Please look straight at the camera"),
}

CHALLENGE_TEXT = {
    "blink": ("请眨眨眼", "Please blink"),
    "turn_left": ("请向左转头", "Please turn your head to your left"),
    "turn_right": ("请向右转头", "Please turn your head to your right"),
}


def text(code: str, language: str = "zh_CN") -> str:
    table = CHALLENGE_TEXT if code in CHALLENGE_TEXT else TEXT
    zh, en = table[code if code in CHALLENGE_TEXT else Guidance(code)]
    return zh if language.startswith("zh") else en
