"""One face-verification step: position, match, live challenge, match again (the same
person did the challenge), decision; then wipe.

Feed it camera frames (`feed`, from any thread; frames arriving while the child is
busy are dropped). It publishes `FaceStepState` snapshots for the journey and UI:
one instruction at a time, the ring progress, the attempt count, the outcome. The
distance and the reason stay inside (the reason goes to the technician's log without
any personal data); the citizen never sees a score.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Callable

import numpy as np

from devices.camera.frames import Frame
from devices.face.guidance import Guidance
from devices.face.liveness import LivenessJudge, Verdict, random_challenges
from devices.face.process import FaceProcess
from devices.face.settings import FaceSettings
from foundation.clock import Clock, TimerHandle

log = logging.getLogger(__name__)


class Phase(StrEnum):
    REFERENCE = "reference"      # taking the reference from the document photo
    POSITIONING = "positioning"  # guiding until enough good frames in a row
    MATCHING = "matching"        # one good frame is encoded and compared
    CHALLENGE = "challenge"      # the citizen performs the random actions
    CONFIRMING = "confirming"    # matched again after the challenge: the same person did it
    ACCEPTED = "accepted"
    STAFF = "staff"              # attempts used up or the reference unusable: staff path
    ENDED = "ended"              # wiped


class Failure(StrEnum):
    """Why an attempt (or the step) failed; for the journey's wording and the log."""
    NO_MATCH = "no_match"                    # the face is not the reference's
    NOT_LIVE = "not_live"                    # the challenge was not performed
    FACE_CHANGED = "face_changed"            # another face after or during the challenge
    NO_REFERENCE_FACE = "no_reference_face"  # the document/server photo shows no usable face
    TIMEOUT = "timeout"                      # the step's time limit ran out
    PIPELINE_FAILED = "pipeline_failed"      # the face process failed (a device fault)


@dataclass(frozen=True)
class FaceStepState:
    phase: Phase
    instruction: str             # a Guidance code, or the challenge (blink, turn_left, turn_right)
    attempt: int                 # 1-based
    max_attempts: int
    progress: float = 0.0        # 0..1 while good frames are held (the ring)
    retrying: bool = False       # the previous attempt failed: "let's try again"

    @property
    def finished(self) -> bool:
        return self.phase in (Phase.ACCEPTED, Phase.STAFF, Phase.ENDED)


Listener = Callable[[FaceStepState], None]


