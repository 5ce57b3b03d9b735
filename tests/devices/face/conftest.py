"""One face child process for the whole face test package (loading dlib's models costs
about a second; every test shares it and clears the reference after itself)."""
from __future__ import annotations

import pytest

from devices.face.process import FaceProcess
from devices.face.settings import FaceSettings


@pytest.fixture(scope="package")
def face_process():
    process = FaceProcess(FaceSettings()).start()
    assert process.ready.result(120) == "ready"
    yield process
    process.close()


@pytest.fixture
def face(face_process):
    yield face_process
    face_process.clear().result(30)
