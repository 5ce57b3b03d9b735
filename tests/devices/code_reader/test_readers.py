"""Code readers: QR codes from generated images through zxing-cpp and OpenCV (camera backend), a
scanner on a pty (serial backend and the simulator), a keyboard wedge."""
from __future__ import annotations

import os
import pty
import threading
import tty

import cv2
import numpy as np
import qrcode
import pytest

from devices.code_reader.camera import CameraCodeReader
from devices.code_reader.codes import CodeKind
from devices.code_reader import opencv_decoder, zxing_decoder
from devices.code_reader.serial_scanner import SerialCodeReader
from devices.code_reader.simulated import SimulatedCodeReader
from devices.code_reader.wedge import KeyboardWedgeReader
from devices.model import Availability
from foundation.clock import TestClock


DECODERS = pytest.mark.parametrize("decode", [zxing_decoder.decode_codes,
                                              opencv_decoder.decode_codes],
                                   ids=["zxing_cpp", "opencv"])


def qr_image(text: str, box: int = 8, version: int | None = None) -> np.ndarray:
    code = qrcode.QRCode(version=version, box_size=box)
    code.add_data(text)
    rgb = np.array(code.make_image().convert("RGB"))
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def photographed(image: np.ndarray, angle: float) -> np.ndarray:
    """The code on a grey desk, turned and shrunk as a camera would see it."""
    canvas = np.full((720, 1280, 3), 150, dtype=np.uint8)
    h, w = image.shape[:2]
    top, left = (720 - h) // 2, (1280 - w) // 2
    canvas[top:top + h, left:left + w] = image
    matrix = cv2.getRotationMatrix2D((640, 360), angle, 0.8)
    return cv2.warpAffine(canvas, matrix, (1280, 720), borderValue=(150, 150, 150))


def start(reader):
    reader.start()
    online = threading.Event()
    reader.subscribe(lambda e: online.set() if reader.status.usable else None)
    if not reader.status.usable:
        assert online.wait(5), reader.status
    return reader


@DECODERS
@pytest.mark.parametrize("angle", [0, 17, 90])
def test_qr_codes_are_found_in_a_photographed_frame(decode, angle):
    frame = photographed(qr_image("PICKUP-12345678"), angle)
    assert ("PICKUP-12345678", "QR_CODE") in decode(frame)


@DECODERS
def test_nothing_is_found_in_an_empty_frame(decode):
    assert decode(np.full((480, 640, 3), 200, dtype=np.uint8)) == []


def test_the_shipped_decoder_reads_a_large_qr_code_turned_on_the_desk():
    """A version-25 code (a hand-over with many fields) at 3 px per module, turned."""
    text = "HANDOVER-" + "0123456789" * 60
    frame = photographed(qr_image(text, box=3, version=25), 20)
    assert (text, "QR_CODE") in zxing_decoder.decode_codes(frame)


def test_camera_reader_reports_each_code_once_then_again_later(tmp_path):
    path = tmp_path / "desk.png"
    cv2.imwrite(str(path), photographed(qr_image("APPT-7K3M9Q2X"), 10))
    clock = TestClock()
    reader = start(CameraCodeReader("code_camera", CameraCodeReader.Settings(
        source=str(path), fps=10, repeat_after_s=3), clock=clock))
    reads = []
    got = threading.Event()
    reader.subscribe(lambda e: (reads.append(e.data["code"]), got.set())
                     if e.name == "codeRead" else None)
    try:
        first = reader.next_code()
        clock.advance(0.1)
        code = first.result(10)
        assert (code.kind, code.value) == (CodeKind.APPOINTMENT, "7K3M9Q2X")
        # the same code in the next frames is not reported again within repeat_after_s
        for _ in range(5):
            clock.advance(0.1)
        reader.call("sync", lambda token: None)
        assert len(reads) == 1
        again = reader.next_code()
        clock.advance(3.0)
        assert again.result(10).value == "7K3M9Q2X"
    finally:
        reader.stop()


def test_simulated_scanner_types_through_the_pty():
    reader = start(SimulatedCodeReader("code_scanner", SimulatedCodeReader.Settings(),
                                       clock=TestClock()))
    rejected = []
    reader.subscribe(lambda e: rejected.append(e.data["reason"]) if e.name == "codeRejected"
                     else None)
    try:
        future = reader.next_code()
        reader.simulate("send", data=b"\xff\xfe garbage\r")
        reader.simulate("scan", text="MRZ:L898902C<369080619406236")
        code = future.result(10)
        assert code.kind is CodeKind.MRZ_KEY and code.fields["birth_date"] == "690806"
        assert any("UTF-8" in r for r in rejected)
        assert reader.status.identity.port.startswith("/dev/pts/")
    finally:
        reader.stop()


def test_serial_backend_reads_a_scanner_on_a_pty():
    master, slave = pty.openpty()
    tty.setraw(slave)
    name = os.ttyname(slave)
    reader = start(SerialCodeReader("scanner", SerialCodeReader.Settings(port=name),
                                    clock=TestClock()))
    try:
        future = reader.next_code()
        os.write(master, b"PICK")  # a line may arrive in pieces
        os.write(master, b"UP-24681357\r\n")
        assert future.result(10).value == "24681357"
    finally:
        reader.stop()
        os.close(master)
        os.close(slave)


