"""Cameras through the real OpenCV code: image and video files, rotation, streaming
on the worker with only the newest frame kept, a vanishing source, corrupt frames."""
from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from devices.camera.opencv import OpenCVCamera
from devices.camera.simulated import SimulatedCamera
from devices.model import Availability, Completion
from devices.registry import backend_class
from foundation.clock import TestClock


def write_clip(path, frames=12, size=(320, 240)):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, size)
    for i in range(frames):
        image = np.full((size[1], size[0], 3), 20 * i % 255, dtype=np.uint8)
        cv2.putText(image, str(i), (40, 160), cv2.FONT_HERSHEY_SIMPLEX, 4, (255, 255, 255), 8)
        writer.write(image)
    writer.release()
    return path


def make_camera(cls, clock, **options):
    camera = cls("cam", cls.Settings(**options), clock=clock)
    camera.start()
    return camera


def wait_status(camera, availability, clock=None, advance=0.0):
    seen = threading.Event()
    unsubscribe = camera.subscribe(
        lambda event: seen.set() if camera.status.availability is availability else None)
    if camera.status.availability is not availability:
        if clock is not None and advance:
            clock.advance(advance)
        assert seen.wait(5), f"{camera.name} stayed {camera.status.availability}"
    unsubscribe()


@pytest.fixture
def still(tmp_path):
    image = np.zeros((300, 400, 3), dtype=np.uint8)
    image[:, :200] = (0, 0, 255)  # left half red (BGR)
    path = tmp_path / "scene.png"
    cv2.imwrite(str(path), image)
    return path


def test_registry_knows_both_backends():
    assert backend_class("camera", "opencv") is OpenCVCamera
    assert backend_class("camera", "simulated") is SimulatedCamera


def test_image_file_is_fitted_into_the_configured_size(still):
    camera = make_camera(OpenCVCamera, TestClock(), source=str(still), width=640, height=360)
    try:
        frame = camera.capture().result(5).unwrap()
        assert (frame.width, frame.height) == (640, 360)
        assert frame.image.flags.c_contiguous and not frame.image.flags.writeable
        assert camera.status.availability is Availability.ONLINE
        assert camera.status.identity.model == "image file"
    finally:
        camera.stop()


def test_rotation_turns_the_picture(still):
    camera = make_camera(OpenCVCamera, TestClock(), source=str(still), width=0, height=0,
                         rotation=90)
    try:
        image = camera.capture().result(5).unwrap().image
        assert image.shape[:2] == (400, 300)
        assert tuple(image[5, 150]) == (0, 0, 255)  # the red left half is now on top
        assert tuple(image[395, 150]) == (0, 0, 0)
    finally:
        camera.stop()


def test_video_file_plays_and_loops(tmp_path):
    clip = write_clip(tmp_path / "clip.avi", frames=5)
    camera = make_camera(OpenCVCamera, TestClock(), source=str(clip), width=0, height=0)
    try:
        means = [float(camera.capture().result(5).unwrap().image.mean()) for _ in range(7)]
        assert means[0] != means[1]
        assert means[5] == pytest.approx(means[0], abs=2)  # frame 6 is the first again
        assert camera.frames.seq == 7
    finally:
        camera.stop()


def test_streaming_keeps_only_the_newest_frame_and_yields_to_commands(still):
    clock = TestClock()
    camera = make_camera(SimulatedCamera, clock, source=str(still), fps=10)
    try:
        camera.start_streaming()
        first = camera.frames.wait_newer(0, 5)
        assert first is not None
        latest = first
        for _ in range(3):
            clock.advance(0.1)
            latest = camera.frames.wait_newer(latest.seq, 5) or latest
        assert latest.seq > first.seq
        # a command queued while streaming runs at once, between two grabs
        captured = camera.capture().result(5).unwrap()
        assert captured.seq > latest.seq
        assert camera.frames.latest().seq >= captured.seq
    finally:
        camera.stop()
    assert camera.frames.latest() is None  # stopping wipes the held frame


def test_source_that_vanishes_and_returns_heals_without_restart(still, tmp_path):
    clock = TestClock()
    camera = make_camera(OpenCVCamera, clock, source=str(still))
    try:
        camera.capture().result(5).unwrap()
        hidden = tmp_path / "hidden.png"
        still.rename(hidden)
        result = camera.capture().result(5)
        assert result.completion is Completion.DEVICE_NOT_READY
        assert camera.status.availability is Availability.NO_DEVICE
        hidden.rename(still)
        wait_status(camera, Availability.ONLINE, clock, advance=1.0)
        assert camera.capture().result(5).ok
    finally:
        camera.stop()


def test_unplug_and_replug_of_the_simulator_resumes_streaming(still):
    clock = TestClock()
    camera = make_camera(SimulatedCamera, clock, source=str(still), fps=10)
    try:
        camera.start_streaming()
        seen = camera.frames.wait_newer(0, 5)
        camera.simulate("remove")
        wait_status(camera, Availability.NO_DEVICE)
        camera.simulate("replug")
        wait_status(camera, Availability.ONLINE)
        fresh = None
        for _ in range(20):
            clock.advance(0.1)
            fresh = camera.frames.wait_newer(seen.seq, 0.5)
            if fresh is not None:
                break
        assert fresh is not None and fresh.seq > seen.seq
    finally:
        camera.stop()


