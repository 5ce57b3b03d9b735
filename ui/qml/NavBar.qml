// The fixed bar, always in the same place: Back, Home, Help (call staff), replay voice, then
// the citizen's preferences: 中文/EN, 大字版, 高对比度. Portrait (narrow) puts the preferences on a second
// row, so every label stays whole at large text; landscape keeps one row.
import QtQuick
import QtQuick.Layouts
import Kiosk

Rectangle {
    id: bar
    property bool tight: false   // typing on the landscape model: every pixel counts
    property bool wide: false    // landscape: one row
    // the current screen's spoken prompt, repeated by the replay-voice button
    property string prompt: ""
    readonly property real margin: tight ? theme.gap / 2 : theme.gap
    implicitHeight: rows.implicitHeight + 2 * margin
    color: theme.surface
    // handing over what the citizen gave (submitting...): leaving now would lose track of it
    readonly property bool committing: navigator.viewModel !== null
                                       && navigator.viewModel.committing === true
    GridLayout {
        id: rows
        anchors { fill: parent; margins: bar.margin }
        columns: bar.wide ? 2 : 1
        columnSpacing: theme.gap
        rowSpacing: theme.gap
        RowLayout {
            spacing: theme.gap
            Layout.fillWidth: true
            // the two groups share a wide bar by their number of buttons
            Layout.preferredWidth: 4
            Layout.preferredHeight: theme.touchTarget
            KioskButton {
                objectName: "nav_back"
                visible: navigator.journey !== ""
                enabled: !bar.committing
                text: qsTr("返回")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: navigator.back()
            }
            KioskButton {
                objectName: "nav_home"
                visible: navigator.journey !== ""
                enabled: !bar.committing
                text: qsTr("首页")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: navigator.home()
            }
            KioskButton {
                objectName: "nav_help"
                text: qsTr("呼叫帮助")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: shell.callStaff(navigator.journey)
            }
            KioskButton {
                objectName: "replay_voice"
                visible: bar.prompt !== ""
                text: qsTr("再听一遍")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: shell.sayAgain(bar.prompt)
            }
        }
        RowLayout {
            spacing: theme.gap
            Layout.fillWidth: true
            Layout.preferredWidth: 3
            Layout.preferredHeight: theme.touchTarget
            KioskButton {
                objectName: "language_switch"
                // names each language in itself, so anyone can find theirs
                text: shell.language === "en_US" ? "中文" : "English"
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: shell.setLanguage(shell.language === "en_US" ? "zh_CN" : "en_US")
            }
            KioskButton {
                objectName: "elder_toggle"
                text: shell.elderMode ? qsTr("标准版") : qsTr("大字版")
                checkable: false
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: shell.setElderMode(!shell.elderMode)
            }
            KioskButton {
                objectName: "contrast_toggle"
                text: shell.highContrast ? qsTr("标准配色") : qsTr("高对比度")
                Layout.fillWidth: true; Layout.fillHeight: true
                onClicked: shell.setHighContrast(!shell.highContrast)
            }
        }
    }
}
