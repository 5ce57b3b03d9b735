"""`kiosk [--config FILE] [--data-dir DIR] [COMMAND]`.

Each command is a module in this package with `register(subparsers)` (which adds its
parser and sets `func`) and `run(args, ctx) -> int`. With no command the kiosk runs.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import Sequence

from kiosk._version import __version__

EXIT_CODES = {
    0: "success",
    1: "a check or operation failed (details printed)",
    2: "usage error (bad arguments)",
    3: "configuration error (file, key and fix printed)",
    4: "a device needed by the command is unavailable",
    5: "bad input data (unreadable file, invalid document)",
    70: "`kiosk run` ended on an exception no Qt callback caught (the service restarts it)",
}
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CONFIG, EXIT_DEVICE, EXIT_DATA = range(6)


def default_data_dir() -> Path:
    if os.environ.get("KIOSK_DATA_DIR"):
        return Path(os.environ["KIOSK_DATA_DIR"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "gov-kiosk"


class Context:
    """What every command gets: the config (loaded on first use), the data dir, the clock.
    (Not a dataclass: defining one costs 2-4 M instructions, before the attract screen's
    first frame for `kiosk run`.)"""

    def __init__(self, config_file: Path | None, data_dir: Path) -> None:
        self.config_file = config_file
        self.data_dir = data_dir
        self._loaded: object = None

    @property
    def config(self):
        if self._loaded is None:
            from kiosk.config import load_config
            self._loaded = load_config(self.config_file)
        return self._loaded

    @property
    def clock(self):
        from foundation.clock import SystemClock
        return SystemClock()

    def setup_logging(self, *, also_stderr: bool = False, section=None) -> Path:
        """`section`: the logging settings when the configuration is not loaded yet."""
        from kiosk.logging_setup import configure_logging, log_directory
        section = section or self.config.config.logging
        log_dir = log_directory(section, self.data_dir)
        return configure_logging(log_dir, level=section.level, max_bytes=section.max_bytes,
                                 backups=section.backups, also_stderr=also_stderr)


def command_modules() -> list[str]:
    import pkgutil  # not for `kiosk run` (3 ms of CPU before the attract screen's first frame)
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


#: the global options that take a value (the command is the first other word)
_OPTIONS_WITH_VALUE = ("--config", "--data-dir")


def _runs_the_kiosk(argv: Sequence[str]) -> bool:
    """Whether `argv` runs the kiosk (`run`, or no command) and asks for no help or version:
    then only `run` is registered, so the attract screen does not wait for every command
    module to be imported."""
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help", "--version"):
            return False
        if word in _OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word == "run"
    return True


def build_parser(commands: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The CLI's parser with `commands` (default: every command module)."""
    epilog = "exit codes:\n" + "\n".join(f"  {code}  {text}" for code, text in EXIT_CODES.items())
    parser = argparse.ArgumentParser(
        prog="kiosk", description="24-hour government self-service kiosk. With no command, "
                                  "runs the kiosk full-screen.",
        epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="site configuration (TOML) overriding config/defaults.toml; "
                             "without it every device is simulated")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="where the queue, logs and keys live "
                             f"(default: $KIOSK_DATA_DIR or {default_data_dir()})")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules() if commands is None else commands:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(["run"] if _runs_the_kiosk(given) else None)
    args = parser.parse_args(given)
    ctx = Context(args.config, args.data_dir or default_data_dir())
    func = getattr(args, "func", None)
    if func is None:
        args = parser.parse_args([*given, "run"])
        func = args.func
    from foundation.config_files import ConfigError
    try:
        return int(func(args, ctx) or 0)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `kiosk ... | head`: the reader left, nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
