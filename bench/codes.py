"""Code reading: read rate and time per frame of zxing-cpp beside OpenCV's QR decoder, one run.

A generated set of 1280x720 camera-like frames: a QR code of every version 1-40 at every
error-correction level (L, M, Q, H), each filled to its capacity with text, under each
condition: clean; small (2 px per module); rotated 20 degrees; rotated 90 degrees; low
contrast (grey 110 on 150); camera noise (Gaussian, sigma 18); blur (Gaussian, sigma 1.2).
A frame counts as read when the decoder returns the exact text. Both decoders see the same
frames in turn. Prints JSON: per decoder the read rate and median/p95 ms per frame,
overall, per condition and per version band.

    .venv/bin/python bench/codes.py [--versions 1-40] [--step N] [--conditions clean,noise]
"""
from __future__ import annotations

import sys
from pathlib import Path

# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import statistics
import time

import cv2
import numpy as np
import qrcode
import qrcode.util
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

from devices.code_reader import opencv_decoder, zxing_decoder

WIDTH, HEIGHT = 1280, 720
LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}
CONDITIONS = ("clean", "small", "rotated_20", "rotated_90", "low_contrast", "noise", "blur")
BANDS = ((1, 9), (10, 15), (16, 25), (26, 40))
DECODERS = {"zxing_cpp": zxing_decoder.decode_codes, "opencv": opencv_decoder.decode_codes}
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def payload(version: int, level: str) -> str:
    """The longest alphanumeric text that fits this version and level."""
    bits = qrcode.util.BIT_LIMIT_TABLE[LEVELS[level]][version]
    count_bits = 9 if version <= 9 else 11 if version <= 26 else 13
    available = bits - 4 - count_bits               # mode indicator, character count
    return text(available // 11 * 2 + (1 if available % 11 >= 6 else 0))


def text(length: int) -> str:
    return "".join(ALPHABET[(i * 7 + i // 45) % len(ALPHABET)] for i in range(length))


def modules(version: int, level: str, content: str) -> np.ndarray:
    code = qrcode.QRCode(version=version, error_correction=LEVELS[level], border=4)
    code.add_data(content)
    code.make(fit=False)
    return np.array(code.get_matrix(), dtype=bool)


def frame(matrix: np.ndarray, condition: str, rng: np.random.Generator) -> np.ndarray:
    """The code as a camera at the desk would see it under this condition (grey, uint8)."""
    dark, light = (110, 150) if condition == "low_contrast" else (20, 235)
    fit = (HEIGHT - 40) // len(matrix)
    if condition == "rotated_20":
        fit = int((HEIGHT - 20) / 1.28) // len(matrix)
    scale = 2 if condition == "small" else max(2, min(4, fit))
    code = np.where(matrix, dark, light).astype(np.uint8).repeat(scale, 0).repeat(scale, 1)
    canvas = np.full((HEIGHT, WIDTH), 150 if condition != "low_contrast" else 130, np.uint8)
    top, left = (HEIGHT - len(code)) // 2, (WIDTH - len(code)) // 2
    canvas[top:top + len(code), left:left + len(code)] = code
    if condition.startswith("rotated"):
        angle = float(condition.split("_")[1])
        turn = cv2.getRotationMatrix2D((WIDTH / 2, HEIGHT / 2), angle, 1.0)
        canvas = cv2.warpAffine(canvas, turn, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR,
                                borderValue=150)
    if condition == "blur":
        canvas = cv2.GaussianBlur(canvas, (0, 0), 1.2)
    if condition == "noise":
        canvas = np.clip(canvas + rng.normal(0, 18, canvas.shape), 0, 255).astype(np.uint8)
    return cv2.cvtColor(canvas, cv2.COLOR_GRAY2BGR)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary(rows: list[dict], decoder: str) -> dict:
    read = [r[decoder]["read"] for r in rows]
    ms = [r[decoder]["ms"] for r in rows]
    return {"frames": len(rows), "read": sum(read), "read_rate": round(sum(read) / len(rows), 3),
            "median_ms": round(statistics.median(ms), 1), "p95_ms": round(p95(ms), 1)}


def versions(spec: str) -> range:
    first, _, last = spec.partition("-")
    return range(int(first), int(last or first) + 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", default="1-40", help="QR versions, e.g. 1-40 or 16")
    parser.add_argument("--step", type=int, default=1, help="every Nth version only")
    parser.add_argument("--levels", default="LMQH", help="error-correction levels")
    parser.add_argument("--conditions", default=",".join(CONDITIONS),
                        help=f"comma-separated, of: {', '.join(CONDITIONS)}")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    conditions = args.conditions.split(",")
    unknown = set(conditions) - set(CONDITIONS)
    if unknown:
        parser.error(f"unknown conditions: {', '.join(sorted(unknown))}")
    rng = np.random.default_rng(args.seed)
    rows = []
    for version in versions(args.versions)[::args.step]:
        print(f"phase: version {version}", file=sys.stderr, flush=True)
        for level in args.levels:
            content = payload(version, level)
            matrix = modules(version, level, content)
            for condition in conditions:
                image = frame(matrix, condition, rng)
                row = {"version": version, "level": level, "condition": condition}
                for name, decode in DECODERS.items():
                    started = time.perf_counter()
                    found = decode(image)
                    row[name] = {"ms": (time.perf_counter() - started) * 1000,
                                 "read": any(t == content for t, _ in found)}
                rows.append(row)
    result = {
        "benchmark": "QR read rate and time per 1280x720 frame, zxing-cpp beside OpenCV",
        "frames": len(rows),
        "overall": {name: summary(rows, name) for name in DECODERS},
        "by_condition": {c: {name: summary([r for r in rows if r["condition"] == c], name)
                             for name in DECODERS} for c in conditions},
        "by_version": {f"{lo}-{hi}": {name: summary(band, name) for name in DECODERS}
                       for lo, hi in BANDS
                       if (band := [r for r in rows if lo <= r["version"] <= hi])},
        "missed_by_zxing_cpp_read_by_opencv": [
            f"v{r['version']}{r['level']} {r['condition']}" for r in rows
            if r["opencv"]["read"] and not r["zxing_cpp"]["read"]],
    }
    zx, cv = result["overall"]["zxing_cpp"], result["overall"]["opencv"]
    result["ratio_time_opencv_over_zxing_cpp"] = round(cv["median_ms"] / zx["median_ms"], 2)
    result["goal"] = "ship the decoder with the higher read rate; time per frame beside it"
    result["better"] = "zxing_cpp" if zx["read_rate"] >= cv["read_rate"] else "opencv"
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
