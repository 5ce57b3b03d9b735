"""Regenerates the landmark-track fixtures in this folder (run from the project root:
`.venv/bin/python -m tests.devices.face.tracks.make_tracks`). Most are synthesised with
devices.face.tracks (15 fps, actions starting about 1 s in, a little jitter);
hamilton_clip.json is extracted with the kiosk's own pipeline from the real video
clip in ../shared/data/faces (skipped when that folder is absent)."""
from __future__ import annotations

from pathlib import Path

from devices.face.tracks import TrackSample, save_track, synthesize

HERE = Path(__file__).resolve().parent
SHARED_FACES = HERE.parents[4] / "shared" / "data" / "faces"

TRACKS = {
    "blink": ([("blink", 1.0)], 3.0, "one blink at 1.0 s"),
    "left": ([("turn_left", 1.0)], 3.0, "turns to the citizen's left at 1.0 s and back"),
    "right": ([("turn_right", 1.0)], 3.0, "turns to the citizen's right at 1.0 s and back"),
    "still": ([], 8.0, "a photo held up: jitter only, no action"),
    "answer_left_blink": ([("turn_left", 0.8), ("blink", 2.6)], 4.0,
                          "a holder answering [turn_left, blink]; looped, it is a replay"),
}


def extract_clip(clip: Path) -> list[TrackSample]:
    """Landmarks of the single face in each frame of a real clip (None where there is none)."""
    import cv2

    from devices.face.pipeline import FacePipeline
    from devices.face.settings import FaceSettings
    pipeline = FacePipeline(FaceSettings())
    capture = cv2.VideoCapture(str(clip))
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    samples, index = [], 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        if index % 2 == 0:  # 15 fps, as the kiosk analyses
            observation = pipeline.observe(frame)
            samples.append(TrackSample(index / fps, observation.landmarks))
        index += 1
    capture.release()
    return samples


def main() -> None:
    for name, (script, duration, note) in TRACKS.items():
        save_track(HERE / f"{name}.json", synthesize(script, duration=duration), note)
    clip = SHARED_FACES / "short_hamilton_clip.mp4"
    if clip.exists():
        save_track(HERE / "hamilton_clip.json", extract_clip(clip),
                   "extracted from short_hamilton_clip.mp4 (a recording: a replay)")


if __name__ == "__main__":
    main()
