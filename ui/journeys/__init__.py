"""The citizen journeys' view-models and QML screens (registered by `screens`)."""
