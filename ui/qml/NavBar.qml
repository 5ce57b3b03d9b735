// The fixed bar, always in the same place: Back, Home, Help (call staff), 中文/EN, 大字版.
import QtQuick
import QtQuick.Layouts
import Kiosk

Rectangle {
    property bool tight: false   // typing on the landscape model: every pixel counts
    implicitHeight: theme.touchTarget + (tight ? 1 : 2) * theme.gap
    color: theme.surface
    RowLayout {
        anchors { fill: parent; margins: parent.tight ? theme.gap / 2 : theme.gap }
        spacing: theme.gap
        // handing over what the citizen gave (submitting...): leaving now would lose track of it
        readonly property bool committing: navigator.viewModel !== null
                                           && navigator.viewModel.committing === true
        KioskButton {
            objectName: "nav_back"
            visible: navigator.journey !== ""
            enabled: !parent.committing
            text: qsTr("返回")
            Layout.fillWidth: true; Layout.fillHeight: true
            onClicked: navigator.back()
        }
        KioskButton {
            objectName: "nav_home"
            visible: navigator.journey !== ""
            enabled: !parent.committing
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
    }
}
