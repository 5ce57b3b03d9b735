"""Long fuzz run over every parser of outside bytes; prints JSON.

Targets live in bench/fuzz_targets/<area>.py as
`TARGETS = {name: (parse(bytes), (ClearError, ...))}`, `SEEDS = {name: [valid inputs]}` and
optionally `MODULES = [dotted module names]` (default: the project modules the file imports).
Each target gets `--count` inputs (default 100,000): structure-aware mutations of its seeds
(JSON seeds are parsed and their values dropped, retyped, emptied or swapped; text seeds get
characters of the wrong class, lines of the wrong length), byte mutations (bit flips,
truncations, insertions, splices) and random bytes. Any exception that is not one of the
target's clear errors is a finding. Each target reports how far its inputs got: how many
were accepted, and the line coverage of its modules.

    python bench/fuzz.py [--count N] [--seed S] [--only NAME] [--no-coverage]
"""
from __future__ import annotations

import sys
from pathlib import Path

# bench/ must not lead the import path: bench/queue.py would shadow the standard library's queue
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import copy
import importlib.util
import json
import random
import time
import traceback
from functools import lru_cache

HERE = Path(__file__).resolve().parent


ROOT = HERE.parent


def load_targets() -> dict[str, tuple]:
    """name -> (parse, clear errors, seeds, source files of the modules it exercises)."""
    targets: dict[str, tuple] = {}
    for path in sorted((HERE / "fuzz_targets").glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"fuzz_targets.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        seeds = getattr(module, "SEEDS", {})
        files = _module_files(module)
        for name, (parse, allowed) in module.TARGETS.items():
            targets[f"{path.stem}.{name}"] = (parse, tuple(allowed), list(seeds.get(name, [])),
                                              files)
    return targets


def _module_files(target_module) -> list[str]:
    names = getattr(target_module, "MODULES", None)
    if names is None:
        names = {getattr(value, "__module__", None) or getattr(value, "__name__", "")
                 for value in vars(target_module).values()}
    else:
        names = [importlib.import_module(name).__name__ for name in names]
    files = set()
    for name in names:
        module = sys.modules.get(name or "")
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve().is_relative_to(ROOT) and \
                not Path(file).resolve().is_relative_to(HERE):
            files.add(str(Path(file).resolve()))
    return sorted(files)


# --- mutation ----------------------------------------------------------------------------

#: values that break assumptions: wrong types, empties, extremes, near-valid strings
_ODD_VALUES = (None, True, False, 0, -1, 1, 2**63, -2**63, 1e308, 0.5, "", "0", "<", " ",
               "x" * 5000, "2026-02-30T00:00:00Z", "a" * 64, "99999999999999999999", [], {},
               [None], {"": None})


@lru_cache(maxsize=4096)
def _json_seed(seed: bytes) -> tuple[bytes, object] | None:
    """(prefix, document) when `seed` is JSON after at most one leading byte (a status byte)."""
    for cut in (0, 1):
        try:
            document = json.loads(seed[cut:])
        except ValueError:
            continue
        if isinstance(document, (dict, list)):
            return seed[:cut], document
    return None


def _nodes(document: object) -> list[tuple[object, object]]:
    """(container, key) of every value inside `document`, containers included."""
    found, pending = [], [document]
    while pending:
        node = pending.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) \
            if isinstance(node, list) else ()
        for key, value in items:
            found.append((node, key))
            pending.append(value)
    return found


def mutate_json(rng: random.Random, prefix: bytes, document: object,
                seeds: list[bytes]) -> bytes:
    original = json.dumps(document, ensure_ascii=False).encode()
    document = copy.deepcopy(document)
    for _ in range(rng.randrange(1, 4)):
        nodes = _nodes(document)
        if not nodes:
            break
        container, key = rng.choice(nodes)
        choice = rng.randrange(6)
        if choice == 0:
            del container[key]
        elif choice == 1:
            container[key] = copy.deepcopy(rng.choice(_ODD_VALUES))
        elif choice == 2 and isinstance(container[key], (list, str)):
            value = container[key]
            container[key] = value[:0] if rng.random() < 0.5 else value + value
        elif choice == 3 and isinstance(container, dict):
            container[f"unknown_{rng.randrange(99)}"] = container[key]
        elif choice == 4:  # a value of the same place in another seed
            other = _json_seed(rng.choice(seeds))
            donors = [v for c, k in _nodes(other[1]) if k == key
                      for v in [c[k]]] if other else []
            if donors:
                container[key] = copy.deepcopy(rng.choice(donors))
        else:
            container[key] = [container[key]] if rng.random() < 0.5 else {"x": container[key]}
    mutated = json.dumps(document, ensure_ascii=False).encode()
    if mutated == original:  # the operations happened to cancel out: fall back to bytes
        return mutate_bytes(rng, prefix + original, seeds)
    return prefix + mutated


