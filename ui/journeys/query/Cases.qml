// The citizen's cases: state, promised date, next step. Offline: only the unsent ones
// from this kiosk, and the screen says so.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var cases: d.cases || []
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
        }
    }
}
