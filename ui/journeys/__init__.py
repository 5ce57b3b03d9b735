"""The citizen journeys' view-models and QML screens (registered by `screens`)."""
from ui.journeys._pyside_guard import guard_bool_refcounts

guard_bool_refcounts()
