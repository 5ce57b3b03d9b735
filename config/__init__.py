"""Configuration data shipped with the kiosk: defaults, example site files, scenarios, catalogue."""
from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULTS_FILE = CONFIG_DIR / "defaults.toml"
#: Drop-in default files, one per device kind or subsystem, merged into defaults.toml.
DEFAULTS_DIR = CONFIG_DIR / "defaults.d"
SCENARIOS_DIR = CONFIG_DIR / "scenarios"
