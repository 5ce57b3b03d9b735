"""Spoken prompts through QtTextToSpeech; the engine is configurable (tests use "mock").

`say()` never blocks: the engine speaks asynchronously, and a new prompt replaces one
still being spoken (the citizen moved on). The engine is created on first use: connecting
to speech-dispatcher can take seconds (5 s when it has to be spawned), which the attract
screen must not wait for while voice guidance is off.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, Signal, Slot

if TYPE_CHECKING:  # imported with the engine: QtTextToSpeech loads Qt Multimedia's plugins
    from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger(__name__)


class Voice(QObject):
    #: the text handed to the engine (for the log and for tests)
    spoken = Signal(str)

    def __init__(self, engine: str = "", rate: float = 0.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._wanted, self._rate = engine, rate
        #: (the configured engine if the platform has it, else "" for its default; the
        #: engine speaking), looked up on first use
        self._engines: tuple[str, str] | None = None
        self._tts: QTextToSpeech | None = None
        self._language = ""
        self.enabled = False

    def _choose(self) -> tuple[str, str]:
        if self._engines is None:
            from PySide6.QtTextToSpeech import QTextToSpeech
            available = QTextToSpeech.availableEngines()
            engine = self._wanted
            if engine and engine not in available:
                log.warning("speech engine not available; using the default",
                            extra={"engine": engine, "available": available})
                engine = ""
            self._engines = engine, engine or (available[0] if available else "")
        return self._engines

    @property
    def engine_name(self) -> str:
        return self._choose()[1]

    @property
    def tts(self) -> QTextToSpeech:
        if self._tts is None:
            from PySide6.QtTextToSpeech import QTextToSpeech
            engine = self._choose()[0]
            self._tts = QTextToSpeech(engine, self) if engine else QTextToSpeech(self)
            self._tts.setRate(self._rate)
            self._apply_language()
        return self._tts

    def set_language(self, language: str) -> None:
        self._language = language
        if self._tts is not None:
            self._apply_language()

    def _apply_language(self) -> None:
        if not self._language:
            return
        wanted = QLocale(self._language)
        for locale in self.tts.availableLocales():
            if locale.language() == wanted.language():
                self.tts.setLocale(locale)
                return

    @Slot(str)
    def say(self, text: str) -> None:
        if self.enabled:
            self._speak(text)

    def repeat(self, text: str) -> None:
        """The citizen asked to hear it again: spoken even with voice guidance off."""
        self._speak(text)

    def _speak(self, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self.tts.stop()
        self.tts.say(text)
        self.spoken.emit(text)

    def stop(self) -> None:
        if self._tts is not None:
            self._tts.stop()
