"""Optional WLT photo decoding through a vendor plug-in (C interface: wlt_plugin.h).

Without a plug-in the document says "photo not available" and the face step asks the
district server for the citizen's reference photo instead.
"""
from __future__ import annotations

import ctypes
import io
from pathlib import Path

WLT_BYTES = 1024
WIDTH, HEIGHT = 102, 126
OUTPUT_BYTES = WIDTH * HEIGHT * 3
ABI_VERSION = 1
HEADER = Path(__file__).with_name("wlt_plugin.h")


class WltUnavailable(Exception):
    """The plug-in cannot be loaded or refused to decode; the message says why."""


class WltDecoder:
    def __init__(self, path: str | Path) -> None:
        try:
            library = ctypes.CDLL(str(path))
        except OSError as error:
            raise WltUnavailable(f"the WLT plug-in {path} cannot be loaded: {error}") from None
        try:
            version, decode = library.kiosk_wlt_abi_version, library.kiosk_wlt_decode
        except AttributeError:
            raise WltUnavailable(f"{path} is no kiosk WLT plug-in (see {HEADER.name})") from None
        version.restype, version.argtypes = ctypes.c_int, []
        if version() != ABI_VERSION:
            raise WltUnavailable(f"the WLT plug-in {path} speaks ABI {version()}, "
                                 f"not {ABI_VERSION}")
        decode.restype = ctypes.c_int
        decode.argtypes = [ctypes.c_char_p, ctypes.c_uint, ctypes.c_char_p, ctypes.c_uint]
        self._decode = decode
        self.path = str(path)

    def decode_png(self, wlt: bytes) -> bytes:
        """The photo as PNG (102x126 RGB)."""
        if len(wlt) != WLT_BYTES:
            raise WltUnavailable(f"a WLT photo has {WLT_BYTES} bytes, not {len(wlt)}")
        output = ctypes.create_string_buffer(OUTPUT_BYTES)
        status = self._decode(wlt, len(wlt), output, OUTPUT_BYTES)
        if status != 0:
            raise WltUnavailable(f"the WLT plug-in failed with code {status}")
        from PIL import Image
        image = Image.frombytes("RGB", (WIDTH, HEIGHT), output.raw, "raw", "BGR")
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()
