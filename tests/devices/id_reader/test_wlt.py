"""The WLT photo plug-in interface, through a stub library the test builds with gcc."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from devices.id_reader.sam import SamIdReader
from devices.id_reader.sam_simulator import SamSimulator
from devices.id_reader.wlt import HEADER, HEIGHT, WIDTH, WltDecoder, WltUnavailable
from foundation.clock import TestClock

STUB = r"""
#include "wlt_plugin.h"
int kiosk_wlt_abi_version(void) { return ABI; }
int kiosk_wlt_decode(const unsigned char *wlt, unsigned int wlt_len,
                     unsigned char *bgr, unsigned int bgr_len) {
    if (wlt_len != KIOSK_WLT_INPUT_BYTES || bgr_len < KIOSK_WLT_OUTPUT_BYTES) return -2;
    if (wlt[0] == 0xEE) return -15;  /* the vendor's "authorisation file missing" */
    for (unsigned int i = 0; i < KIOSK_WLT_WIDTH * KIOSK_WLT_HEIGHT; i++) {
        bgr[3 * i] = 10;                    /* blue */
        bgr[3 * i + 1] = wlt[i % wlt_len];  /* green */
        bgr[3 * i + 2] = 200;               /* red */
    }
    return 0;
}
"""


def build(tmp_path, name: str, source: str, abi: int = 1) -> str:
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed (apt-get install gcc)")
    c_file = tmp_path / f"{name}.c"
    c_file.write_text(source.replace("ABI", str(abi)))
    library = tmp_path / f"lib{name}.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", f"-I{HEADER.parent}", "-o", str(library),
                    str(c_file)], check=True, capture_output=True, timeout=60)
    return str(library)


@pytest.fixture
def stub(tmp_path):
    return build(tmp_path, "wltstub", STUB)


def test_stub_decodes_to_a_102_by_126_png(stub):
    from PIL import Image
    wlt = bytes(range(256)) * 4
    png = WltDecoder(stub).decode_png(wlt)
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT))
    assert image.getpixel((5, 0)) == (200, 5, 10)  # BGR from the plug-in became RGB


def test_vendor_error_code_is_reported(stub):
    with pytest.raises(WltUnavailable, match="code -15"):
        WltDecoder(stub).decode_png(b"\xee" + bytes(1023))


def test_wrong_length_is_refused_before_calling_the_library(stub):
    with pytest.raises(WltUnavailable, match="1024"):
        WltDecoder(stub).decode_png(bytes(10))


def test_a_library_without_the_interface_is_refused(tmp_path):
    other = build(tmp_path, "other", "int unrelated(void) { return 0; }\n")
    with pytest.raises(WltUnavailable, match="no kiosk WLT plug-in"):
        WltDecoder(other)


def test_a_library_with_another_abi_is_refused(tmp_path):
    newer = build(tmp_path, "newer", STUB, abi=2)
    with pytest.raises(WltUnavailable, match="ABI 2"):
        WltDecoder(newer)


def test_missing_library_is_refused(tmp_path):
    with pytest.raises(WltUnavailable, match="cannot be loaded"):
        WltDecoder(tmp_path / "libnothing.so")


@pytest.mark.parametrize("plugin, expect_photo", [("stub", True), ("missing", False)])
def test_sam_reader_photo_with_and_without_plugin(tmp_path, stub, plugin, expect_photo):
    path = stub if plugin == "stub" else str(tmp_path / "libmissing.so")
    with SamSimulator("resident") as sim:
        device = SamIdReader("sam", SamIdReader.Settings(port=sim.path, timeout_s=0.3,
                                                         wlt_plugin=path), clock=TestClock())
        device.start()
        try:
            document = device.read().result(10).unwrap()
        finally:
            device.stop()
    if expect_photo:
        assert document.photo.format == "png" and document.photo.width == WIDTH
    else:
        assert not document.photo.available
        assert "cannot be loaded" in document.photo.absent_reason
