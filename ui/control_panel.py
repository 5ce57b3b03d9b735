"""The demo's simulator control panel: plays the world around the kiosk.

One row per simulated device with its live status and the actions it knows (insert or
remove a card, who stands before the camera or which file it plays, paper level,
printer offline, locker doors, unplug/replug), plus a switch that cuts the network to
the embedded server. Actions run on a worker thread (the Qt thread never waits on a
device); errors, e.g. an action a device does not know, are shown in the panel.
"""
from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import Property, QObject, Qt, Signal, Slot
from PySide6.QtQuick import QQuickView

from ui.app import ShellApp
from ui.navigator import QML_DIR
from ui.qml_warnings import log_qml_warnings

log = logging.getLogger(__name__)

VALUE = "{value}"  # an argument the operator types in the row's field

#: kind -> (label, action, args); only actions the device really has are shown
PRESETS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "id_reader": [("Insert card 插卡", "insert_card", {}), ("Remove card 取卡", "remove_card", {})],
    "camera": [("Holder 本人", "person", {"who": "holder"}),
               ("Someone else 他人", "person", {"who": "someone_else"}),
               ("Photo of holder 照片", "person", {"who": "photo_of_holder"}),
               ("Nobody 无人", "person", {"who": "no_one"}),
               ("Play file 播放文件", "play", {"source": VALUE})],
    "code_reader": [("Scan text 扫码", "scan", {"text": VALUE})],
    "printer": [("Paper ok 纸足", "paper", {"level": "ok"}),
                ("Paper low 纸少", "paper", {"level": "nearEnd"}),
                ("Paper out 缺纸", "paper", {"level": "out"}),
                ("Offline 离线", "offline", {"offline": True}),
                ("Online 在线", "offline", {"offline": False}),
                ("Cover open 开盖", "cover", {"open": True}),
                ("Cover closed 合盖", "cover", {"open": False})],
    "locker": [("Close door # 关门", "close", {"compartment": VALUE}),
               ("Force open # 撬开", "force_open", {"compartment": VALUE}),
               ("Jam # 卡住", "jam", {"compartment": VALUE}),
               ("Unjam # 解除", "unjam", {"compartment": VALUE})],
}
GENERIC = [("Unplug 拔出", "remove", {}), ("Replug 插回", "replug", {}),
           ("Fail 故障", "fail", {}), ("Recover 恢复", "recover", {})]


def _typed(text: str) -> Any:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text


def fill_value(args: dict[str, Any], value: str) -> dict[str, Any]:
    if any(v == VALUE for v in args.values()) and not value.strip():
        raise ValueError("type a value in the row's field first")
    return {k: (_typed(value) if v == VALUE else v) for k, v in args.items()}


class ControlPanelModel(QObject):
    devicesChanged = Signal()
    messageChanged = Signal()
    networkChanged = Signal()
    _finished = Signal(str)

    def __init__(self, demo: Any, bridge: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._demo = demo
        self._bridge = bridge
        self._devices: list[dict[str, Any]] = []
        self._message = ""
        self._network_cut = False
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="simulator")
        self._finished.connect(self._set_message)
        self._unsubscribe = demo.core.devices.subscribe(
            lambda _event: bridge.call(self._refresh))
        self._refresh()

    devices = Property("QVariantList", lambda self: self._devices, notify=devicesChanged)
    message = Property(str, lambda self: self._message, notify=messageChanged)
    networkCut = Property(bool, lambda self: self._network_cut, notify=networkChanged)
    hasServer = Property(bool, lambda self: self._demo.server is not None, constant=True)

    def _refresh(self) -> None:
        rows = []
        for name, device in self._demo.core.devices.devices.items():
            actions_of = getattr(device, "simulator_actions", None)
            known = set(actions_of()) if actions_of else set()
            presets = [{"label": label, "action": action, "args": json.dumps(args),
                        "needsValue": VALUE in args.values()}
                       for label, action, args in [*PRESETS.get(device.kind, []), *GENERIC]
                       if action in known]
            status = device.status
            units = ", ".join(f"{k}={v}" for k, v in status.units.items())
            rows.append({"name": name, "kind": device.kind, "simulated": bool(known),
                         "status": str(status.availability), "reason": status.reason,
                         "units": units, "presets": presets})
        self._devices = rows
        self.devicesChanged.emit()

    @Slot(str, str, str, str)
    def simulate(self, device: str, action: str, args_json: str, value: str) -> None:
        try:
            args = fill_value(json.loads(args_json), value)
        except ValueError as error:
            self._set_message(f"{device}.{action}: {error}")
            return
        target = self._demo.core.devices[device]
        future = self._worker.submit(target.simulate, action, **args)

        def done(result: Any) -> None:
            text = f"{device}.{action}({args}): " + (
                f"failed: {result}" if isinstance(result, BaseException) else "done")
            self._finished.emit(text)
        self._bridge.deliver(future, done)

    @Slot(bool)
    def setNetworkCut(self, cut: bool) -> None:
        self._network_cut = cut
        self._demo.set_network_cut(cut)
        self.networkChanged.emit()
        self._set_message("network cut: the kiosk is offline" if cut else "network restored")

    def _set_message(self, text: str) -> None:
        log.info("simulator", extra={"message": text})
        self._message = text
        self.messageChanged.emit()

    def close(self) -> None:
        self._unsubscribe()
        self._worker.shutdown(wait=False)


class ControlPanel:
    """A second window beside the kiosk's, for whoever runs the demo."""

    def __init__(self, demo: Any, shell: ShellApp) -> None:
        self.model = ControlPanelModel(demo, shell.bridge)
        self.view = QQuickView()
        self.view.setTitle("Simulator control panel 模拟器控制台")
        self.view.setResizeMode(QQuickView.ResizeMode.SizeRootObjectToView)
        self.view.setColor(Qt.GlobalColor.white)
        log_qml_warnings(self.view.engine())
        self.view.rootContext().setContextProperty("panel", self.model)
        self.view.setSource(str(QML_DIR / "ControlPanel.qml"))
        self.view.resize(760, 1000)

    def show(self) -> None:
        self.view.show()

    def close(self) -> None:
        self.model.close()
        self.view.close()
