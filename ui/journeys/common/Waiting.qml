// Something is happening: what, for about how long, and which device to use (with an
// arrow pointing at it, and a simple animation of the action). Portrait: one centred
// column; landscape: the device animation beside the words.
import QtQuick
import QtQuick.Layouts
import Kiosk

JourneyScreen {
    id: root
    readonly property var w: d.waiting || ({title: {}, detail: {}, seconds: 0, device: ""})
    prompt: t(w.title)
    readonly property var arrows: ({ id_reader: "↓", code_reader: "↘", document_camera: "↓",
                                     locker: "→" })

    GridLayout {
        anchors.centerIn: parent
        width: parent.width
        columns: root.landscape ? 2 : 1
        rowSpacing: theme.gap * 2; columnSpacing: theme.gap * 2
        TitleText {
            objectName: "waiting_title"
            Layout.fillWidth: true
            Layout.columnSpan: root.landscape ? 2 : 1
            horizontalAlignment: Text.AlignHCenter
            text: root.t(root.w.title)
        }
        Item {
            // the device animation
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Math.min(theme.touchTarget * 3, root.height * 0.45)
            Layout.preferredHeight: Layout.preferredWidth
            Rectangle {
                id: spinner
                anchors.fill: parent
                radius: width / 2
                color: "transparent"
                border.width: theme.gap
                border.color: theme.surface
                Rectangle {
                    width: theme.gap * 2; height: theme.gap * 2; radius: theme.gap
                    color: theme.accent
                    x: parent.width / 2 - width / 2
                    y: 0
                }
                RotationAnimation on rotation {
                    from: 0; to: 360; duration: 1600; loops: Animation.Infinite
                }
            }
            Text {
                anchors.centerIn: parent
                text: root.arrows[root.w.device] || ""
                font.pixelSize: theme.hugePx
                color: theme.accent
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            spacing: theme.gap * 2
            BodyText {
                objectName: "waiting_detail"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: root.t(root.w.detail)
            }
            BodyText {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                color: theme.mutedText
                visible: root.w.seconds > 0
                text: qsTr("大约需要 %1 秒").arg(root.w.seconds)
            }
        }
    }
}
