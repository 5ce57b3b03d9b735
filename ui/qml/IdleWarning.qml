// "Are you still there?": a big Continue and a countdown (>= 20 s), spoken aloud.
import QtQuick
import QtQuick.Layouts
import Kiosk

Rectangle {
    id: warning
    objectName: "idle_warning"
    color: theme.background
    property string prompt: qsTr("您还在吗？如需继续办理，请点击继续。")
    onVisibleChanged: if (visible) shell.say(prompt)
    MouseArea { anchors.fill: parent }   // taps elsewhere must not reach the screen below
    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width * 0.85
        spacing: theme.gap * 3
        TitleText {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: theme.hugePx * 0.75
            text: qsTr("您还在吗？")
        }
        BodyText {
            objectName: "idle_countdown"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: theme.titlePx
            text: qsTr("%1 秒后将清除您的信息并返回首页").arg(shell.idleSecondsLeft)
        }
        PrimaryButton {
            objectName: "idle_continue"
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredHeight: theme.touchTarget * 1.5
            text: qsTr("继续办理")
            onClicked: shell.extendSession()
        }
    }
}
