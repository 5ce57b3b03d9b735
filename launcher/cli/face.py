"""`kiosk face verify` and `kiosk face evaluate`: the kiosk's own face matching, offline.

verify: one reference photo against a probe photo or video; prints the decision, the
distance, the quality verdict, liveness (a file cannot answer a live challenge, so it
is "not_assessable"; for a video the blinks and turns it shows are listed) and the
time of each stage. evaluate: error rates over a labelled pair list, liveness aside.
These are operator tools: they show the distance, which the citizen never sees.
"""
from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from launcher.cli import EXIT_DATA, EXIT_FAILED, EXIT_OK, EXIT_USAGE

#: below this many different-person pairs, a threshold at FAR 0.1 % is not resolvable
MIN_DIFFERENT_PAIRS_FOR_FAR_0_1 = 3000
VIDEO_FRAMES_ANALYSED = 60
VIDEO_FRAMES_MATCHED = 5


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("face", help="face verification tools (verify, evaluate)")
    commands = parser.add_subparsers(dest="face_command", metavar="SUBCOMMAND")
    verify = commands.add_parser("verify",
                                 help="one reference photo against a probe photo or video")
    verify.add_argument("--reference", required=True, type=Path, metavar="IMG")
    verify.add_argument("--probe", required=True, type=Path, metavar="IMG|VIDEO")
    verify.add_argument("--json", action="store_true", help="print JSON")
    evaluate = commands.add_parser("evaluate", help="error rates over a labelled pair list")
    evaluate.add_argument("--pairs", required=True, type=Path, metavar="CSV",
                          help="rows: first image, second image, same|different")
    evaluate.add_argument("--images", required=True, type=Path, metavar="DIR")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Any) -> int:
    command = getattr(args, "face_command", None)
    if command == "verify":
        return verify(args, ctx)
    if command == "evaluate":
        return evaluate(args, ctx)
    print("usage: kiosk face {verify,evaluate} ... (see kiosk face --help)", file=sys.stderr)
    return EXIT_USAGE


def _pipeline(ctx: Any):
    from devices.face.pipeline import FacePipeline
    from devices.face.settings import FaceSettings
    settings = FaceSettings(**ctx.config.config.face.model_dump())
    return FacePipeline(settings)


