from pathlib import Path

import pytest
import yaml

from kiosk.catalogue import catalogue_from_mapping

FIXTURE = Path(__file__).with_name("catalogue_fixture.yaml")


@pytest.fixture(scope="session")
def catalogue():
    return catalogue_from_mapping(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")),
                                  source=str(FIXTURE))
