"""`kiosk face verify` and `kiosk face evaluate`, called through run() with a Namespace."""
from __future__ import annotations

import argparse
import json

import pytest

from launcher.cli import EXIT_DATA, EXIT_FAILED, EXIT_OK, Context
from launcher.cli import face as face_cli
from tests.conftest import shared_data


@pytest.fixture
def ctx(tmp_path):
    return Context(None, tmp_path)


def verify(ctx, capsys, reference, probe):
    args = argparse.Namespace(face_command="verify", reference=reference, probe=probe, json=True)
    code = face_cli.run(args, ctx)
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def test_verify_accepts_the_same_person_and_says_liveness_is_not_assessable(ctx, capsys):
    faces = shared_data("faces")
    code, result = verify(ctx, capsys, faces / "obama.jpg", faces / "32bit.png")
    assert code == EXIT_OK
    assert result["decision"] == "accept" and result["distance"] <= result["threshold"]
    assert result["quality"]["guidance"] == "ok"
    assert result["liveness"]["status"] == "not_assessable"
    assert {"reference_detect_ms", "reference_encode_ms", "probe_detect_ms",
            "total_ms"} <= set(result["timings_ms"])


def test_verify_rejects_another_person(ctx, capsys):
    faces = shared_data("faces")
    code, result = verify(ctx, capsys, faces / "obama.jpg", faces / "kit_harington_john2.jpeg")
    assert (code, result["decision"]) == (EXIT_FAILED, "reject")


def test_verify_a_video_probe_lists_what_it_shows(ctx, capsys):
    faces = shared_data("faces")
    code, result = verify(ctx, capsys, faces / "lin-manuel-miranda.png",
                          faces / "short_hamilton_clip.mp4")
    assert result["quality"]["frames"] > 0
    assert result["liveness"]["status"] == "not_assessable"
    assert set(result["liveness"]["observed"]) == {"blinks", "turns_left", "turns_right"}
    assert result["decision"] in ("accept", "reject", "not_assessable")


def test_verify_an_unreadable_image_is_a_data_error(ctx, capsys, tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg")
    code, _ = verify(ctx, capsys, broken, broken)
    assert code == EXIT_DATA


def test_evaluate_reports_rates_bad_rows_and_unreadable_images(ctx, capsys, tmp_path):
    faces = shared_data("faces")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("first,second,label\n"
                     "obama.jpg,obama2.jpg,same\n"
                     "obama.jpg,kit_harington_john2.jpeg,different\n"
                     "obama2.jpg,kit_harington_john2.jpeg,different\n"
                     "only two,cells\n"
                     "missing.jpg,obama.jpg,same\n")
    args = argparse.Namespace(face_command="evaluate", pairs=pairs, images=faces, json=True)
    assert face_cli.run(args, ctx) == EXIT_OK
    result = json.loads(capsys.readouterr().out)
    for key in ("pairs_evaluated", "failures_to_enrol", "false_accept_rate", "false_reject_rate",
                "equal_error_rate", "threshold_at_far_0_1pct", "ms_per_pair"):
        assert key in result
    assert result["pairs_evaluated"] == 3
    assert (result["false_accept_rate"], result["false_reject_rate"]) == (0.0, 0.0)
    assert result["threshold_at_far_0_1pct"] is None
    assert "3000" in result["threshold_at_far_0_1pct_reason"]
    assert result["bad_rows"] == [{"line": 5, "problem": "expected: first image, second image, "
                                                         "same|different"}]
    assert result["unreadable_images"][0]["image"] == "missing.jpg"


def test_error_rates_find_the_threshold_at_far_0_1pct_when_resolvable():
    same = [0.3] * 100 + [0.6]
    different = [0.5] + [0.7 + i * 1e-4 for i in range(3999)]
    result = face_cli.error_rates(same, different, 0.55)
    assert result["false_accept_rate"] == pytest.approx(1 / 4000)
    assert result["false_reject_rate"] == pytest.approx(1 / 101)
    assert result["threshold_at_far_0_1pct"] == pytest.approx(0.7003, abs=1e-4)
    assert 0 < result["equal_error_rate"] < 0.01