def _print(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    for key, value in result.items():
        shown = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
        print(f"{key}: {shown}")


# --- verify ---------------------------------------------------------------------

def verify(args: argparse.Namespace, ctx: Any) -> int:
    from devices.camera.source import SourceSpec, decode_image
    from devices.model import InvalidData
    started = time.perf_counter()
    try:
        reference = decode_image(args.reference.read_bytes())
        probe_is_video = SourceSpec.parse(str(args.probe)).kind == "video"
        probe = None if probe_is_video else decode_image(args.probe.read_bytes())
    except (OSError, InvalidData) as error:
        print(f"cannot read image: {getattr(error, 'message', error)}", file=sys.stderr)
        return EXIT_DATA
    timings: dict[str, float] = {"load_ms": _ms(started)}
    models_started = time.perf_counter()
    pipeline = _pipeline(ctx)
    timings["models_ms"] = _ms(models_started)
    threshold = pipeline.settings.threshold
    try:
        enrolment = pipeline.enrol(reference)
        timings.update({f"reference_{k}_ms": v for k, v in enrolment.timings_ms.items()})
        result: dict[str, Any] = {"decision": "not_assessable", "distance": None,
                                  "threshold": threshold,
                                  "reference": {"faces": enrolment.faces,
                                                "guidance": enrolment.guidance.value}}
        if not enrolment.ok:
            result["quality"] = None
            result["liveness"] = {"status": "not_assessable", "reason": "no reference face"}
        elif probe is not None:
            _verify_still(pipeline, probe, result, timings)
        else:
            outcome = _verify_video(pipeline, args.probe, result, timings)
            if outcome is not None:
                return outcome
        if result["distance"] is not None:
            result["decision"] = "accept" if result["distance"] <= threshold else "reject"
    finally:
        pipeline.clear()
    timings["total_ms"] = _ms(started)
    result["timings_ms"] = timings
    _print(result, args.json)
    return EXIT_OK if result["decision"] == "accept" else EXIT_FAILED


def _verify_still(pipeline: Any, probe: Any, result: dict[str, Any],
                  timings: dict[str, float]) -> None:
    from devices.face.guidance import Guidance, text
    observation = pipeline.observe(probe, match=False, framing=False)
    quality = {"guidance": observation.guidance.value, "faces": observation.faces,
               "text": text(observation.guidance, "en_US")}
    timings.update({f"probe_{k}_ms": v for k, v in observation.timings_ms.items()})
    if observation.faces == 1:
        # a still is judged as a photo (framing gates are for the live camera); the match
        # is still made on a single face whatever its quality, which is reported beside it
        encode_started = time.perf_counter()
        encoding, _ = pipeline.encode_still(probe)
        distance = pipeline.distance_to_reference(encoding)
        timings["probe_match_ms"] = _ms(encode_started)  # detect + encode
        result["distance"] = round(distance, 4)
    result["quality"] = quality
    result["liveness"] = {"status": "not_assessable",
                          "reason": "a still image cannot show a live response"}
    if observation.guidance is Guidance.SEVERAL_FACES:
        result["distance"] = None


def _verify_video(pipeline: Any, path: Path, result: dict[str, Any],
                  timings: dict[str, float]) -> int | None:
    from devices.camera.source import FrameSource
    from devices.face.guidance import Guidance
    from devices.face.liveness import count_actions
    from devices.model import DeviceError
    try:
        source = FrameSource(str(path), width=0, height=0)
        source.open()
    except (DeviceError, ValueError) as error:
        print(f"cannot read video: {getattr(error, 'message', error)}", file=sys.stderr)
        return EXIT_DATA
    guidance_counts: dict[str, int] = {}
    distances: list[float] = []
    track = []
    stage: dict[str, list[float]] = {}
    try:
        total = source.frame_count or VIDEO_FRAMES_ANALYSED
        step = max(1, total // VIDEO_FRAMES_ANALYSED)
        for index in range(min(total, VIDEO_FRAMES_ANALYSED * step)):
            try:
                frame = source.read()
            except DeviceError:
                break
            if index % step:
                continue
            observation = pipeline.observe(frame, match=len(distances) < VIDEO_FRAMES_MATCHED)
            for name, ms in observation.timings_ms.items():
                stage.setdefault(name, []).append(ms)
            guidance_counts[observation.guidance.value] = \
                guidance_counts.get(observation.guidance.value, 0) + 1
            if observation.landmarks is not None:
                track.append((index / 30.0, observation.landmarks))
            if observation.distance is not None:
                distances.append(observation.distance)
    finally:
        source.close()
    timings.update({f"probe_{k}_median_ms": round(statistics.median(v), 2)
                    for k, v in stage.items()})
    result["quality"] = {"frames": sum(guidance_counts.values()), "guidance": guidance_counts,
                         "frames_matched": len(distances)}
    if distances:
        result["distance"] = round(statistics.median(distances), 4)
    elif guidance_counts.get(Guidance.OK.value):
        result["quality"]["note"] = "good frames but none matched"
    result["liveness"] = {"status": "not_assessable",
                          "reason": "a recorded video cannot answer a live challenge",
                          "observed": count_actions(track)}
    return None


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)


# --- evaluate ---------------------------------------------------------------------

def evaluate(args: argparse.Namespace, ctx: Any) -> int:
    from devices.camera.source import decode_image
    from devices.model import InvalidData
    try:
        lines = args.pairs.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read {args.pairs}: {error}", file=sys.stderr)
        return EXIT_DATA
    if not args.images.is_dir():
        print(f"{args.images} is not a folder", file=sys.stderr)
        return EXIT_DATA
    bad_rows: list[dict[str, Any]] = []
    pairs: list[tuple[str, str, bool]] = []
    for number, row in enumerate(csv.reader(lines), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row]
        if number == 1 and cells[-1].lower() not in ("same", "different"):
            continue  # a header
        if len(cells) != 3 or cells[2].lower() not in ("same", "different"):
            bad_rows.append({"line": number, "problem": "expected: first image, second image, "
                                                        "same|different"})
            continue
        pairs.append((cells[0], cells[1], cells[2].lower() == "same"))
    pipeline = _pipeline(ctx)
    encodings: dict[str, Any] = {}
    unreadable: dict[str, str] = {}
    started = time.perf_counter()

    def encoding_of(name: str) -> Any:
        if name in encodings or name in unreadable:
            return encodings.get(name)
        path = args.images / name
        try:
            if args.images.resolve() not in path.resolve().parents:
                raise InvalidData("outside the images folder")
            encoding, _faces = pipeline.encode_still(decode_image(path.read_bytes()))
        except (OSError, InvalidData) as error:
            unreadable[name] = getattr(error, "message", None) or type(error).__name__
            return None
        encodings[name] = encoding
        return encoding

    same: list[float] = []
    different: list[float] = []
    failures_to_enrol = 0
    for first, second, is_same in pairs:
        a, b = encoding_of(first), encoding_of(second)
        if first in unreadable or second in unreadable:
            continue
        if a is None or b is None:
            failures_to_enrol += 1
            continue
        distance = float(((a - b) ** 2).sum() ** 0.5)
        (same if is_same else different).append(distance)
    elapsed_ms = (time.perf_counter() - started) * 1000
    evaluated = len(same) + len(different)
    result = error_rates(same, different, pipeline.settings.threshold)
    result.update({
        "pairs_evaluated": evaluated,
        "failures_to_enrol": failures_to_enrol,
        "ms_per_pair": round(elapsed_ms / evaluated, 2) if evaluated else None,
        "same_pairs": len(same),
        "different_pairs": len(different),
        "bad_rows": bad_rows,
        "unreadable_images": [{"image": k, "problem": v} for k, v in sorted(unreadable.items())],
    })
    for encoding in encodings.values():
        if encoding is not None:
            encoding.fill(0)
    _print(result, args.json)
    return EXIT_OK if evaluated else EXIT_FAILED


def error_rates(same: list[float], different: list[float], threshold: float) -> dict[str, Any]:
    """FAR/FRR at `threshold`, the equal error rate, and the threshold at FAR 0.1 %."""
    def far(t: float) -> float:
        return sum(d <= t for d in different) / len(different) if different else 0.0

    def frr(t: float) -> float:
        return sum(d > t for d in same) / len(same) if same else 0.0
    result: dict[str, Any] = {
        "threshold": threshold,
        "false_accept_rate": round(far(threshold), 6) if different else None,
        "false_reject_rate": round(frr(threshold), 6) if same else None,
        "equal_error_rate": None,
        "threshold_at_far_0_1pct": None,
    }
    if same and different:
        candidates = sorted(set(same) | set(different) | {0.0, 2.0})
        best = min(candidates, key=lambda t: (abs(far(t) - frr(t)), t))
        result["equal_error_rate"] = round((far(best) + frr(best)) / 2, 6)
    if len(different) < MIN_DIFFERENT_PAIRS_FOR_FAR_0_1:
        result["threshold_at_far_0_1pct_reason"] = (
            f"unresolvable: {len(different)} different-person pairs; at least "
            f"{MIN_DIFFERENT_PAIRS_FOR_FAR_0_1} are needed to measure a 0.1 % false accept rate")
    else:
        allowed = [t for t in sorted(different) if far(t) <= 0.001]
        result["threshold_at_far_0_1pct"] = round(allowed[-1], 4) if allowed else \
            round(min(different) - 1e-4, 4)
    return result
