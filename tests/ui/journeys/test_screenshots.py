"""Screenshots of every journey screen for docs/screens/: Chinese and English, and beside
them large text (大字版), large text in high contrast (高对比度) and the landscape model, all
in Chinese.

Runs only with KIOSK_SCREENSHOTS=<dir> (it writes files); the same walk as
test_every_state_ui reaches each state with the fakes of tests/kiosk/journeys at the edges."""
from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml

from tests.kiosk.journeys.test_end_everywhere import SCRIPTS
from tests.ui.conftest import tap
from tests.ui.journeys.test_every_state_ui import TILE

OUT = os.environ.get("KIOSK_SCREENSHOTS", "")


def _save(shell, path: Path) -> None:
    shell.settle()
    assert shell.grab().scaledToWidth(432).save(str(path))


@pytest.mark.skipif(not OUT, reason="set KIOSK_SCREENSHOTS=<dir> to write the screenshots")
def test_write_every_screen_in_both_languages_large_text_high_contrast_landscape(make_kiosk):
    from kiosk.catalogue import catalogue_from_mapping
    from tests.kiosk.journeys.conftest import FIXTURE
    from ui.app import SIZES
    catalogue = catalogue_from_mapping(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))
    out = Path(OUT)
    out.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    for name in TILE:
        _cls, script, overrides = SCRIPTS[name]
        kiosk = make_kiosk(catalogue, **copy.deepcopy(overrides))
        for stop in range(len(script) + 1):
            kiosk.start(TILE[name])
            for step in script[:stop]:
                step(kiosk.vm.journey, kiosk.services)
            screen = kiosk.screen
            if screen not in written:
                written.add(screen)
                for language in ("zh_CN", "en_US"):
                    if kiosk.shell.shell.language != language:
                        tap(None, kiosk.shell, "language_switch")
                    _save(kiosk.shell, out / f"{screen}.{language}.png")
                if kiosk.shell.shell.language != "zh_CN":
                    tap(None, kiosk.shell, "language_switch")
                kiosk.shell.shell.setElderMode(True)
                _save(kiosk.shell, out / f"{screen}.zh_CN.large.png")
                kiosk.shell.shell.setHighContrast(True)
                _save(kiosk.shell, out / f"{screen}.zh_CN.large.high-contrast.png")
                kiosk.shell.shell.setHighContrast(False)
                kiosk.shell.shell.setElderMode(False)
                kiosk.shell.view.resize(SIZES["landscape"])
                _save(kiosk.shell, out / f"{screen}.zh_CN.landscape.png")
                kiosk.shell.view.resize(SIZES["portrait"])
            kiosk.shell.navigator.home()
    (out / "index.txt").write_text("\n".join(sorted(written)) + "\n", encoding="utf-8")
