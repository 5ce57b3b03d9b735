// Something is happening: what, for about how long, and which device to use (with an
// arrow pointing at it, and a simple animation of the action).
import QtQuick
import QtQuick.Layouts
import Kiosk

JourneyScreen {
    id: root
    readonly property var w: d.waiting || ({title: {}, detail: {}, seconds: 0, device: ""})
    prompt: t(w.title)
    readonly property var arrows: ({ id_reader: "↓", code_reader: "↘", document_camera: "↓",
                                     locker: "→" })

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width
        spacing: theme.gap * 2
        TitleText {
            objectName: "waiting_title"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: root.t(root.w.title)
        }
        Image {
            // the document camera's picture while a page is being found (scan only)
            objectName: "scan_preview"
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: parent.width * 0.8
            Layout.preferredHeight: parent.width * 0.6
            visible: source !== ""
            source: root.viewModel ? root.viewModel.preview : ""
            fillMode: Image.PreserveAspectFit
            cache: false
        }
        Item {
            visible: !root.viewModel || root.viewModel.preview === ""
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: theme.touchTarget * 3
            Layout.preferredHeight: theme.touchTarget * 3
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
