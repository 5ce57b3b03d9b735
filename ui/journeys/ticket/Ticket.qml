// The ticket: number, category, how many wait ahead, where to wait; printed or shown.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var k: d.ticket || ({
            number: "",
            category: {},
            waiting: 0,
            printStatus: ""
        })
    prompt: qsTr("您的号码是 %1，前面还有 %2 人。").arg(k.number).arg(k.waiting)
    primaryName: "ticket_done"
    primaryText: qsTr("完成")
    onPrimaryClicked: root.act("finish", [])
    // landscape: the number beside what to do next
    PagedFlickable {
        anchors.fill: parent
        GridLayout {
            Layout.fillWidth: true
            columns: root.landscape ? 2 : 1
            columnSpacing: theme.gap * 2
            rowSpacing: theme.gap
            ColumnLayout {
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.alignment: Qt.AlignTop
                spacing: theme.gap
                TitleText {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: root.k.appointment ? qsTr("签到成功") : qsTr("取号成功")
                }
                BodyText {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: root.t(root.k.category)
                }
                Text {
                    objectName: "ticket_number"
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    font.family: theme.fontFamily
                    font.pixelSize: theme.hugePx * 1.5
                    font.bold: true
                    color: theme.accent
                    text: root.k.number
                }
                BodyText {
                    objectName: "ticket_waiting"
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("前面还有 %1 人").arg(root.k.waiting)
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.alignment: Qt.AlignTop
                spacing: theme.gap
                BodyText {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("请留意叫号屏和语音，听到叫号后到对应窗口办理")
                }
                Image {
                    visible: root.k.printStatus !== "printed" && root.k.printStatus !== "printing"
                    Layout.alignment: Qt.AlignHCenter
                    Layout.preferredWidth: theme.touchTarget * 2.5
                    Layout.preferredHeight: theme.touchTarget * 2.5
                    source: root.k.qr || ""
                    smooth: false
                }
                BodyText {
                    objectName: "print_status"
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    font.bold: true
                    color: root.k.printStatus === "printed" || root.k.printStatus === "printing" ? theme.text : theme.warning
                    text: root.k.printStatus === "printed" ? qsTr("↓ 请取走号票") : root.k.printStatus === "printing" ? qsTr("正在打印号票…") : qsTr("号票没有打印，请记住号码或扫码保存")
                }
            }
        }
    }
}
