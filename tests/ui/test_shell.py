"""The shell: attract, language switch, elder mode, idle warning and wipe, navigator."""
from __future__ import annotations

import pytest

from tests.ui.conftest import tap
from tests.ui.journey_stub import SearchViewModel, registered

JOURNEY = "shelltest"


@pytest.fixture
def stub_journey():
    made = []

    def factory(ctx):
        made.append(SearchViewModel(ctx))
        return made[-1]
    with registered(JOURNEY, factory):
        yield made


def texts(shell):
    from ui.inspect import visible_items
    return " ".join(str(i.property("text")) for i in visible_items(shell.view.contentItem())
                    if isinstance(i.property("text"), str))


def test_attract_offers_every_configured_journey_in_chinese(shell, kiosk_config):
    assert shell.screen_name == "attract"
    for journey in kiosk_config.kiosk.journeys:
        assert shell.find(f"tile_{journey}") is not None
    shown = texts(shell)
    assert "您好，请选择要办理的业务" in shown and "办事" in shown and "English" in shown


def test_language_switch_retranslates_and_back(shell, qtbot):
    with qtbot.waitSignal(shell.shell.languageChanged):
        tap(qtbot, shell, "language_switch")
    assert shell.shell.language == "en_US"
    assert "Hello, please choose a service" in texts(shell)
    assert "Pickup" in texts(shell) and "中文" in texts(shell)
    with qtbot.waitSignal(shell.shell.languageChanged):
        tap(qtbot, shell, "language_switch")
    assert "您好，请选择要办理的业务" in texts(shell)


def test_elder_mode_enlarges_targets_and_turns_voice_on(shell, qtbot):
    before = shell.find("nav_help").height()
    with qtbot.waitSignal(shell.shell.elderModeChanged):
        tap(qtbot, shell, "elder_toggle")
    assert shell.theme.touchTarget == 120 and shell.shell.voiceOn
    shell.settle()  # the bar is a layout: it takes the new size at the next polish
    assert shell.find("nav_help").height() >= 120 > before


def test_idle_warning_then_wipe_back_to_attract(shell, qtbot, test_clock, stub_journey):
    tap(qtbot, shell, "language_switch")
    with qtbot.waitSignal(shell.navigator.screenChanged):
        shell.navigator.startJourney(JOURNEY)
    assert shell.screen_name == f"{JOURNEY}.search"
    view_model = stub_journey[-1]
    idle, warning = (shell.config.session.idle_timeout_s, shell.config.session.idle_warning_s)
    test_clock.advance(idle - 1)
    assert shell.screen_name == f"{JOURNEY}.search"
    with qtbot.waitSignal(shell.shell.idleChanged):
        test_clock.advance(1)
    assert shell.screen_name == "idle_warning" and warning >= 20
    assert f"{warning} s" in shell.find("idle_countdown").property("text")
    test_clock.advance(warning - 1)
    assert shell.screen_name == "idle_warning" and not view_model.wiped
    with qtbot.waitSignal(shell.navigator.wentHome):
        test_clock.advance(1)
    assert shell.screen_name == "attract"
    assert view_model.wiped and view_model.query == ""
    assert shell.shell.language == "zh_CN"  # the next citizen starts from the defaults


def test_home_keeps_language_and_text_size_until_the_visit_times_out(shell, qtbot, test_clock,
                                                                    stub_journey):
    tap(qtbot, shell, "language_switch")
    tap(qtbot, shell, "elder_toggle")
    shell.navigator.startJourney(JOURNEY)
    with qtbot.waitSignal(shell.navigator.wentHome):
        tap(qtbot, shell, "nav_home")
    assert stub_journey[-1].wiped
    assert shell.shell.language == "en_US" and shell.shell.elderMode  # the same visit
    shell.navigator.startJourney(JOURNEY)
    assert shell.shell.language == "en_US" and shell.shell.elderMode
    with qtbot.waitSignal(shell.navigator.wentHome):
        tap(qtbot, shell, "nav_home")
    idle, warning = (shell.config.session.idle_timeout_s, shell.config.session.idle_warning_s)
    test_clock.advance(idle)
    assert shell.screen_name == "idle_warning"
    test_clock.advance(warning)
    assert shell.screen_name == "attract"
    assert shell.shell.language == "zh_CN" and not shell.shell.elderMode  # the next visit


def test_high_contrast_is_kept_for_the_visit_and_reset_when_it_times_out(shell, qtbot,
                                                                         test_clock,
                                                                         stub_journey):
    from PySide6.QtGui import QColor
    assert shell.find("contrast_toggle").property("text") == "高对比度"
    with qtbot.waitSignal(shell.shell.highContrastChanged):
        tap(qtbot, shell, "contrast_toggle")      # the only preference the citizen changes
    assert QColor(shell.root.property("color")) == QColor("#000000")
    assert shell.find("contrast_toggle").property("text") == "标准配色"
    shell.navigator.startJourney(JOURNEY)
    with qtbot.waitSignal(shell.navigator.wentHome):
        tap(qtbot, shell, "nav_home")
    assert shell.shell.highContrast and shell.theme.highContrast     # the same visit
    idle, warning = (shell.config.session.idle_timeout_s, shell.config.session.idle_warning_s)
    test_clock.advance(idle)
    test_clock.advance(warning)
    assert shell.screen_name == "attract"
    assert not shell.shell.highContrast                                # the next visit
    assert QColor(shell.root.property("color")) == QColor("#ffffff")


