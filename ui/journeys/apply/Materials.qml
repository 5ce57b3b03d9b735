// Each material with its state and the ways to supply it: use the certificate on file,
// scan it now, or bring it later under a commitment; a scan of a certificate type asks
// whether to keep it on file for next time (零材料). The list pages (and scrolls); in
// landscape the cards sit two abreast.
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import Kiosk
import "../common"

JourneyScreen {
    id: root
    prompt: qsTr("请提供以下材料。")
    primaryName: "materials_done"
    // supply (补交) hands the scans in from here: its snapshot names the button
    primaryText: root.d.primaryText ? root.t(root.d.primaryText) : qsTr("下一步")
    onPrimaryClicked: root.act("materials_done", [])

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        BodyText {
            objectName: "materials_problem"
            Layout.fillWidth: true
            visible: !!root.d.problem
            color: theme.warning
            font.bold: true
            text: "⚠ " + root.t(root.d.problem)
        }
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            TitleText {
                Layout.fillWidth: true
                text: qsTr("请提供材料")
            }
            GridLayout {
                Layout.fillWidth: true
                columns: root.landscape ? 2 : 1
                rowSpacing: theme.gap
                columnSpacing: theme.gap
                Repeater {
                    model: (root.d.materials || []).length
                    delegate: Rectangle {
                        readonly property var m: root.d.materials[index]
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.alignment: Qt.AlignTop
                        Layout.preferredHeight: card.implicitHeight + theme.gap * 2
                        radius: 16
                        color: theme.surface
                        border.width: m.status === "missing" && m.necessity === "required" ? 3 : 0
                        border.color: theme.warning
                        ColumnLayout {
                            id: card
                            anchors {
                                left: parent.left
                                right: parent.right
                                top: parent.top
                                margins: theme.gap
                            }
                            spacing: theme.gap / 2
                            BodyText {
                                Layout.fillWidth: true
                                font.bold: true
                                text: root.t(m.name) + (m.necessity === "required" ? "" : qsTr("（选交）"))
                            }
                            BodyText {
                                objectName: "material_status_" + m.id
                                text: (m.status === "missing" ? "○ " : "✓ ") + root.t(m.statusText) + (m.pages > 1 ? qsTr("（%1 页）").arg(m.pages) : "")
                            }
                            // 零材料: keep the scan on file for next time? (asked, never assumed)
                            BodyText {
                                objectName: "keep_question_" + m.id
                                Layout.fillWidth: true
                                visible: m.keepAsk
                                text: m.keep === true ? qsTr("✓ 工作人员核验后存档，下次办事不用再带。可以随时撤回。")
                                    : m.keep === false ? qsTr("不存档。")
                                    : qsTr("这份材料要存档吗？工作人员核验后保存，下次办事不用再带。可以随时撤回。")
                            }
                            Flow {
                                Layout.fillWidth: true
                                spacing: theme.gap
                                visible: m.keepAsk
                                KioskButton {
                                    objectName: "keep_yes_" + m.id
                                    width: Math.min(implicitWidth, parent.width)
                                    fill: m.keep === true ? theme.accent : theme.surface
                                    ink: m.keep === true ? theme.onAccent : theme.text
                                    text: qsTr("存档，下次不用再带")
                                    onClicked: root.act("keep_on_file", [m.id, true])
                                }
                                KioskButton {
                                    objectName: "keep_no_" + m.id
                                    width: Math.min(implicitWidth, parent.width)
                                    fill: m.keep === false ? theme.accent : theme.surface
                                    ink: m.keep === false ? theme.onAccent : theme.text
                                    text: qsTr("不存档")
                                    onClicked: root.act("keep_on_file", [m.id, false])
                                }
                            }
                            Flow {
                                Layout.fillWidth: true
                                spacing: theme.gap
                                Repeater {
                                    model: m.onFile
                                    KioskButton {
                                        objectName: "use_on_file_" + m.id
                                        width: Math.min(implicitWidth, parent.width)
                                        text: modelData.validUntil ? qsTr("已有存档：%1，有效期至 %2。使用存档").arg(root.t(modelData.name)).arg(modelData.validUntil) : qsTr("已有存档：%1，长期有效。使用存档").arg(root.t(modelData.name))
                                        onClicked: root.act("use_on_file", [m.id, modelData.id])
                                    }
                                }
                                KioskButton {
                                    objectName: "scan_" + m.id
                                    width: Math.min(implicitWidth, parent.width)
                                    text: m.pages > 0 ? qsTr("再拍一页") : m.onFile.length ? qsTr("重新拍摄") : qsTr("现在拍摄")
                                    onClicked: root.act("start_scan", [m.id])
                                }
                                KioskButton {
                                    objectName: "defer_" + m.id
                                    width: Math.min(implicitWidth, parent.width)
                                    visible: m.deferrable && m.status !== "deferred"
                                    text: qsTr("以后补交（承诺）")
                                    onClicked: root.act("defer", [m.id])
                                }
                                KioskButton {
                                    objectName: "skip_" + m.id
                                    width: Math.min(implicitWidth, parent.width)
                                    visible: m.necessity !== "required" && m.status === "missing"
                                    text: qsTr("不需要")
                                    onClicked: root.act("skip", [m.id])
                                }
                                KioskButton {
                                    objectName: "undo_" + m.id
                                    width: Math.min(implicitWidth, parent.width)
                                    visible: m.status !== "missing"
                                    text: qsTr("重新选择")
                                    onClicked: root.act("undo", [m.id])
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
