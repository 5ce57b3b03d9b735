// A screen that tells one thing and offers a few big choices (choose a document, a
// problem and what to do now, staff called, thanks).
import QtQuick
import QtQuick.Layouts
import Kiosk

JourneyScreen {
    id: root
    readonly property var m: d.message || ({title: {}, body: {}, actions: [], tone: "info"})
    prompt: t(m.title) + "。" + t(m.body)

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap * 2
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: content.implicitHeight + theme.gap * 3
            radius: 20
            color: root.m.tone === "warning" ? theme.warningSurface : theme.surface
            border.width: root.m.tone === "warning" ? 3 : 0
            border.color: theme.warning
            ColumnLayout {
                id: content
                anchors { left: parent.left; right: parent.right; top: parent.top
                          margins: theme.gap * 1.5 }
                spacing: theme.gap
                TitleText {
                    objectName: "message_title"
                    Layout.fillWidth: true
                    text: (root.m.tone === "warning" ? "⚠ " : "") + root.t(root.m.title)
                }
                BodyText {
                    objectName: "message_body"
                    Layout.fillWidth: true
                    visible: text !== ""
                    text: root.t(root.m.body)
                }
            }
        }
        Item { Layout.fillHeight: true }
        ActionButtons {
            Layout.fillWidth: true
            actions: root.m.actions
            screen: root
        }
    }
}