class FaceVerification:
    def __init__(self, process: FaceProcess, settings: FaceSettings, *, clock: Clock,
                 announce: Callable[[str | None], None] | None = None,
                 challenges: Callable[[int], list[str]] = random_challenges) -> None:
        self.process = process
        self.settings = settings
        self.clock = clock
        self._announce = announce or (lambda challenge: None)
        self._challenges = challenges
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._state = FaceStepState(Phase.REFERENCE, Guidance.NO_FACE.value, 1,
                                    settings.max_attempts)
        self._good = 0
        self._judge: LivenessJudge | None = None
        self._timers: list[TimerHandle] = []
        #: (failure, detail) per failed attempt, for the journey and logs; never a score
        self.failures: list[tuple[Failure, str]] = []
        self.evidence_jpeg: bytes | None = None
        self.done: Future[FaceStepState] = Future()

    # --- observing -------------------------------------------------------------

    @property
    def state(self) -> FaceStepState:
        with self._lock:
            return self._state

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _set(self, **changes: Any) -> None:
        with self._lock:
            if self._state.finished and changes.get("phase") not in (None, Phase.ENDED):
                return
            new = replace(self._state, **changes)
            if new == self._state:
                return
            self._state = new
        for listener in list(self._listeners):
            try:
                listener(new)
            except Exception:
                log.exception("face step listener failed")
        if new.finished and not self.done.done():
            self.done.set_result(new)

    # --- driving ---------------------------------------------------------------

    def start(self, reference_bgr: np.ndarray) -> Future:
        """Enrol the reference (document or server photo); positioning follows."""
        future = self.process.enrol(reference_bgr)
        self._timers.append(self.clock.call_later(self.settings.step_time_limit_s,
                                                  lambda: self._to_staff(Failure.TIMEOUT, "step time limit")))

        def enrolled(f: Future) -> None:
            error = f.exception()
            if error is not None or not f.result().ok:
                self._to_staff(Failure.NO_REFERENCE_FACE, str(error or f.result().guidance))
            else:
                self._set(phase=Phase.POSITIONING)
        future.add_done_callback(enrolled)
        return future

    def feed(self, frame: Frame) -> Future | None:
        """Offer a frame. None when it was dropped (the child is busy, or the step is not
        looking at frames); otherwise a future that resolves once the frame has been judged."""
        with self._lock:
            phase, attempt = self._state.phase, self._state.attempt
            if phase not in (Phase.POSITIONING, Phase.MATCHING, Phase.CHALLENGE,
                             Phase.CONFIRMING):
                return None
            if phase is Phase.CHALLENGE and self._judge is not None:
                if self._judge.expire(self.clock.monotonic()) is Verdict.FAILED:
                    self._attempt_failed(Failure.NOT_LIVE, self._judge.reason)
                    return None
        observed = self.process.observe(frame.image,
                                        match=phase in (Phase.MATCHING, Phase.CONFIRMING))
        if observed is None:
            return None
        judged: Future = Future()

        def on_observed(f: Future) -> None:
            try:
                self._observed(frame, phase, attempt, f)
            finally:
                judged.set_result(self.state)
        observed.add_done_callback(on_observed)
        return judged

    def _observed(self, frame: Frame, phase: Phase, attempt: int, future: Future) -> None:
        if future.exception() is not None:
            self._to_staff(Failure.PIPELINE_FAILED, str(future.exception()))
            return
        obs = future.result()
        with self._lock:
            if (self._state.phase, self._state.attempt) != (phase, attempt):
                return  # the step moved on while this frame was analysed
            if phase is Phase.POSITIONING:
                self._position(obs)
            elif phase is Phase.MATCHING:
                self._match(frame, obs)
            elif phase is Phase.CONFIRMING:
                self._confirm(frame, obs)
            else:
                self._challenge(frame, obs)

    def _position(self, obs: Any) -> None:
        if obs.guidance is not Guidance.OK:
            self._good = 0
            self._set(instruction=obs.guidance.value, progress=0.0)
            return
        self._good += 1
        needed = self.settings.good_frames_to_capture
        if self._good >= needed:
            self._set(phase=Phase.MATCHING, instruction=Guidance.OK.value, progress=1.0)
        else:
            self._set(instruction=Guidance.OK.value, progress=self._good / needed)

    def _match(self, frame: Frame, obs: Any) -> None:
        if obs.guidance is not Guidance.OK or obs.distance is None:
            self._good = 0
            self._set(phase=Phase.POSITIONING, instruction=obs.guidance.value, progress=0.0)
            return
        matched = obs.distance <= self.settings.threshold
        obs.distance = None
        if not matched:
            self._attempt_failed(Failure.NO_MATCH, "distance above the threshold")
            return
        challenges = self._challenges(self.settings.challenges)
        s = self.settings
        self._judge = LivenessJudge(challenges, frame.captured_at, s.challenge_time_s,
                                    s.turn_threshold, s.blink_drop, s.closed_eye_ratio)
        self._begin_challenge()

    def _begin_challenge(self) -> None:
        judge = self._judge
        assert judge is not None and judge.current is not None
        self._set(phase=Phase.CHALLENGE, instruction=judge.current, progress=0.0)
        self._announce(judge.current)
        index = judge.index

        def check_time() -> None:
            with self._lock:
                if self._judge is judge and judge.index == index and \
                        judge.expire(self.clock.monotonic()) is Verdict.FAILED:
                    self._attempt_failed(Failure.NOT_LIVE, judge.reason)
        self._timers.append(self.clock.call_later(self.settings.challenge_time_s + 0.01,
                                                  check_time))

    def _challenge(self, frame: Frame, obs: Any) -> None:
        judge = self._judge
        assert judge is not None
        if obs.faces > 1:
            self._attempt_failed(Failure.FACE_CHANGED, "another face during the challenge")
            return
        landmarks = frame.hints.get("landmarks", obs.landmarks)
        index = judge.index
        verdict = judge.observe(frame.captured_at, landmarks)
        if verdict is Verdict.PASSED:
            self._announce(None)
            self._begin_confirming()
        elif verdict is Verdict.FAILED:
            self._attempt_failed(Failure.NOT_LIVE, judge.reason)
        elif judge.index != index:
            self._begin_challenge()

    def _begin_confirming(self) -> None:
        self._set(phase=Phase.CONFIRMING, instruction=Guidance.HEAD_TURNED.value, progress=1.0)
        attempt = self._state.attempt

        def check_time() -> None:
            with self._lock:
                if self._state.phase is Phase.CONFIRMING and self._state.attempt == attempt:
                    self._attempt_failed(Failure.NOT_LIVE, "no good frame after the challenge")
        self._timers.append(self.clock.call_later(self.settings.challenge_time_s, check_time))

    def _confirm(self, frame: Frame, obs: Any) -> None:
        if obs.guidance is not Guidance.OK or obs.distance is None:
            self._set(instruction=obs.guidance.value)  # e.g. "look straight at the camera"
            return
        matched = obs.distance <= self.settings.threshold
        obs.distance = None
        if not matched:
            self._attempt_failed(Failure.FACE_CHANGED, "the face after the challenge differs")
            return
        if self.settings.evidence_image:
            self.evidence_jpeg = encode_jpeg(frame.image)
        self._set(phase=Phase.ACCEPTED, instruction=Guidance.OK.value, progress=1.0)

    def _attempt_failed(self, failure: Failure, detail: str) -> None:
        self.failures.append((failure, detail))
        log.info("face attempt failed", extra={"failure": str(failure), "detail": detail})
        self._judge = None
        self._announce(None)
        self._wipe_evidence()
        state = self._state
        if state.attempt >= state.max_attempts:
            self._to_staff()
            return
        self._good = 0
        self._set(phase=Phase.POSITIONING, attempt=state.attempt + 1, retrying=True,
                  instruction=Guidance.NO_FACE.value, progress=0.0)

    def _to_staff(self, failure: Failure | None = None, detail: str = "") -> None:
        """The staff-assisted path; `failure` when the step itself failed (not an attempt)."""
        with self._lock:
            if self._state.finished:
                return
            if failure is not None:
                self.failures.append((failure, detail))
                log.info("face step failed", extra={"failure": str(failure), "detail": detail})
            self._wipe_evidence()
            self._set(phase=Phase.STAFF)

    # --- the end of the step ----------------------------------------------------------

    def _wipe_evidence(self) -> None:
        self.evidence_jpeg = None

    def end(self) -> Future:
        """Wipe everything of this citizen: the reference in the child, any evidence, state."""
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        with self._lock:
            self._judge = None
            self._wipe_evidence()
            self._set(phase=Phase.ENDED)
        self._announce(None)
        return self.process.clear()

    @property
    def last_failure(self) -> Failure | None:
        with self._lock:
            return self.failures[-1][0] if self.failures else None

    def take_evidence(self) -> bytes | None:
        """The evidence JPEG (only when configured and accepted) for the encrypted submission;
        taking it removes it from here."""
        with self._lock:
            evidence, self.evidence_jpeg = self.evidence_jpeg, None
            return evidence if self._state.phase is Phase.ACCEPTED else None


def encode_jpeg(image_bgr: np.ndarray, quality: int = 85) -> bytes:
    import cv2
    ok, data = cv2.imencode(".jpg", image_bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("the frame could not be encoded as JPEG")
    return data.tobytes()
