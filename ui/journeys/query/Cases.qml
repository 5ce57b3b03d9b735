// The citizen's cases: state, promised date, next step. Offline: only the unsent ones
// from this kiosk, and the screen says so.
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var cases: d.cases || []
    prompt: cases.length ? qsTr("您有 %1 件办件。").arg(cases.length) : qsTr("没有查到您的办件。")

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        TitleText { Layout.fillWidth: true; text: qsTr("我的办件") }
        Rectangle {
            objectName: "offline_note"
            visible: root.d.localOnly === true
            Layout.fillWidth: true
            Layout.preferredHeight: note.implicitHeight + theme.gap * 2
            color: theme.warningSurface; radius: 12
            border.width: 3; border.color: theme.warning
            BodyText {
                id: note
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: theme.gap }
                text: "⚠ " + root.t(root.d.problem)
            }
        }
        BodyText { objectName: "no_cases"; visible: root.cases.length === 0; text: qsTr("没有查到您的办件。") }
        ListView {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: theme.gap
            model: root.cases
            ScrollBar.vertical: ScrollBar { width: theme.gap * 2 }
            delegate: Rectangle {
                width: list.width - theme.gap * 3
                height: info.implicitHeight + theme.gap * 2
                radius: 16; color: theme.surface
                ColumnLayout {
                    id: info
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: theme.gap }
                    BodyText { Layout.fillWidth: true; font.bold: true; text: root.t(modelData.item) }
                    BodyText { text: qsTr("编号：%1").arg(modelData.number) }
                    BodyText { objectName: "case_state_" + index; text: qsTr("状态：%1").arg(root.t(modelData.state)) }
                    BodyText { visible: modelData.promised !== ""; text: qsTr("承诺办结：%1").arg(modelData.promised) }
                    BodyText { visible: root.t(modelData.next) !== ""; text: qsTr("下一步：%1").arg(root.t(modelData.next)) }
                }
            }
        }
        PrimaryButton {
            objectName: "query_done"
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("完成")
            onClicked: root.act("finish", [])
        }
    }
}
