"""Configuration data shipped with the kiosk: defaults, example site files, scenarios,
catalogue. Code finds these files through `foundation.config_files`."""