def test_corrupt_frame_is_dropped_and_the_camera_stays_online(still):
    camera = make_camera(SimulatedCamera, TestClock(), source=str(still))
    try:
        camera.simulate("fault", name="corrupt_frame")
        result = camera.capture().result(5)
        assert result.completion is Completion.INVALID_DATA
        assert camera.frames_dropped == 1
        assert camera.status.availability is Availability.ONLINE
        assert camera.capture().result(5).ok
    finally:
        camera.stop()


def test_corrupt_image_file_is_invalid_data_until_fixed(still):
    good = still.read_bytes()
    camera = make_camera(OpenCVCamera, TestClock(), source=str(still))
    try:
        assert camera.capture().result(5).ok
        still.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
        assert camera.capture().result(5).completion is Completion.INVALID_DATA
        assert camera.status.availability is Availability.ONLINE
        still.write_bytes(good)
        import os
        os.utime(still, (1, 1))  # a new mtime makes the source reload it
        assert camera.capture().result(5).ok
    finally:
        camera.stop()


def test_missing_source_is_no_device_with_a_reason(tmp_path):
    camera = make_camera(OpenCVCamera, TestClock(), source=str(tmp_path / "none.mp4"))
    try:
        wait_status(camera, Availability.NO_DEVICE)
        assert "not found" in camera.status.reason
    finally:
        camera.stop()


def test_empty_scene_and_url_credentials_are_not_shown():
    from devices.camera.source import FrameSource
    source = FrameSource("rtsp://user:secret@10.0.0.9/stream")
    assert "secret" not in source._public_name()
    camera = make_camera(SimulatedCamera, TestClock())
    try:
        frame = camera.capture().result(5).unwrap()
        assert (frame.width, frame.height) == (1280, 720)
        assert camera.person == "no_one"
    finally:
        camera.stop()


@pytest.mark.parametrize("source, kind", [("0", "index"), ("/dev/video7", "v4l2"),
                                          ("rtsp://10.0.0.9/stream", "url"),
                                          ("HTTPS://cam.local/mjpg", "url"),
                                          ("clip.mp4", "video"), ("still.JPG", "image")])
def test_source_kinds_are_recognised(source, kind):
    from devices.camera.source import SourceSpec
    assert SourceSpec.parse(source).kind == kind


def test_an_absent_v4l2_device_is_no_device():
    from devices.camera.source import FrameSource
    from devices.model import NoDevice
    with pytest.raises(NoDevice):
        FrameSource("/dev/video-not-there").open()


class FlakyCapture:
    """Stands in for a USB camera's capture: delivers, glitches, then is pulled out."""

    def __init__(self, script):
        self.script = list(script)

    def read(self):
        ok = self.script.pop(0)
        return (True, np.zeros((48, 64, 3), np.uint8)) if ok else (False, None)

    def release(self):
        pass


def test_a_live_camera_glitch_is_one_bad_frame_and_silence_is_unplugged():
    from devices.camera.source import FAILED_READS_MEANING_GONE, FrameSource
    from devices.model import InvalidData, NoDevice
    source = FrameSource("0", width=0, height=0)
    source._capture = FlakyCapture([True, False, True] + [False] * FAILED_READS_MEANING_GONE)
    assert source.read().shape == (48, 64, 3)
    with pytest.raises(InvalidData):
        source.read()
    source.read()  # a good frame resets the count
    for _ in range(FAILED_READS_MEANING_GONE - 1):
        with pytest.raises(InvalidData):
            source.read()
    with pytest.raises(NoDevice):
        source.read()


@pytest.fixture
def mjpeg_server():
    """A network camera on loopback: each connection streams FRAMES JPEGs, then hangs up."""
    import http.server
    import socketserver

    class Stream(http.server.BaseHTTPRequestHandler):
        frames = 5

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
            self.end_headers()
            for index in range(self.frames):
                image = np.full((240, 320, 3), 40 + 30 * index, np.uint8)
                jpeg = cv2.imencode(".jpg", image)[1].tobytes()
                self.wfile.write(b"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: "
                                 + str(len(jpeg)).encode() + b"\r\n\r\n" + jpeg + b"\r\n")

        def log_message(self, *args):
            pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Stream)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://user:secret@127.0.0.1:{server.server_address[1]}/stream.mjpg", Stream
    server.shutdown()
    server.server_close()


def test_a_network_stream_that_ends_is_unplugged_and_reconnects(mjpeg_server):
    url, stream = mjpeg_server
    clock = TestClock()
    camera = make_camera(OpenCVCamera, clock, source=url, width=0, height=0)
    try:
        means = [camera.capture().result(10).unwrap().image.mean() for _ in range(stream.frames)]
        assert means == sorted(means) and means[0] < means[-1]
        assert "secret" not in camera.status.identity.port
        endings = [camera.capture().result(10).completion for _ in range(3)]
        assert endings == [Completion.INVALID_DATA, Completion.INVALID_DATA,
                           Completion.DEVICE_NOT_READY]
        assert camera.status.availability is Availability.NO_DEVICE
        wait_status(camera, Availability.ONLINE, clock, advance=1.0)  # the server is still up
        assert camera.capture().result(10).ok
    finally:
        camera.stop()
