"""The scenario schema: short and long step forms, clear errors naming the step."""
from __future__ import annotations

import pytest

from foundation.config_files import SCENARIOS_DIR
from kiosk.config import load_config
from kiosk.desired_config import apply_pushed
from kiosk.scenario import AdvanceClock, DeviceAction, ScenarioError, Tap, TypeText, load_scenario


def write(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_steps_in_short_and_long_form(tmp_path):
    scenario = load_scenario(write(tmp_path, """
name: demo
steps:
  - tap: apply_tile
  - type: {target: search_field, text: "bj"}
  - device: {device: receipt_printer, action: paper, args: {state: out}}
  - advance_clock: 95
"""))
    assert scenario.steps == [Tap(target="apply_tile"), TypeText(target="search_field", text="bj"),
                              DeviceAction(device="receipt_printer", action="paper",
                                           args={"state": "out"}),
                              AdvanceClock(seconds=95)]


@pytest.mark.parametrize("step, problem", [
    ("- tapp: apply_tile", "unknown step 'tapp'"),
    ("- advance_clock: -3", "greater than 0"),
    ("- device: {device: printer}", "action"),
    ("- {tap: a, screenshot: b}", "exactly one key"),
    ("- screenshot: 'bad name!'", "pattern"),
])
def test_bad_step_names_file_step_and_problem(tmp_path, step, problem):
    path = write(tmp_path, f"name: bad\nsteps:\n  - expect_screen: attract\n  {step}\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert str(path) in message and "step 2" in message and problem in message


def test_not_yaml(tmp_path):
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(write(tmp_path, "name: [unclosed\n"))


def test_every_shipped_scenario_is_valid():
    files = sorted(SCENARIOS_DIR.glob("*.yaml"))
    for path in files:
        load_scenario(path)


def test_a_scenarios_language_and_orientation_outlive_the_districts_configuration(tmp_path):
    # CI once walked the maintenance menu in English and met it in Chinese: the district's
    # configuration arrived after the shell had started and was laid over the kiosk's own,
    # which did not know the scenario's language
    scenario = load_scenario(write(tmp_path, """
name: demo
language: en_US
orientation: landscape
steps:
  - tap: apply_tile
"""))
    own = scenario.configure(load_config(None).config)
    config, refused = apply_pushed(own, {"kiosk.hall_phone": "0755-8888 0000"})
    assert not refused and config.kiosk.hall_phone == "0755-8888 0000"
    assert (config.kiosk.language, config.kiosk.orientation) == ("en_US", "landscape")
