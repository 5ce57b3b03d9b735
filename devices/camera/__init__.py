"""Cameras: the face camera above the screen and the document camera (高拍仪).

`Camera` (devices.camera.camera) is the kind's interface; frames reach consumers
through `Camera.frames`, a `devices.camera.frames.LatestFrame`.
"""
BACKENDS = {
    "simulated": "devices.camera.simulated:SimulatedCamera",
    "opencv": "devices.camera.opencv:OpenCVCamera",
}
