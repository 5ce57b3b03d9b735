"""Spoken prompts through QtTextToSpeech; the engine is configurable (tests use "mock").

`say()` never blocks: the engine speaks asynchronously, and a new prompt replaces one
still being spoken (the citizen moved on).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QLocale, QObject, Signal, Slot
from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger(__name__)


class Voice(QObject):
    #: the text handed to the engine (for the log and for tests)
    spoken = Signal(str)

    def __init__(self, engine: str = "", rate: float = 0.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        available = QTextToSpeech.availableEngines()
        if engine and engine not in available:
            log.warning("speech engine not available; using the default",
                        extra={"engine": engine, "available": available})
            engine = ""
        self.engine_name = engine or (available[0] if available else "")
        self.tts = QTextToSpeech(engine, self) if engine else QTextToSpeech(self)
        self.tts.setRate(rate)
        self.enabled = False

    def set_language(self, language: str) -> None:
        wanted = QLocale(language)
        for locale in self.tts.availableLocales():
            if locale.language() == wanted.language():
                self.tts.setLocale(locale)
                return

    @Slot(str)
    def say(self, text: str) -> None:
        text = " ".join(text.split())
        if not self.enabled or not text:
            return
        self.tts.stop()
        self.tts.say(text)
        self.spoken.emit(text)

    def stop(self) -> None:
        self.tts.stop()
