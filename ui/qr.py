"""QR codes for QML, as PNG data URLs an `Image` shows (no file written).

A data URL, not a Python `QQuickImageProvider`: each of a provider's C++ virtuals asks Python
for an override under the GIL on whichever thread Qt calls it, and Qt calls image providers
from its pixmap reader thread too (docs/known-issues.md, the setSource/GIL freeze)."""
from __future__ import annotations

import base64
import io


def qr_data_url(content: str) -> str:
    import qrcode  # with PIL 0.1 s to import: paid by the first QR shown, not at start
    image = qrcode.make(content, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
