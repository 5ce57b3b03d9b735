"""QR codes for QML: `image://qr/<url-encoded text>` renders the text as a QR code."""
from __future__ import annotations

import io
from urllib.parse import unquote

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider


def qr_image(text: str) -> QImage:
    import qrcode  # with PIL 0.1 s to import: paid by the first QR shown, not at start
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    image = QImage()
    image.loadFromData(buffer.getvalue(), "PNG")
    return image


class QrImageProvider(QQuickImageProvider):
    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, id: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802
        image = qr_image(unquote(id))
        if requested.isValid() and requested.width() > 0:
            image = image.scaled(requested.width(), requested.width())  # crisp: no smoothing
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image
