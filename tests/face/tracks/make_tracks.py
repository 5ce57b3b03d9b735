"""Regenerates the landmark-track fixtures in this folder (run from the project root:
`.venv/bin/python -m tests.face.tracks.make_tracks`). They are synthesised with
devices.face.tracks: 15 fps, actions starting about 1 s in, a little jitter."""
from __future__ import annotations

from pathlib import Path

from devices.face.tracks import save_track, synthesize

HERE = Path(__file__).resolve().parent

TRACKS = {
    "blink": ([("blink", 1.0)], 3.0, "one blink at 1.0 s"),
    "left": ([("turn_left", 1.0)], 3.0, "turns to the citizen's left at 1.0 s and back"),
    "right": ([("turn_right", 1.0)], 3.0, "turns to the citizen's right at 1.0 s and back"),
    "still": ([], 8.0, "a photo held up: jitter only, no action"),
    "answer_left_blink": ([("turn_left", 0.8), ("blink", 2.6)], 4.0,
                          "a holder answering [turn_left, blink]; looped, it is a replay"),
}


def main() -> None:
    for name, (script, duration, note) in TRACKS.items():
        save_track(HERE / f"{name}.json", synthesize(script, duration=duration), note)


if __name__ == "__main__":
    main()
