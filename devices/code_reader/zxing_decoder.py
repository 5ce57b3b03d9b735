"""Find and decode every code in a BGR frame with zxing-cpp: QR (versions 1-40), DataMatrix,
PDF417, Aztec and the 1-D symbologies, in any orientation, inverted codes too."""
from __future__ import annotations

import numpy as np
import zxingcpp


def symbology(barcode: zxingcpp.Barcode) -> str:
    """zxing's format name in the upper-case form the kiosk uses ("QR Code" -> QR_CODE)."""
    return str(barcode.format).upper().replace(" ", "_").replace("-", "_")


def decode_codes(image: np.ndarray) -> list[tuple[str, str]]:
    """[(text, symbology)] for every readable code in the image."""
    return [(b.text, symbology(b)) for b in zxingcpp.read_barcodes(image) if b.valid and b.text]
