"""Long fuzz run over every parser of outside bytes; prints JSON.

Targets live in bench/fuzz_targets/<area>.py as
`TARGETS = {name: (parse(bytes), (ClearError, ...))}` and optionally
`SEEDS = {name: [valid inputs]}`. Each target gets `--count` inputs (default 100,000):
mutations of its seeds (bit flips, truncations, insertions, splices) and random bytes.
Any exception that is not one of the target's clear errors is a finding.

    python bench/fuzz.py [--count N] [--seed S] [--only NAME]
"""
from __future__ import annotations

import sys
from pathlib import Path

# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import importlib.util
import json
import random
import time
import traceback

HERE = Path(__file__).resolve().parent


def load_targets() -> dict[str, tuple]:
    targets: dict[str, tuple] = {}
    for path in sorted((HERE / "fuzz_targets").glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"fuzz_targets.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        seeds = getattr(module, "SEEDS", {})
        for name, (parse, allowed) in module.TARGETS.items():
            targets[f"{path.stem}.{name}"] = (parse, tuple(allowed), list(seeds.get(name, [])))
    return targets


def mutate(rng: random.Random, seeds: list[bytes]) -> bytes:
    if not seeds or rng.random() < 0.15:
        return rng.randbytes(rng.randrange(0, 512))
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.randrange(1, 6)):
        choice = rng.randrange(5)
        if choice == 0 and data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif choice == 1 and data:
            del data[rng.randrange(len(data)):]
        elif choice == 2:
            at = rng.randrange(len(data) + 1)
            data[at:at] = rng.randbytes(rng.randrange(1, 16))
        elif choice == 3 and data:
            data[rng.randrange(len(data))] = rng.choice((0x00, 0xFF, 0x7F, 0x80, 0x81, 0x82))
        elif choice == 4 and len(seeds) > 1:
            other = rng.choice(seeds)
            data = data[:rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1):]
    return bytes(data)


def fuzz(name: str, parse, allowed, seeds, count: int, rng: random.Random) -> dict:
    start = time.perf_counter()
    clear = findings = 0
    first_finding = None
    for _ in range(count):
        data = mutate(rng, seeds)
        try:
            parse(data)
        except allowed:
            clear += 1
        except Exception:  # noqa: BLE001 - any other exception is what we hunt for
            findings += 1
            if first_finding is None:
                first_finding = {"input_hex": data[:256].hex(),
                                 "error": traceback.format_exc(limit=3)[-800:]}
    return {"inputs": count, "clear_errors": clear, "unexpected_errors": findings,
            "first_unexpected": first_finding, "seconds": round(time.perf_counter() - start, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=9303)
    parser.add_argument("--only", help="run only targets whose name contains this")
    args = parser.parse_args()
    results = {}
    for name, (parse, allowed, seeds) in load_targets().items():
        if args.only and args.only not in name:
            continue
        results[name] = fuzz(name, parse, allowed, seeds, args.count, random.Random(args.seed))
    print(json.dumps({"count_per_target": args.count, "targets": results}, indent=2))
    return 1 if any(r["unexpected_errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
