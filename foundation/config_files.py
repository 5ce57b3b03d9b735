"""Where the kiosk's configuration files are and how they are read and explained.

Defaults live in config/defaults.toml and the drop-ins of config/defaults.d/; a site file
goes on top. Every problem becomes a `ConfigError` that names the file the value came from,
the dotted key, what is wrong and how to fix it. The typed model that validates the merged
values is `kiosk.config.KioskConfig`; device backends validate their own options here too.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # pydantic is imported by whoever validates; `kiosk run` draws first
    from pydantic import BaseModel, ValidationError

#: config/ beside this package: the same relation holds in a checkout, a wheel and the bundle.
CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
DEFAULTS_FILE = CONFIG_DIR / "defaults.toml"
#: Drop-in default files, one per device kind or subsystem, merged into defaults.toml.
DEFAULTS_DIR = CONFIG_DIR / "defaults.d"
SCENARIOS_DIR = CONFIG_DIR / "scenarios"


class ConfigError(Exception):
    """A configuration problem; `str()` is the whole message for the person fixing it."""

    def __init__(self, file: Path | str, key: str, problem: str, fix: str) -> None:
        self.file, self.key, self.problem, self.fix = str(file), key, problem, fix
        super().__init__(f"configuration error in {file}: key '{key}': {problem}. Fix: {fix}")


#: Deeper than any real configuration; deeper values would exhaust the recursion of merging.
MAX_NESTING = 32


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML table in `path`; any file that cannot be read as one is a `ConfigError`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, "-", "the file does not exist",
                          "check the path given to --config") from None
    except IsADirectoryError:
        raise ConfigError(path, "-", "this is a directory, not a file",
                          "give the path of the TOML file inside it") from None
    except OSError as error:
        raise ConfigError(path, "-", f"the file cannot be read ({error.strerror})",
                          "check its permissions and the disk it is on") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise ConfigError(path, "-", f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at line "
                                     f"{line}, column {column})",
                          "save the file as UTF-8 in your editor") from None
    import tomllib   # here: the attract screen's snapshot reads no TOML
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, "-", f"not valid TOML ({error})",
                          "correct the syntax at the line and column named") from None
    except RecursionError:
        data = None
    if data is None or _nesting(data) > MAX_NESTING:
        raise ConfigError(path, "-", f"values are nested more than {MAX_NESTING} levels deep",
                          "flatten the arrays and tables; no setting needs that depth")
    return data


def _nesting(value: Any) -> int:
    """How deep tables and arrays are nested in `value`, counted without recursion."""
    deepest, pending = 0, [(value, 0)]
    while pending:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        if depth > MAX_NESTING:
            break
        if isinstance(node, dict):
            node = node.values()
        if isinstance(node, (list, type({}.values()))):
            pending.extend((child, depth + 1) for child in node)
    return deepest


def merge(into: dict[str, Any], data: Mapping[str, Any], origin: Path,
           origins: dict[str, Path], prefix: tuple[str, ...] = ()) -> None:
    for key, value in data.items():
        path = (*prefix, key)
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value, origin, origins, path)
        else:
            into[key] = value
            origins[".".join(path)] = origin
            if isinstance(value, dict):
                _record(value, origin, origins, path)


def _record(data: Mapping[str, Any], origin: Path, origins: dict[str, Path],
            prefix: tuple[str, ...]) -> None:
    for key, value in data.items():
        origins[".".join((*prefix, key))] = origin
        if isinstance(value, dict):
            _record(value, origin, origins, (*prefix, key))


def origin_of(origins: Mapping[str, Path], parts: list[str], fallback: Path) -> Path:
    for end in range(len(parts), 0, -1):
        hit = origins.get(".".join(parts[:end]))
        if hit is not None:
            return hit
    return fallback


def default_files() -> list[Path]:
    return [DEFAULTS_FILE, *sorted(DEFAULTS_DIR.glob("*.toml"))]


def _allowed_keys(model: type[BaseModel] | None, data: Any) -> list[str]:
    if model is not None:
        return list(model.model_fields)
    return list(data) if isinstance(data, dict) else []


def explain(error: ValidationError, data: Mapping[str, Any], origins: Mapping[str, Path],
            model: type[BaseModel], prefix: list[str] | None = None) -> ConfigError:
    """The first problem of `error` (validating `data` against `model`) for the person fixing it."""
    first = error.errors()[0]
    loc = [str(p) for p in first["loc"]]
    parts = [*(prefix or []), *loc]
    key = ".".join(parts)
    origin = origin_of(origins, parts, DEFAULTS_FILE)
    kind, ctx = first["type"], first.get("ctx", {})
    value = first.get("input")
    if kind == "extra_forbidden":
        siblings = _sibling_keys(data, loc[:-1], model)
        import difflib   # only to explain a mistake, never on the way to the first frame
        guess = difflib.get_close_matches(loc[-1], siblings, n=1)
        fix = (f"did you mean '{'.'.join([*parts[:-1], guess[0]])}'? " if guess else "") + \
            "remove the key or correct its spelling"
        return ConfigError(origin, key, "unknown key", fix)
    if kind == "missing":
        return ConfigError(origin, key, "required key is missing", f"add '{loc[-1]} = ...'")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "?")
        word = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=",
                "less_than": "<"}[kind]
        return ConfigError(origin, key, f"value {value!r} is out of range",
                           f"set it to a value {word} {bound}")
    if kind == "literal_error":
        return ConfigError(origin, key, f"value {value!r} is not allowed",
                           f"use one of {ctx.get('expected')}")
    if kind == "string_pattern_mismatch":
        return ConfigError(origin, key, f"value {value!r} has the wrong form",
                           f"it must match {ctx.get('pattern')}")
    expected = kind.split("_")[0]
    return ConfigError(origin, key, f"{first['msg'].lower()} (got {type(value).__name__} "
                                    f"{value!r})", f"give a {expected} value")


def _sibling_keys(data: Any, loc: list[str], root: type[BaseModel]) -> list[str]:
    from pydantic import BaseModel
    node: Any = data
    for part in loc:
        node = node.get(part, {}) if isinstance(node, dict) else {}
    model: Any = root
    for part in loc:
        field_info = getattr(model, "model_fields", {}).get(part)
        model = field_info.annotation if field_info is not None else None
    return _allowed_keys(model if isinstance(model, type) and issubclass(model, BaseModel) else None,
                         node)
