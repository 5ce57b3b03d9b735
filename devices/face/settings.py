"""Face verification settings (defaults in config/defaults.d/face.toml, section [face])."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

#: dlib's HOG window: the smallest face (px) the detector finds without upsampling
HOG_WINDOW = 80


class FaceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    threshold: float = Field(0.55, gt=0.2, lt=1.0)
    max_attempts: int = Field(3, ge=1, le=10)
    detect_width: int = Field(640, ge=160, le=1920)
    min_face_width: float = Field(0.125, gt=0, lt=1)
    max_face_width: float = Field(0.45, gt=0, le=1)
    max_centre_offset: float = Field(0.30, gt=0, le=0.5)
    min_brightness: int = Field(60, ge=0, le=255)
    max_brightness: int = Field(210, ge=0, le=255)
    min_sharpness: float = Field(25.0, ge=0)
    closed_eye_ratio: float = Field(0.15, gt=0, lt=0.5)
    max_head_turn: float = Field(0.35, gt=0, lt=1)
    good_frames_to_capture: int = Field(3, ge=1, le=30)
    challenges: int = Field(3, ge=1, le=4)
    challenge_time_s: float = Field(6.0, gt=0.5, le=60)
    turn_threshold: float = Field(0.20, gt=0, lt=1)
    blink_drop: float = Field(0.70, gt=0, lt=1)
    step_time_limit_s: float = Field(60.0, gt=1, le=600)
    evidence_image: bool = False

    @field_validator("min_face_width")
    @classmethod
    def _detectable(cls, value: float, info: ValidationInfo) -> float:
        # faces at least min_face_width wide must be found by the fast pass (no upsampling)
        # at detect_width; smaller ones are found by the slower full-frame pass: "come closer"
        detect_width = info.data.get("detect_width")
        if detect_width and value * detect_width < HOG_WINDOW:
            bound = round(HOG_WINDOW / detect_width, 4)
            raise PydanticCustomError(
                "greater_than_equal", "faces narrower than {ge} of the frame are not detected "
                "at this detect_width", {"ge": bound})
        return value
