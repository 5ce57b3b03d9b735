// The demo's simulator control panel (an operator's tool on a desktop, not a citizen's
// screen): one row per device with its status and actions, and the network switch.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

Rectangle {
    width: 760; height: 1000
    color: "#f4f6f8"
    ColumnLayout {
        anchors { fill: parent; margins: 12 }
        spacing: 10
        RowLayout {
            Label { text: "Simulator control panel 模拟器控制台"; font.pixelSize: 22; font.bold: true; Layout.fillWidth: true; elide: Text.ElideRight }
            Switch {
                objectName: "network_cut"
                text: panel.networkCut ? "Network cut 断网" : "Network up 联网"
                checked: panel.networkCut
                enabled: panel.hasServer
                onToggled: panel.setNetworkCut(checked)
            }
        }
        Label {
            objectName: "panel_message"
            Layout.fillWidth: true
            text: panel.message || "Actions go to the devices' simulators; the kiosk reacts as to real hardware."
            wrapMode: Text.WordWrap
            color: panel.message.indexOf("failed") >= 0 ? "#8a3b00" : "#3d4650"
        }
        ScrollView {
            id: scroll
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            ColumnLayout {
                width: scroll.availableWidth
                spacing: 10
                Repeater {
                    model: panel.devices
                    Frame {
                        Layout.fillWidth: true
                        ColumnLayout {
                            id: deviceRow
                            property string deviceName: modelData.name
                            anchors.fill: parent
                            RowLayout {
                                Label { text: modelData.name; font.bold: true; font.pixelSize: 18 }
                                Label { text: modelData.kind; color: "#5c6670" }
                                Label {
                                    Layout.fillWidth: true
                                    text: modelData.status + (modelData.reason ? " — " + modelData.reason : "")
                                    color: modelData.status === "online" ? "#1d6b2f" : "#8a3b00"
                                    elide: Text.ElideRight
                                }
                            }
                            Label {
                                visible: modelData.units !== ""
                                Layout.fillWidth: true
                                text: modelData.units
                                wrapMode: Text.WordWrap
                                color: "#3d4650"
                            }
                            Label { visible: !modelData.simulated; text: "not simulated: no actions" }
                            TextField {
                                id: value
                                objectName: "value_" + modelData.name
                                visible: modelData.presets.some(function (p) { return p.needsValue })
                                Layout.fillWidth: true
                                placeholderText: modelData.kind === "locker" ? "compartment number 柜号"
                                               : modelData.kind === "camera" ? "image or video file 文件路径"
                                               : "text 内容"
                            }
                            Flow {
                                Layout.fillWidth: true
                                spacing: 6
                                Repeater {
                                    model: modelData.presets
                                    Button {
                                        objectName: "sim_" + modelData.action
                                        text: modelData.label
                                        onClicked: panel.simulate(deviceRow.deviceName,
                                                                  modelData.action, modelData.args, value.text)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
