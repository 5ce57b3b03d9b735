// Under maintenance / out of service: friendly, with the nearest alternatives (the halls the
// district pushes, nearest first) and the online hall; side by side in landscape, under one
// pager when large text needs more than a screen.
import QtQuick
import QtQuick.Layouts
import Kiosk

Item {
    id: screen
    property var viewModel
    property string prompt: qsTr("本机暂停服务，请到政务服务大厅办理。")
    readonly property bool english: shell.language === "en_US"
    readonly property bool wide: width > height
    function say(text) { return english ? text.en : text.zh }

    PagedFlickable {
        anchors { fill: parent; margins: theme.gap * 2 }
        GridLayout {
            Layout.fillWidth: true
            columns: screen.wide && shell.alternatives.length > 0 ? 2 : 1
            columnSpacing: theme.gap * 4
            rowSpacing: theme.gap * 3

            ColumnLayout {
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.alignment: Qt.AlignTop
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
                    text: qsTr("地址：%1").arg(screen.english ? shell.hallAddressEn : shell.hallAddress)
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
                    source: visible ? shell.onlineHallQr : ""
                }
                BodyText {
                    visible: shell.onlineHallUrl !== ""
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("扫码进入网上办事大厅")
                }
            }

            ColumnLayout {
                objectName: "alternatives"
                visible: shell.alternatives.length > 0
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.alignment: Qt.AlignTop
                spacing: theme.gap * 2
                TitleText {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("附近的政务服务大厅")
                }
                Repeater {
                    model: shell.alternatives
                    delegate: BodyText {
                        required property var modelData
                        required property int index
                        objectName: "alternative_" + index
                        Layout.fillWidth: true
                        text: "<b>" + screen.say(modelData.name) + "</b><br>"
                              + screen.say(modelData.address) + "<br>" + screen.say(modelData.hours)
                              + (modelData.phone !== "" ? "<br>" + qsTr("电话：%1").arg(modelData.phone) : "")
                        textFormat: Text.StyledText
                    }
                }
            }
        }
    }
}
