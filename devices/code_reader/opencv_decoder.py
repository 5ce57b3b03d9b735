"""Find and decode QR codes and 1-D barcodes in a BGR frame (OpenCV's detectors; the camera
reader uses zxing-cpp unless configured otherwise: it reads more, see bench/codes.py)."""
from __future__ import annotations

import threading

import cv2
import numpy as np

_local = threading.local()  # the detectors keep state: one pair per thread


def _detectors() -> tuple[cv2.QRCodeDetector, cv2.barcode.BarcodeDetector]:
    if not hasattr(_local, "qr"):
        _local.qr = cv2.QRCodeDetector()
        _local.barcode = cv2.barcode.BarcodeDetector()
    return _local.qr, _local.barcode


def decode_codes(image: np.ndarray) -> list[tuple[str, str]]:
    """[(text, symbology)] for every readable code in the image."""
    qr, barcode = _detectors()
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    found: list[tuple[str, str]] = []
    ok, texts, _points, _ = qr.detectAndDecodeMulti(grey)
    if ok:
        found += [(t, "QR_CODE") for t in texts if t]
    if not found:
        text, _points, _ = qr.detectAndDecode(grey)
        if text:
            found.append((text, "QR_CODE"))
    result = barcode.detectAndDecodeWithType(grey)
    if result[0]:
        texts, types = result[1], result[2]
        found += [(t, kind) for t, kind in zip(texts, types) if t]
    return found
