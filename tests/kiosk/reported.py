"""What the district server holds as a kiosk's reported state."""
from __future__ import annotations

import json


def reported_on_server(district, kiosk_id: str) -> dict:
    from district_server.kiosks.models import Kiosk
    with district.app.state.ctx.db.transaction() as session:
        return json.loads(session.get(Kiosk, kiosk_id).reported_json)
