// The case number large, the QR code to follow the case (and supply a missing material)
// on the phone, and the printer: "take your receipt", or why there is no paper.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var r: d.receipt || ({
            item: {},
            caseNumber: "",
            printStatus: ""
        })
    prompt: qsTr("申请已提交，办件编号 %1。").arg(r.caseNumber) + printText
    readonly property string printText: r.printStatus === "printing" ? qsTr("正在打印回执，约 5 秒。") : r.printStatus === "printed" ? qsTr("请取走下方出纸口的回执。") : r.printStatus === "no_printer" ? qsTr("打印机暂不可用，请扫码保存回执。") : r.printStatus === "failed" ? qsTr("回执没有打印出来，请扫码保存回执。") : ""

    primaryName: "receipt_done"
    primaryText: qsTr("完成，去评价")
    onPrimaryClicked: root.act("finish", [])

    // portrait: one column; landscape: the case number and printer beside the QR code
    PagedFlickable {
        anchors.fill: parent
        GridLayout {
            Layout.fillWidth: true
            columns: root.landscape ? 2 : 1
            columnSpacing: theme.gap * 2
            rowSpacing: theme.gap
            ColumnLayout {
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignTop
                spacing: theme.gap
                TitleText {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("申请已提交")
                }
                // landscape: the item's name goes beside, under the QR code, to keep the number in view
                BodyText {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    visible: !root.landscape
                    text: root.t(root.r.item)
                }
                BodyText {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("办件编号")
                }
                Text {
                    objectName: "case_number"
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    font.family: theme.fontFamily
                    font.bold: true
                    font.pixelSize: root.landscape ? theme.titlePx * 1.5 : theme.hugePx
                    color: theme.accent
                    fontSizeMode: Text.HorizontalFit
                    minimumPixelSize: theme.titlePx
                    text: root.r.caseNumber
                }
                BodyText {
                    objectName: "receipt_stored_offline"
                    Layout.fillWidth: true
                    visible: root.r.storedOffline === true
                    font.bold: true
                    color: theme.warning
                    text: "⚠ " + qsTr("网络暂时中断：申请已保存在本机，网络恢复后自动发送。发送后，扫描二维码可查看办理进度。")
                }
                // 容缺: each owed material, its deadline and the ways to hand it in
                Rectangle {
                    objectName: "receipt_owed"
                    visible: !!root.r.owed
                    Layout.fillWidth: true
                    Layout.preferredHeight: owed.implicitHeight + theme.gap * 2
                    radius: 16
                    color: theme.warningSurface
                    border.width: 3; border.color: theme.warning
                    ColumnLayout {
                        id: owed
                        anchors { left: parent.left; right: parent.right; top: parent.top
                                  margins: theme.gap }
                        spacing: theme.gap / 2
                        BodyText {
                            objectName: "receipt_owed_materials"
                            Layout.fillWidth: true
                            font.bold: true
                            text: root.r.owed ? qsTr("还需补交：%1").arg(root.r.owed.materials.map(root.t).join(qsTr("、"))) : ""
                        }
                        BodyText {
                            objectName: "receipt_owed_deadline"
                            Layout.fillWidth: true
                            text: root.r.owed ? qsTr("补交期限：%1 前").arg(root.t(root.r.owed.deadline)) : ""
                        }
                        BodyText {
                            objectName: "receipt_owed_ways"
                            Layout.fillWidth: true
                            text: root.r.owed ? qsTr("补交方式：%1").arg(root.r.owed.ways.map(function (w) {
                                return root.t(w) + (w.chosen ? qsTr("（您选择的）") : "") }).join(qsTr("；"))) : ""
                        }
                    }
                }
                BodyText {
                    objectName: "print_status"
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    font.bold: true
                    color: root.r.printStatus === "printed" || root.r.printStatus === "printing" ? theme.text : theme.warning
                    text: (root.r.printStatus === "printed" ? "↓ " : "") + root.printText
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignTop
                spacing: theme.gap
                Image {
                    objectName: "case_qr"
                    Layout.alignment: Qt.AlignHCenter
                    Layout.preferredWidth: theme.touchTarget * 3
                    Layout.preferredHeight: theme.touchTarget * 3
                    source: root.r.qr || ""
                    smooth: false
                }
                BodyText {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: root.r.deferred ? qsTr("扫码在手机上查看进度、补交材料") : qsTr("扫码在手机上查看办理进度")
                }
                BodyText {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    visible: root.landscape
                    text: root.t(root.r.item)
                }
            }
        }
    }
}