def test_continue_keeps_the_journey(shell, qtbot, test_clock, stub_journey):
    shell.navigator.startJourney(JOURNEY)
    test_clock.advance(shell.config.session.idle_timeout_s)
    assert shell.screen_name == "idle_warning"
    with qtbot.waitSignal(shell.shell.idleChanged):
        tap(qtbot, shell, "idle_continue")
    assert shell.screen_name == f"{JOURNEY}.search" and not stub_journey[-1].wiped


def test_step_indicator_and_journey_finish(shell, qtbot, stub_journey):
    shell.navigator.startJourney(JOURNEY)
    qtbot.waitUntil(lambda: shell.find("step_text") is not None)
    assert shell.find("step_text").property("text") == "2 / 5 搜索事项"
    assert shell.find("nav_back") is not None and shell.find("nav_home") is not None
    with qtbot.waitSignal(shell.navigator.wentHome):
        tap(qtbot, shell, "search_done")
    assert shell.screen_name == "attract" and stub_journey[-1].wiped
    assert shell.find("step_text") is None and shell.find("nav_back") is None


def test_back_on_first_screen_goes_home(shell, qtbot, stub_journey):
    shell.navigator.startJourney(JOURNEY)
    with qtbot.waitSignal(shell.navigator.wentHome):
        tap(qtbot, shell, "nav_back")
    assert shell.screen_name == "attract"


def test_help_calls_staff_and_closes(shell, qtbot):
    with qtbot.waitSignal(shell.shell.helpChanged):
        tap(qtbot, shell, "nav_help")
    assert shell.find("help_overlay") is not None
    with qtbot.waitSignal(shell.shell.helpChanged):
        tap(qtbot, shell, "help_close")
    assert shell.find("help_overlay") is None


def test_registration_rejects_missing_screen_file(tmp_path):
    from ui.navigator import JourneyRegistrationError, register_journey
    with pytest.raises(JourneyRegistrationError, match="does not exist"):
        register_journey("broken", lambda ctx: None, {"start": "Nope.qml"}, base_dir=tmp_path)


def test_landscape_layout_uses_three_columns(make_shell):
    shell = make_shell(orientation="landscape")
    assert (shell.view.width(), shell.view.height()) == (1920, 1080)
    apply, query, pickup = (shell.find(f"tile_{j}") for j in ("apply", "query", "pickup"))
    assert apply.y() == query.y() == pickup.y()  # one row of three


def test_out_of_service_offers_the_online_hall_by_qr(shell, qtbot):
    import cv2
    import numpy as np
    shell.navigator.set_out_of_service(True)
    shell.settle()
    assert shell.screen_name == "out_of_service"
    qr = shell.find("online_hall_qr")
    assert qr is not None and qr.width() >= shell.theme.touchTarget * 3

    def shown() -> str:
        """What a phone reads from the screen as drawn now (the image arrives a frame or
        so after the screen)."""
        shell.settle()
        frame = shell.grab()
        image = frame.convertToFormat(frame.Format.Format_Grayscale8)
        pixels = np.array(image.constBits(), dtype=np.uint8).reshape(
            image.height(), image.bytesPerLine())[:, :image.width()]
        return cv2.QRCodeDetector().detectAndDecode(pixels)[0]
    qtbot.waitUntil(lambda: shown() == shell.config.ui.online_hall_url)


def test_apply_tile_names_local_storage_while_the_queue_cannot_store():
    from kiosk.availability import JourneyAvailability
    from ui.shell import tile_model
    stopped = {"apply": JourneyAvailability("apply", False, ("the offline queue cannot "
                                                             "store: disk full",))}
    (tile,) = tile_model(["apply"], stopped, {"apply"}, {"id_reader": True}, True,
                         storage_ok=False)
    assert not tile["available"] and tile["missing"] == ["storage"]


