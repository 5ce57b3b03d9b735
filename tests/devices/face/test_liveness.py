"""Liveness judged on recorded landmark tracks (fixtures made by tracks/make_tracks.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from devices.face.liveness import (CHALLENGES, LivenessJudge, Verdict, pose_features,
                                   random_challenges)
from devices.face.tracks import Performer, TrackSample, load_track, template

TRACKS = Path(__file__).resolve().parent / "tracks"


def judge_track(samples: list[TrackSample], challenges: list[str], started_at: float = 0.5,
                time_limit_s: float = 6.0) -> LivenessJudge:
    judge = LivenessJudge(challenges, started_at, time_limit_s)
    for sample in samples:
        if judge.observe(sample.t, sample.landmarks) is not Verdict.PENDING:
            break
    return judge


def looped(samples: list[TrackSample], times: int) -> list[TrackSample]:
    period = samples[-1].t + 1 / 15
    return [TrackSample(s.t + i * period, s.landmarks) for i in range(times) for s in samples]


def test_turning_left_grows_the_yaw():
    assert pose_features(template(yaw=0.4))[1] == pytest.approx(0.4)
    assert pose_features(template())[0] == pytest.approx(0.30)


@pytest.mark.parametrize("name, challenge", [("blink", "blink"), ("left", "turn_left"),
                                             ("right", "turn_right")])
def test_the_asked_action_passes(name, challenge):
    judge = judge_track(load_track(TRACKS / f"{name}.json"), [challenge])
    assert judge.verdict is Verdict.PASSED


def test_a_still_photo_runs_out_of_time():
    judge = judge_track(load_track(TRACKS / "still.json"), ["blink"], time_limit_s=5.0)
    assert judge.verdict is Verdict.FAILED
    assert "not seen within" in judge.reason


@pytest.mark.parametrize("name, challenge", [("left", "turn_right"), ("right", "turn_left")])
def test_the_wrong_direction_fails_at_once(name, challenge):
    judge = judge_track(load_track(TRACKS / f"{name}.json"), [challenge])
    assert judge.verdict is Verdict.FAILED
    assert "other way" in judge.reason


def test_a_turn_when_a_blink_was_asked_fails():
    judge = judge_track(load_track(TRACKS / "left.json"), ["blink"])
    assert judge.verdict is Verdict.FAILED and "blink" in judge.reason


def test_a_looped_replay_of_an_earlier_answer_fails_another_challenge():
    replay = looped(load_track(TRACKS / "answer_left_blink.json"), 4)
    assert judge_track(replay, ["turn_left", "blink"]).verdict is Verdict.PASSED  # the original
    assert judge_track(replay, ["turn_right", "blink"]).verdict is Verdict.FAILED
    assert judge_track(replay, ["blink", "turn_right", "turn_left"]).verdict is Verdict.FAILED


def test_an_action_already_under_way_when_asked_does_not_count():
    samples = load_track(TRACKS / "left.json")
    turned = [s for s in samples if s.t >= 1.5]  # the head is already turned at the prompt
    judge = judge_track(turned, ["turn_left"], started_at=1.5)
    assert judge.verdict is not Verdict.PASSED
    blink = load_track(TRACKS / "blink.json")
    judge = judge_track([s for s in blink if s.t >= 1.12], ["blink"], started_at=1.12)
    assert judge.verdict is not Verdict.PASSED


def test_a_turn_begun_before_its_prompt_does_not_count():
    # a recording that turns while still blinking: the turn is under way when it is asked
    from devices.face.tracks import synthesize
    hasty = synthesize([("blink", 1.0), ("turn_left", 1.1)], duration=5.0)
    assert judge_track(hasty, ["blink", "turn_left"]).verdict is not Verdict.PASSED
    person = synthesize([("blink", 1.0), ("turn_left", 2.0)], duration=5.0)
    assert judge_track(person, ["blink", "turn_left"]).verdict is Verdict.PASSED


def test_actions_before_the_challenge_do_not_count():
    judge = judge_track(load_track(TRACKS / "blink.json"), ["blink"], started_at=1.5)
    assert judge.verdict is Verdict.PENDING
    assert judge.expire(8.0) is Verdict.FAILED


def test_a_performer_follows_each_challenge_as_announced():
    performer = Performer()
    judge = LivenessJudge(["turn_right", "blink", "turn_left"], 0.0)
    performer.announce(judge.current, 0.0)
    t = 0.0
    while judge.verdict is Verdict.PENDING and t < 20:
        before = judge.index
        judge.observe(t, performer.landmarks_at(t))
        if judge.index != before and judge.current:
            performer.announce(judge.current, t)
        t += 1 / 15
    assert judge.verdict is Verdict.PASSED


def test_random_challenges_never_repeat_back_to_back():
    for _ in range(50):
        sequence = random_challenges(3)
        assert set(sequence) <= set(CHALLENGES)
        assert all(a != b for a, b in zip(sequence, sequence[1:]))


@pytest.mark.parametrize("start", [0.0, 2.0, 4.0])
def test_a_real_recorded_clip_replayed_in_a_loop_fails_every_challenge_sequence(start):
    """hamilton_clip.json: landmarks extracted from the real clip by our pipeline."""
    import itertools
    replay = looped(load_track(TRACKS / "hamilton_clip.json"), 3)
    sequences = [list(s) for s in itertools.product(CHALLENGES, repeat=3)
                 if all(a != b for a, b in zip(s, s[1:]))]
    assert len(sequences) == 12
    for sequence in sequences:
        judge = judge_track(replay, sequence, started_at=start)
        judge.expire(replay[-1].t + 10)
        assert judge.verdict is Verdict.FAILED, sequence


def test_settings_refuse_a_min_face_width_the_detector_cannot_see():
    from pydantic import ValidationError

    from devices.face.settings import FaceSettings
    with pytest.raises(ValidationError, match="not detected"):
        FaceSettings(detect_width=320)
    assert FaceSettings(detect_width=320, min_face_width=0.25).min_face_width == 0.25
