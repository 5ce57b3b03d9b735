"""The smallest catalogue the district server publishes: one kiosk item, for the queue tests
(the applications they submit must name a published service item and version)."""
from __future__ import annotations

from pathlib import Path

import yaml

VERSION = "queue-test-1"
SERVICE = "S0001"

CATALOGUE = {
    "version": VERSION,
    "queue_categories": [{"id": "general", "name": {"zh": "综合", "en": "General"},
                          "prefix": "A"}],
    "items": [{
        "task_code": SERVICE, "catalog_code": "C0001",
        "name": {"zh": "测试事项", "en": "Test item"}, "item_type": "公共服务",
        "department": {"zh": "测试局", "en": "Test bureau"},
        "legal_basis": [{"zh": "测试依据", "en": "test basis"}], "project_type": "instant",
        "legal_limit": {"days": 5}, "promised_limit": {"days": 0}, "visits_required": 0,
        "channels": [{"type": "kiosk"}], "tongban_scope": "none", "pickup_methods": ["window"],
        "queue_category": "general",
        "materials": [{"id": "id_card", "name": {"zh": "身份证", "en": "ID card"},
                       "necessity": "optional"}],
        "form": [{"id": "n", "label": {"zh": "编号", "en": "Number"}, "kind": "number",
                  "required": False}],
    }],
}


def write_catalogue(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "catalogue.yaml").write_text(yaml.safe_dump(CATALOGUE, allow_unicode=True),
                                              encoding="utf-8")
    return directory
