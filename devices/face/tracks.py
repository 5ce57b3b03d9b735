"""Landmark tracks: per-frame eye and nose points, as recorded or synthesised.

A track is what the liveness judge looks at. The demo's simulated "holder" and the
test fixtures are synthesised here from a frontal template (eyes in dlib's 6-point
order, the nose at the tip of the bridge, point 30) and a script of actions; a track
can also be saved and loaded as small JSON.

Directions are the citizen's: turning to *their* left moves the nose towards the
image's right side on an unmirrored camera, so yaw (nose offset from the eye
midpoint, in inter-ocular distances) grows positive.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

Point = tuple[float, float]


@dataclass(frozen=True)
class Landmarks:
    left_eye: tuple[Point, ...]    # six points, image-left eye (dlib 36-41)
    right_eye: tuple[Point, ...]   # six points, image-right eye (dlib 42-47)
    nose: Point                    # tip of the nose bridge (dlib 30)

    def as_dict(self) -> dict:
        return {"left_eye": [list(p) for p in self.left_eye],
                "right_eye": [list(p) for p in self.right_eye], "nose": list(self.nose)}

    @classmethod
    def from_dict(cls, data: dict) -> "Landmarks":
        return cls(tuple(tuple(map(float, p)) for p in data["left_eye"]),  # type: ignore[arg-type]
                   tuple(tuple(map(float, p)) for p in data["right_eye"]),  # type: ignore[arg-type]
                   tuple(map(float, data["nose"])))  # type: ignore[arg-type]


@dataclass(frozen=True)
class TrackSample:
    t: float
    landmarks: Landmarks | None   # None: no single face in that frame


def save_track(path: Path, samples: Iterable[TrackSample], note: str = "") -> None:
    def rounded(landmarks: Landmarks) -> dict:
        return {k: [round(c, 1) for c in v] if k == "nose" else
                [[round(c, 1) for c in p] for p in v] for k, v in landmarks.as_dict().items()}
    data = {"note": note, "samples": [
        {"t": round(s.t, 4), **(rounded(s.landmarks) if s.landmarks else {"face": None})}
        for s in samples]}
    path.write_text(json.dumps(data, separators=(",", ":")))


def load_track(path: Path) -> list[TrackSample]:
    data = json.loads(path.read_text())
    return [TrackSample(float(s["t"]), None if "face" in s else Landmarks.from_dict(s))
            for s in data["samples"]]


# --- synthesis ------------------------------------------------------------------

IOD = 60.0          # template inter-ocular distance, pixels
OPEN_LID = 4.5      # half eye height: eye aspect ratio 0.30 when open
CLOSED_LID = 0.6
TURN_YAW = 0.40     # peak nose offset of a deliberate head turn, in IODs
BLINK_S = (0.08, 0.10, 0.10)          # closing, closed, opening
TURN_S = (0.35, 0.45, 0.35)           # turning, held, returning


def _eye(cx: float, cy: float, lid: float, width: float = 30.0) -> tuple[Point, ...]:
    h = width / 2
    return ((cx - h, cy), (cx - h / 3, cy - lid), (cx + h / 3, cy - lid),
            (cx + h, cy), (cx + h / 3, cy + lid), (cx - h / 3, cy + lid))


def template(lid: float = OPEN_LID, yaw: float = 0.0, centre: Point = (640.0, 300.0)) -> Landmarks:
    cx, cy = centre
    return Landmarks(_eye(cx - IOD / 2, cy, lid), _eye(cx + IOD / 2, cy, lid),
                     (cx + yaw * IOD, cy + 35.0))


def _envelope(t: float, start: float, phases: Sequence[float]) -> float:
    """0 -> 1 -> hold -> 0 over the phases; 0 outside."""
    rise, hold, fall = phases
    x = t - start
    if x <= 0 or x >= rise + hold + fall:
        return 0.0
    if x < rise:
        return x / rise
    if x < rise + hold:
        return 1.0
    return 1.0 - (x - rise - hold) / fall


def action_duration(action: str) -> float:
    return sum(BLINK_S if action == "blink" else TURN_S)


def pose_at(t: float, script: Sequence[tuple[str, float]]) -> tuple[float, float]:
    """(lid, yaw) at time t for a script of (action, start) pairs."""
    lid, yaw = OPEN_LID, 0.0
    for action, start in script:
        if action == "blink":
            lid -= (OPEN_LID - CLOSED_LID) * _envelope(t, start, BLINK_S)
        elif action in ("turn_left", "turn_right"):
            sign = 1.0 if action == "turn_left" else -1.0
            yaw += sign * TURN_YAW * _envelope(t, start, TURN_S)
        else:
            raise ValueError(f"unknown action {action!r}")
    return lid, yaw


def synthesize(script: Sequence[tuple[str, float]], *, duration: float, fps: float = 15.0,
               start: float = 0.0, jitter: float = 0.4, seed: int = 1) -> list[TrackSample]:
    """Samples every 1/fps s from `start` for `duration` s, performing `script`
    (start times relative to `start`), with a little landmark jitter."""
    rng = random.Random(seed)
    samples = []
    for i in range(int(duration * fps) + 1):
        t = i / fps
        lid, yaw = pose_at(t, script)
        base = template(lid, yaw)

        def shake(p: Point) -> Point:
            return (p[0] + rng.uniform(-jitter, jitter), p[1] + rng.uniform(-jitter, jitter))
        samples.append(TrackSample(start + t, Landmarks(tuple(map(shake, base.left_eye)),
                                                        tuple(map(shake, base.right_eye)),
                                                        shake(base.nose))))
    return samples


class Performer:
    """Follows challenges as they are announced (the simulated holder): each one is
    performed after a human-like reaction time."""
    reaction_s = 0.6

    def __init__(self, seed: int = 7) -> None:
        self._script: list[tuple[str, float]] = []
        self._rng = random.Random(seed)

    def announce(self, challenge: str | None, now: float) -> None:
        if challenge is not None:
            busy_until = max((s + action_duration(a) for a, s in self._script), default=now)
            self._script.append((challenge, max(now, busy_until) + self.reaction_s))

    def landmarks_at(self, t: float) -> Landmarks:
        lid, yaw = pose_at(t, self._script)
        base = template(lid, yaw)
        jitter = self._rng.uniform(-0.3, 0.3)
        return Landmarks(base.left_eye, base.right_eye, (base.nose[0] + jitter, base.nose[1]))
