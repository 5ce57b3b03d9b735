// The attract screen: the journeys on offer as large tiles, each saying why if not.
import QtQuick
import QtQuick.Layouts
import Kiosk

Item {
    id: attract
    property var viewModel
    property string prompt: qsTr("您好，请点击要办理的业务。")
    readonly property bool landscape: width > height

    ColumnLayout {
        anchors.fill: parent
        spacing: attract.landscape ? theme.gap : theme.gap * 2

        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: theme.gap
            spacing: theme.gap * 2
            TitleText {
                objectName: "attract_title"
                Layout.fillWidth: true
                horizontalAlignment: attract.landscape ? Text.AlignLeft : Text.AlignHCenter
                text: qsTr("您好，请选择要办理的业务")
            }
            KioskButton {
                objectName: "voice_toggle"
                visible: attract.landscape
                text: shell.voiceOn ? qsTr("语音播报：开") : qsTr("语音播报：关")
                onClicked: shell.setVoiceOn(!shell.voiceOn)
            }
        }

        GridLayout {
            id: grid
            Layout.fillWidth: true
            Layout.fillHeight: true
            // landscape: rows of three, of four from the seventh tile on (a third row does
            // not fit above the bar in elder mode)
            columns: attract.landscape ? Math.max(3, Math.ceil(shell.tiles.length / 2)) : 2
            rowSpacing: attract.landscape ? theme.gap : theme.gap * 2
            columnSpacing: theme.gap * 2
            Repeater {
                model: shell.tiles
                Tile {
                    objectName: "tile_" + modelData.key
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 1
                    Layout.minimumHeight: theme.touchTarget * 1.5
                    enabled: modelData.available
                    title: Labels.journey(modelData.key)
                    subtitle: Labels.journeyHint(modelData.key)
                    warn: !modelData.checking
                          && (!modelData.available || modelData.degraded.length > 0)
                    compact: attract.landscape && shell.elderMode
                    note: {
                        if (modelData.checking)
                            return qsTr("正在检查设备…")
                        if (!modelData.available)
                            return qsTr("暂停服务：%1").arg(Labels.roles(modelData.missing))
                        var notes = []
                        for (var i = 0; i < modelData.degraded.length; i++) {
                            // the status line already says so; no room to repeat it here
                            if (compact && modelData.degraded[i] === "offline")
                                continue
                            notes.push(Labels.degraded(modelData.degraded[i]))
                        }
                        return notes.join("\n")
                    }
                    onClicked: navigator.startJourney(modelData.key)
                }
            }
        }

        KioskButton {
            objectName: "voice_toggle"
            visible: !attract.landscape   // beside the title in landscape, to leave room for tiles
            Layout.alignment: Qt.AlignHCenter
            Layout.bottomMargin: theme.gap
            text: shell.voiceOn ? qsTr("语音播报：开") : qsTr("语音播报：关")
            onClicked: shell.setVoiceOn(!shell.voiceOn)
        }
    }
}
