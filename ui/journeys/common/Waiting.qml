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
    readonly property bool previewing: !!root.viewModel && root.viewModel.preview !== ""

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
            // the document camera's picture while a page is being found (scan only), or
            // the device animation
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: root.previewing ? root.width * (root.landscape ? 0.45 : 0.8)
                                   : Math.min(theme.touchTarget * 3, root.height * 0.45)
            Layout.preferredHeight: root.previewing ? Math.min(Layout.preferredWidth * 0.75, root.height * 0.6)
                                    : Layout.preferredWidth
            Image {
                objectName: "scan_preview"
                anchors.fill: parent
                visible: root.previewing
                source: root.viewModel ? root.viewModel.preview : ""
                fillMode: Image.PreserveAspectFit
                cache: false
            }
            Rectangle {
                id: spinner
                anchors.fill: parent
                visible: !root.previewing
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
                visible: !root.previewing
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
