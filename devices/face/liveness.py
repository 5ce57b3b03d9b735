"""Liveness by challenge and response, judged on a landmark track.

The kiosk asks for a random sequence of actions (blink, turn left, turn right); each
must be seen in the landmarks within a time limit, after it was asked. A still photo
never moves (time runs out); a replayed clip does its moves in its own order, so it
turns the wrong way or turns when a blink was asked, which fails at once.
"""
from __future__ import annotations

import math
import secrets
import statistics
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Sequence

from devices.face.tracks import Landmarks

CHALLENGES = ("blink", "turn_left", "turn_right")
#: frames at the start that fix the citizen's neutral eye opening and head pose
BASELINE_FRAMES = 3


class Verdict(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


def eye_aspect_ratio(eye: Sequence[tuple[float, float]]) -> float:
    p1, p2, p3, p4, p5, p6 = eye
    width = math.dist(p1, p4)
    return (math.dist(p2, p6) + math.dist(p3, p5)) / (2 * width) if width else 0.0


def pose_features(landmarks: Landmarks) -> tuple[float, float]:
    """(mean eye aspect ratio, yaw): yaw > 0 when the citizen turns to their left."""
    ear = (eye_aspect_ratio(landmarks.left_eye) + eye_aspect_ratio(landmarks.right_eye)) / 2
    left = [sum(c) / 6 for c in zip(*landmarks.left_eye)]
    right = [sum(c) / 6 for c in zip(*landmarks.right_eye)]
    iod = math.dist(left, right)
    yaw = (landmarks.nose[0] - (left[0] + right[0]) / 2) / iod if iod else 0.0
    return ear, yaw


def random_challenges(count: int, rng: secrets.SystemRandom | None = None) -> list[str]:
    """`count` challenges, never the same twice in a row, from an unpredictable source."""
    rng = rng or secrets.SystemRandom()
    out: list[str] = []
    while len(out) < count:
        choice = rng.choice(CHALLENGES)
        if not out or out[-1] != choice:
            out.append(choice)
    return out


@dataclass
class LivenessJudge:
    challenges: list[str]
    started_at: float
    time_limit_s: float = 6.0
    turn_threshold: float = 0.20
    blink_drop: float = 0.70
    closed_eye_ratio: float = 0.20

    verdict: Verdict = Verdict.PENDING
    reason: str = ""
    index: int = 0
    _baseline: list[tuple[float, float]] = field(default_factory=list)
    _challenge_since: float = 0.0
    _eyes_open_seen: bool = False
    _eyes_closed_seen: bool = False
    _centred_seen: bool = False

    def __post_init__(self) -> None:
        unknown = [c for c in self.challenges if c not in CHALLENGES]
        if unknown or not self.challenges:
            raise ValueError(f"challenges must be a non-empty list of {CHALLENGES}")
        self._challenge_since = self.started_at

    @property
    def current(self) -> str | None:
        return self.challenges[self.index] if self.verdict is Verdict.PENDING else None

    def _fail(self, reason: str) -> Verdict:
        self.verdict, self.reason = Verdict.FAILED, reason
        return self.verdict

    def expire(self, now: float) -> Verdict:
        if self.verdict is Verdict.PENDING and now - self._challenge_since > self.time_limit_s:
            return self._fail(f"{self.current} not seen within {self.time_limit_s:g} s")
        return self.verdict

    def observe(self, t: float, landmarks: Landmarks | None) -> Verdict:
        """Feed one frame's landmarks (None when no single face was found)."""
        if self.verdict is not Verdict.PENDING or t < self._challenge_since:
            return self.verdict
        if self.expire(t) is not Verdict.PENDING or landmarks is None:
            return self.verdict
        ear, yaw = pose_features(landmarks)
        if len(self._baseline) < BASELINE_FRAMES:
            self._baseline.append((ear, yaw))
        open_ear = statistics.median(e for e, _ in self._baseline)
        turn = yaw - statistics.median(y for _, y in self._baseline)
        wanted = self.challenges[self.index]
        if abs(turn) < self.turn_threshold / 2:
            self._centred_seen = True
        if wanted == "blink":
            if abs(turn) >= self.turn_threshold and self._centred_seen:
                return self._fail("head turned when a blink was asked")
            # open, closed, open again: a blink begun before the prompt does not count
            if ear > open_ear * 0.85:
                if self._eyes_closed_seen:
                    return self._next(t)
                self._eyes_open_seen = True
            elif self._eyes_open_seen and ear < min(self.closed_eye_ratio,
                                                    open_ear * self.blink_drop):
                self._eyes_closed_seen = True
            return self.verdict
        sign = 1.0 if wanted == "turn_left" else -1.0
        # from facing the camera to turned: a head already turned when asked does not count
        if sign * turn >= self.turn_threshold and self._centred_seen:
            return self._next(t)
        if sign * turn <= -self.turn_threshold and self._centred_seen:
            return self._fail(f"turned the other way when {wanted} was asked")
        return self.verdict

    def _next(self, t: float) -> Verdict:
        self.index += 1
        self._challenge_since = t
        self._eyes_open_seen = False
        self._eyes_closed_seen = False
        self._centred_seen = False
        if self.index == len(self.challenges):
            self.verdict = Verdict.PASSED
        return self.verdict


def count_actions(samples: Sequence[tuple[float, Landmarks]], turn_threshold: float = 0.20,
                  blink_drop: float = 0.70) -> dict[str, int]:
    """Blinks and turns seen in a recorded track (no challenge: a recording cannot answer
    one, so this only describes what the recording shows)."""
    if len(samples) < BASELINE_FRAMES:
        return {"blinks": 0, "turns_left": 0, "turns_right": 0}
    features = [pose_features(marks) for _, marks in samples]
    open_ear = statistics.median(e for e, _ in features)
    neutral = statistics.median(y for _, y in features)
    counts = {"blinks": 0, "turns_left": 0, "turns_right": 0}
    closed, side = False, 0
    for ear, yaw in features:
        if ear < open_ear * blink_drop:
            closed = True
        elif closed and ear > open_ear * 0.85:
            closed = False
            counts["blinks"] += 1
        turn = yaw - neutral
        now = 1 if turn >= turn_threshold else -1 if turn <= -turn_threshold else 0
        if now and now != side:
            counts["turns_left" if now > 0 else "turns_right"] += 1
        if now or abs(turn) < turn_threshold / 2:
            side = now
    return counts
