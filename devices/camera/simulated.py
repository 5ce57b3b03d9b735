"""The simulated camera: the real OpenCV code reading a looped clip or a still.

With no source it shows an empty scene. For the demo it switches between people
(`sim_person`): "holder" plays the holder's picture and, being labelled a
simulation, injects a synthesised landmark track that performs each liveness
challenge the camera is told about; "someone_else" does the same with another
person's picture; "photo_of_holder" is the holder's picture that never moves; and
"no_one" is the empty scene. The decision still comes from the real pipeline on the
real pixels; only the landmark track is injected. As the document camera it can
show a synthetic paper form lying skewed on the desk (`sim_show_page`).
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np
from pydantic import Field

from foundation.config_files import CONFIG_DIR
from devices.camera.opencv import OpenCVCamera, OpenCVCameraSettings
from devices.camera.source import FrameSource, check_frame
from devices.commands import CancelToken, Command
from devices.face.tracks import Performer
from devices.model import DeviceIdentity
from devices.simulator import SimulatorError, SimulatorMixin

PERSONS = ("holder", "someone_else", "photo_of_holder", "no_one")


class SimulatedCameraSettings(OpenCVCameraSettings):
    source: str = ""             # a video or image file; empty: the empty scene
    fps: float = Field(15.0, ge=1, le=60)
    holder_image: str = ""       # the document holder's picture for sim_person("holder")
    other_image: str = ""        # someone else's picture for sim_person("someone_else")


class SimulatedCamera(SimulatorMixin, OpenCVCamera):
    backend = "simulated"
    Settings = SimulatedCameraSettings
    faults = ("corrupt_frame",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_simulator()
        self._scene_source: str = self.settings.source
        self._performer: Performer | None = None
        self._page_scene: np.ndarray | None = None
        self.person = "no_one" if not self._scene_source else ""

    # --- scenario actions -------------------------------------------------------------

    def sim_play(self, source: str) -> Command:
        """Show a video or image file (empty: the empty scene); reopens like a replug."""
        self._scene_source = source
        self._performer = None
        self._page_scene = None
        self.person = ""
        return self.recover_now()

    def sim_show_page(self, blurred: bool = False, glare: bool = False,
                      shift: float = 0.0) -> Command:
        """A synthetic paper form on the desk (document camera), optionally hard to read;
        `shift` slides it right by that share of the view (showing it again moves it)."""
        from devices.docscan.sample import desk_scene
        self._page_scene = desk_scene(self.settings.width or 1600, self.settings.height or 1200,
                                      blurred=blurred, glare=glare, shift=shift)
        self._scene_source = ""
        self._performer = None
        self.person = ""
        return self.recover_now()

    def sim_person(self, who: str, image: str = "") -> Command:
        """Who stands in front of the camera: holder, someone_else, photo_of_holder, no_one."""
        if who not in PERSONS:
            raise SimulatorError(f"unknown person {who!r}; use one of {', '.join(PERSONS)}")
        configured = {"holder": self.settings.holder_image,
                      "photo_of_holder": self.settings.holder_image,
                      "someone_else": self.settings.other_image}.get(who, "")
        # configured pictures (the demo's demo/holder.jpg) are relative to the config package
        picture = image or (str(CONFIG_DIR / configured) if configured else "")
        if who != "no_one" and not picture:
            raise SimulatorError(f"{self.name}: set holder_image/other_image or pass image=")
        self._scene_source = picture if who != "no_one" else ""
        self._page_scene = None
        self._performer = Performer() if who in ("holder", "someone_else") else None
        self.person = who
        return self.recover_now()

    def on_challenge(self, challenge: str | None) -> None:
        performer = self._performer
        if performer is not None:
            performer.announce(challenge, self.clock.monotonic())

    # --- below the OpenCV code ------------------------------------------------------------

    def _make_source(self):  # type: ignore[override]
        if not self._scene_source:
            return None
        s = self.settings
        return FrameSource(self._scene_source, width=s.width, height=s.height,
                           rotation=s.rotation, fps=s.fps)

    def _open(self) -> DeviceIdentity:
        self.check_simulated_device()
        source = self._make_source()
        if source is None:
            self._source = None
            return DeviceIdentity(model="simulated camera (empty scene)", backend=self.backend)
        identity = source.open()
        self._source = source
        return DeviceIdentity(model=f"simulated camera ({identity.model})", backend=self.backend,
                              port=identity.port, firmware=identity.firmware)

    def _read_image(self, token: CancelToken) -> np.ndarray:
        self.check_simulated_device(token)
        if self.take_fault("corrupt_frame"):  # what a flaky USB link hands over
            return check_frame(np.zeros((8, self.settings.width or 64), dtype=np.uint8))
        if self._source is None:
            return self._page_scene if self._page_scene is not None else self._empty_scene()
        return self._source.read()

    def _empty_scene(self) -> np.ndarray:
        width, height = self.settings.width or 1280, self.settings.height or 720
        ramp = np.linspace(90, 150, height, dtype=np.uint8)[:, None, None]
        return np.ascontiguousarray(np.broadcast_to(ramp, (height, width, 3)))

    def _frame_hints(self, captured_at: float) -> Mapping[str, Any]:
        performer = self._performer
        if performer is None:
            return {}
        return {"landmarks": performer.landmarks_at(captured_at), "simulated": True}

    def _frame_interval(self) -> float:
        return 1.0 / self.settings.fps
