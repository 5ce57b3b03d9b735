// Help / call staff: tells the citizen someone is coming (the call goes to the hall).
import QtQuick
import QtQuick.Layouts
import Kiosk

Rectangle {
    objectName: "help_overlay"
    color: theme.background
    property string prompt: qsTr("已通知工作人员，请在此稍候。")
    onVisibleChanged: if (visible) shell.say(prompt)
    MouseArea { anchors.fill: parent }
    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width * 0.85
        spacing: theme.gap * 3
        TitleText {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("已通知工作人员")
        }
        BodyText {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: shell.helpQueued ? qsTr("工作人员马上就到，请在此稍候。")
                                   : qsTr("请在此稍候，或到服务台咨询。电话：%1").arg(shell.hallPhone)
        }
        PrimaryButton {
            objectName: "help_close"
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("好的")
            onClicked: shell.closeHelp()
        }
    }
}
