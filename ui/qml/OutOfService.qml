// Under maintenance / out of service: friendly, with the nearest alternative.
import QtQuick
import QtQuick.Layouts
import Kiosk

Item {
    property var viewModel
    property string prompt: qsTr("本机暂停服务，请到政务服务大厅办理。")
    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width * 0.85
        spacing: theme.gap * 2
        TitleText {
            objectName: "out_of_service_title"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("本机暂停服务")
        }
        BodyText {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("给您带来不便，十分抱歉。您可以到政务服务大厅办理，或在手机上访问网上办事大厅。")
        }
        BodyText {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            font.bold: true
            text: qsTr("地址：%1").arg(shell.language === "en_US" ? shell.hallAddressEn : shell.hallAddress)
        }
        BodyText {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("咨询电话：%1").arg(shell.hallPhone)
        }
        Image {
            objectName: "online_hall_qr"
            visible: shell.onlineHallUrl !== ""
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: theme.touchTarget * 3
            Layout.preferredHeight: theme.touchTarget * 3
            sourceSize: Qt.size(theme.touchTarget * 3, theme.touchTarget * 3)
            smooth: false
            source: visible ? "image://qr/" + encodeURIComponent(shell.onlineHallUrl) : ""
        }
        BodyText {
            visible: shell.onlineHallUrl !== ""
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("扫码进入网上办事大厅")
        }
    }
}
