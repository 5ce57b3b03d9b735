"""The bottom of the kiosk's layers: clock, event kinds, identity-number rules and the
configuration files' location. Standard library, pydantic and `wire` only."""