def test_a_missing_serial_port_is_no_device():
    reader = SerialCodeReader("scanner", SerialCodeReader.Settings(port="/dev/nonexistent-tty"),
                              clock=TestClock())
    reader.start()
    try:
        reader.call("probe", lambda token: None)
        assert reader.status.availability is Availability.NO_DEVICE
    finally:
        reader.stop()


def test_unplugged_simulated_scanner_heals_on_replug():
    reader = start(SimulatedCodeReader("code_scanner", SimulatedCodeReader.Settings(),
                                       clock=TestClock()))
    try:
        changed = threading.Event()
        reader.subscribe(lambda e: changed.set()
                         if reader.status.availability is Availability.NO_DEVICE else None)
        reader.simulate("remove")
        assert changed.wait(5)
        reader.simulate("replug")
        reader.call("sync", lambda token: None)
        future = reader.next_code()
        reader.simulate("scan", text="APPT-ABCDEFGH")
        assert future.result(10).value == "ABCDEFGH"
    finally:
        reader.stop()


def test_keyboard_wedge_takes_fast_bursts_not_typing():
    clock = TestClock()
    reader = start(KeyboardWedgeReader("wedge", KeyboardWedgeReader.Settings(), clock=clock))
    reads = []
    reader.subscribe(lambda e: reads.append(e.data["code"]) if e.name == "codeRead" else None)
    try:
        for char in "1234\r":  # a person typing: 200 ms between keys
            reader.feed_text(char)
            clock.advance(0.2)
        future = reader.next_code()
        reader.feed_text("PICKUP-11223344\r")  # a scanner: all at once
        assert future.result(10).value == "11223344"
        reader.call("sync", lambda token: None)
        assert [c.value for c in reads] == ["11223344"]
    finally:
        reader.stop()


L_CODES = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111",
           "0111011", "0110111", "0001011"]


def ean8_image(digits: str, module: int = 4) -> np.ndarray:
    """An EAN-8 barcode (as printed on a pickup slip) drawn from the standard's tables."""
    right = ["".join("1" if b == "0" else "0" for b in code) for code in L_CODES]
    bits = "101" + "".join(L_CODES[int(d)] for d in digits[:4]) + "01010" \
        + "".join(right[int(d)] for d in digits[4:]) + "101"
    row = np.array([0 if b == "1" else 255 for b in bits], dtype=np.uint8).repeat(module)
    bars = np.tile(row, (160, 1))
    image = np.full((240, bars.shape[1] + 80), 255, dtype=np.uint8)
    image[40:200, 40:40 + bars.shape[1]] = bars
    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)


@DECODERS
def test_an_ean8_pickup_barcode_is_read_and_parsed(decode):
    from devices.code_reader.codes import parse_code
    found = decode(photographed(ean8_image("12345670"), 0))
    assert found and found[0][0] == "12345670"
    code = parse_code(*found[0])
    assert (code.kind, code.value, code.symbology) == (CodeKind.PICKUP, "12345670", found[0][1])



@pytest.mark.parametrize("line2, reason", [
    ("L898902C3XUTO7408122F1204159ZE184226B<<<<<10", "MRZ check digit is not a digit"),
    ("L898902C36UTO74O8122F1204159ZE184226B<<<<<10", "MRZ date is not six digits"),
], ids=["check-digit", "date"])
def test_a_photographed_mrz_with_a_letter_for_a_digit_is_rejected(tmp_path, line2, reason):
    path = tmp_path / "desk.png"
    mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" + line2
    cv2.imwrite(str(path), photographed(qr_image(mrz), 0))
    clock = TestClock()
    reader = start(CameraCodeReader("code_camera", CameraCodeReader.Settings(
        source=str(path), fps=10), clock=clock))
    rejected: list[str] = []
    got = threading.Event()
    reader.subscribe(lambda e: (rejected.append(e.data["reason"]), got.set())
                     if e.name == "codeRejected" else None)
    try:
        clock.advance(0.1)
        assert got.wait(10)
        assert rejected[0] == reason
        assert reader.status.usable
    finally:
        reader.stop()


def test_a_scanner_reopened_many_times_keeps_one_read_loop_and_still_reads():
    reader = start(SimulatedCodeReader("code_scanner", SimulatedCodeReader.Settings(),
                                       clock=TestClock()))
    try:
        for _ in range(10):   # each reopen used to add a read loop that never ended
            reader.simulate("fail")
            reader.simulate("recover")
            reader.submit("back", lambda _token: None, timeout=None, internal=True).result(10)
            assert reader._queue.qsize() <= 1   # the read loop, queued behind nothing else
        future = reader.next_code()
        reader.simulate("scan", text="MRZ:L898902C<369080619406236")
        assert future.result(10).fields["document_number"] == "L898902C"
    finally:
        reader.stop()