def test_attract_says_checking_until_the_devices_answer(qapp, qtbot, test_clock, tmp_path):
    """`kiosk run` draws the attract screen before the core exists, from the previous
    start's configuration snapshot: no tile may be offered until the devices it needs have
    said they work, and the shell finds every setting it reads in the snapshot."""
    from PySide6.QtCore import QUrl
    from PySide6.QtQml import QQmlComponent
    from PySide6.QtQuick import QQuickItem

    from kiosk import config_snapshot
    from kiosk.app import KioskCore
    from kiosk.config import load_config
    from ui.app import ShellApp
    from ui.navigator import QML_DIR
    loaded = load_config()
    config_snapshot.save(tmp_path / "data", loaded)
    snapshot = config_snapshot.read(tmp_path / "data", None)
    assert snapshot is not None
    shell = ShellApp(snapshot, clock=test_clock, speech_engine="mock",
                     cache_dir=tmp_path / "qm", core_pending=True)
    core = None
    try:
        shell.show(windowed=True)
        qtbot.waitExposed(shell.view)
        shell.settle()
        # the hidden entry to maintenance works from the first frame
        maintenance = loaded.config.maintenance
        assert shell.shell.property("serviceKey") == maintenance.service_key
        assert shell.shell.property("longPressMs") == int(maintenance.long_press_s * 1000)
        tiles = shell.shell.property("tiles")
        assert tiles and all(t["checking"] and not t["available"] for t in tiles)
        assert not shell.find("tile_apply").isEnabled()
        assert "正在检查设备…" in texts(shell)
        assert shell.screen_name == "attract"  # not "out of service" while checking
        # what only the core can ask for compiles after the first frame; the overlays of a
        # visit (idle warning, help) are not made before it
        after_core = [QUrl.fromLocalFile(str(QML_DIR / name))
                      for name in ("Keyboard.qml", "OutOfService.qml", "IdleWarning.qml",
                                   "HelpOverlay.qml")]

        def overlays():
            return [name for name in ("idle_warning", "help_overlay")
                    if shell.root.findChild(QQuickItem, name) is not None]
        assert overlays() == []

        def compiled(url):
            return QQmlComponent(shell.view.engine(), url,
                                 QQmlComponent.CompilationMode.Asynchronous).isReady()
        assert not any(compiled(url) for url in after_core)

        core = KioskCore.create(loaded, tmp_path / "data", clock=test_clock, with_queue=False,
                                with_face=False)
        shell.attach_core(core)          # its devices have not started yet
        # the keyboard, the out-of-service screen and the overlays compiled (after the first
        # frame) before the core can show them: a field's focus, the core's state or its
        # arrival creates them without waiting for the QML loader thread (ui/qml_preload.py)
        assert all(compiled(url) for url in after_core)
        assert overlays() == ["idle_warning", "help_overlay"]
        apply = next(t for t in shell.shell.property("tiles") if t["key"] == "apply")
        assert apply["checking"] and not apply["available"]

        core.start()
        # each tile stops checking when its own devices have answered, not all at once
        qtbot.waitUntil(lambda: not any(t["checking"] for t in shell.shell.property("tiles")),
                        timeout=20_000)
        assert shell.find("tile_apply").isEnabled()
    finally:
        shell.close()
        if core is not None:
            core.stop()


@pytest.mark.parametrize("failure", ["raises", "declines"])
def test_a_core_that_cannot_start_ends_the_kiosk_with_code_1(qapp, kiosk_config, failure):
    """The core starts after the first frame, inside the event loop: a failure there must
    still end the process, never leave the attract screen saying "checking" for ever."""
    from ui.launch import run_kiosk

    def start_core():
        if failure == "raises":
            raise RuntimeError("a device backend broke while starting")
        return None   # start_core said why (a bad option, no durable storage) and declines

    assert run_kiosk(start_core, kiosk_config, windowed=True) == 1


HALLS = [{"code": f"FT-{n}", "name": {"zh": f"福田区{name}政务服务分中心",
                                      "en": f"{name_en} Government Service Branch"},
          "address": {"zh": f"深圳市福田区{name}路{n}号", "en": f"{n} {name_en} Road, Futian"},
          "hours": {"zh": "周一至周五 9:00-12:00，14:00-18:00；周六 9:00-12:00",
                    "en": "Mon-Fri 9:00-12:00 and 14:00-18:00; Sat 9:00-12:00"},
          "phone": f"0755-8888 000{n}"}
         for n, (name, name_en) in enumerate([("香蜜湖", "Xiangmihu"), ("华强北", "Huaqiangbei"),
                                              ("梅林", "Meilin")], start=1)]


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_out_of_service_lists_the_nearest_halls_whole_in_large_english_text(
        make_shell, kiosk_config, orientation):
    from tests.ui import geometry
    from wire.v1 import Hall
    config = kiosk_config.model_copy(update={"kiosk": kiosk_config.kiosk.model_copy(
        update={"alternatives": [Hall.model_validate(h) for h in HALLS]})})
    shell = make_shell(config=config, orientation=orientation)
    shell.shell.setLanguage("en_US")
    shell.shell.setElderMode(True)
    shell.navigator.set_out_of_service(True)
    shell.settle()
    assert shell.screen_name == "out_of_service"
    shown = [shell.find(f"alternative_{n}").property("text") for n in range(3)]
    assert "Xiangmihu Government Service Branch" in shown[0] and "0755-8888 0003" in shown[2]
    assert geometry.problems(shell, gap=shell.theme.gap) == []
