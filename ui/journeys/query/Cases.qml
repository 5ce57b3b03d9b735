// The citizen's cases: state, promised date, next step; below them the documents kept on
// file from their scans (零材料), each deletable. Offline: only the unsent cases from this
// kiosk, and the screen says so.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var cases: d.cases || []
    readonly property var kept: d.kept || []
    primaryName: "query_done"
    primaryText: qsTr("完成")
    onPrimaryClicked: root.act("finish", [])
    prompt: cases.length ? qsTr("您有 %1 件办件。").arg(cases.length) : qsTr("没有查到您的办件。")

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        TitleText {
            Layout.fillWidth: true
            text: qsTr("我的办件")
        }
        Rectangle {
            objectName: "offline_note"
            visible: root.d.localOnly === true
            Layout.fillWidth: true
            Layout.preferredHeight: note.implicitHeight + theme.gap * 2
            color: theme.warningSurface
            radius: 12
            border.width: 3
            border.color: theme.warning
            BodyText {
                id: note
                anchors {
                    left: parent.left
                    right: parent.right
                    top: parent.top
                    margins: theme.gap
                }
                text: "⚠ " + root.t(root.d.problem)
            }
        }
        BodyText {
            objectName: "query_notice"
            Layout.fillWidth: true
            visible: root.d.localOnly !== true && !!root.d.problem
            font.bold: true
            text: root.t(root.d.problem)
        }
        BodyText {
            objectName: "no_cases"
            visible: root.cases.length === 0
            text: qsTr("没有查到您的办件。")
        }
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            GridLayout {
                Layout.fillWidth: true
                columns: root.landscape ? 2 : 1
                rowSpacing: theme.gap
                columnSpacing: theme.gap
                Repeater {
                    model: root.cases
                    delegate: Rectangle {
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.alignment: Qt.AlignTop
                        Layout.preferredHeight: info.implicitHeight + theme.gap * 2
                        radius: 16
                        color: theme.surface
                        ColumnLayout {
                            id: info
                            anchors {
                                left: parent.left
                                right: parent.right
                                top: parent.top
                                margins: theme.gap
                            }
                            BodyText {
                                Layout.fillWidth: true
                                font.bold: true
                                text: root.t(modelData.item)
                            }
                            BodyText {
                                text: qsTr("编号：%1").arg(modelData.number)
                            }
                            BodyText {
                                objectName: "case_state_" + index
                                text: qsTr("状态：%1").arg(root.t(modelData.state))
                            }
                            BodyText {
                                visible: modelData.promised !== ""
                                text: qsTr("承诺办结：%1").arg(modelData.promised)
                            }
                            BodyText {
                                visible: root.t(modelData.next) !== ""
                                text: qsTr("下一步：%1").arg(root.t(modelData.next))
                            }
                        }
                    }
                }
            }
            // 零材料: what is kept on file from the citizen's own scans, each deletable
            TitleText {
                Layout.fillWidth: true
                visible: root.kept.length > 0
                text: qsTr("我的存档材料")
            }
            Repeater {
                model: root.kept
                delegate: Rectangle {
                    Layout.fillWidth: true
                    Layout.preferredHeight: keptInfo.implicitHeight + theme.gap * 2
                    radius: 16
                    color: theme.surface
                    ColumnLayout {
                        id: keptInfo
                        anchors {
                            left: parent.left
                            right: parent.right
                            top: parent.top
                            margins: theme.gap
                        }
                        BodyText {
                            Layout.fillWidth: true
                            font.bold: true
                            text: root.t(modelData.name)
                        }
                        BodyText {
                            Layout.fillWidth: true
                            text: modelData.validUntil ? qsTr("%1 · 有效期至 %2").arg(modelData.issuer).arg(modelData.validUntil) : qsTr("%1 · 长期有效").arg(modelData.issuer)
                        }
                        KioskButton {
                            objectName: "withdraw_" + index
                            Layout.maximumWidth: keptInfo.width
                            text: qsTr("删除存档（撤回同意）")
                            onClicked: root.act("withdraw_certificate", [modelData.id])
                        }
                    }
                }
            }
        }
    }
}
