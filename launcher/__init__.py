"""Process entry points: the `kiosk` command (one module per sub-command in `cli/`) and the
demo. The only package that starts the UI and (for the demo) embeds the district server."""