def mutate_text(rng: random.Random, text: str) -> bytes:
    """Near-valid text: a character of the wrong class, a line one too long or short."""
    alphabet = sorted(set(text) | set("0A<-:/ \n"))
    chars = list(text)
    for _ in range(rng.randrange(1, 4)):
        at = rng.randrange(len(chars) + 1)
        choice = rng.randrange(5)
        if choice == 0 and at < len(chars):
            chars[at] = rng.choice(alphabet)
        elif choice == 1 and at < len(chars):
            del chars[at]
        elif choice == 2:
            chars.insert(at, rng.choice(alphabet))
        elif choice == 3 and at < len(chars):
            end = rng.randrange(at, len(chars) + 1)
            chars[at:at] = chars[at:end]
        else:
            lines = "".join(chars).split("\n")
            rng.shuffle(lines)
            chars = list("\n".join(lines))
    return "".join(chars).encode()


def _text_seed(seed: bytes) -> str | None:
    try:
        text = seed.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text and text.isprintable() or "\n" in text else None


def mutate(rng: random.Random, seeds: list[bytes]) -> bytes:
    if not seeds or rng.random() < 0.1:
        return rng.randbytes(rng.randrange(0, 512))
    seed = rng.choice(seeds)
    kind = rng.random()
    if kind < 0.45 and (parsed := _json_seed(seed)) is not None:
        return mutate_json(rng, *parsed, seeds)
    if kind < 0.45 and (text := _text_seed(seed)) is not None:
        return mutate_text(rng, text)
    return mutate_bytes(rng, seed, seeds)


def mutate_bytes(rng: random.Random, seed: bytes, seeds: list[bytes]) -> bytes:
    data = bytearray(seed)
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


def fuzz(name: str, parse, allowed, seeds, count: int, rng: random.Random,
         files: list[str] | None = None) -> dict:
    """Run `count` inputs; with `files`, measure their line coverage while doing it."""
    tracer = None
    if files:
        import coverage
        tracer = coverage.Coverage(data_file=None, include=files, config_file=False)
        tracer.set_option("run:disable_warnings", ["no-data-collected"])
        tracer.start()
    start = time.perf_counter()
    accepted = clear = findings = 0
    first_finding = None
    try:
        for _ in range(count):
            data = mutate(rng, seeds)
            try:
                parse(data)
                accepted += 1
            except allowed:
                clear += 1
            except Exception:  # noqa: BLE001 - any other exception is what we hunt for
                findings += 1
                if first_finding is None:
                    first_finding = {"input_hex": data[:256].hex(),
                                     "error": traceback.format_exc(limit=3)[-800:]}
    finally:
        if tracer is not None:
            tracer.stop()
    result = {"inputs": count, "accepted": accepted, "clear_errors": clear,
              "unexpected_errors": findings, "first_unexpected": first_finding,
              "seconds": round(time.perf_counter() - start, 2)}
    if tracer is not None:
        result["coverage"] = _coverage(tracer, files)
    return result


def _coverage(tracer, files: list[str]) -> dict:
    modules, covered, total = {}, 0, 0
    for file in files:
        _name, statements, _excluded, missing, _text = tracer.analysis2(file)
        modules[str(Path(file).relative_to(ROOT))] = round(
            100 * (len(statements) - len(missing)) / max(1, len(statements)), 1)
        covered += len(statements) - len(missing)
        total += len(statements)
    return {"percent": round(100 * covered / max(1, total), 1), "lines_covered": covered,
            "lines": total, "modules": modules}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=9303)
    parser.add_argument("--only", help="run only targets whose name contains this")
    parser.add_argument("--no-coverage", action="store_true",
                        help="skip measuring line coverage (runs faster)")
    args = parser.parse_args()
    results = {}
    for name, (parse, allowed, seeds, files) in load_targets().items():
        if args.only and args.only not in name:
            continue
        results[name] = fuzz(name, parse, allowed, seeds, args.count, random.Random(args.seed),
                             None if args.no_coverage else files)
    print(json.dumps({"count_per_target": args.count, "targets": results}, indent=2))
    return 1 if any(r["unexpected_errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
