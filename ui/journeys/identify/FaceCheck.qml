// Face verification: the camera view in an oval guide, one instruction at a time, a ring
// that fills while a good frame is held, the attempt count and the staff option. No score.
// A staff sign-in (attempt 0) shows neither: staff are the ones who help.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var f: d.face || ({instruction: {}, progress: 0, attempt: 1})
    prompt: t(f.instruction)

    // portrait: the instruction over the oval, the attempts and staff under it;
    // landscape: the oval left of the middle, the words right beside it at its height
    // (the citizen looks at the oval, so the words must be where the eyes already are)
    readonly property real besideHeight: instruction.height + theme.gap * 2 + info.height
    TitleText {
        id: instruction
        objectName: "face_instruction"
        x: root.landscape ? stage.width + theme.gap : 0
        y: root.landscape ? Math.max(0, (root.height - root.besideHeight) / 2) : 0
        width: root.landscape ? root.width - x : root.width
        horizontalAlignment: root.landscape ? Text.AlignLeft : Text.AlignHCenter
        text: root.t(root.f.instruction)
    }
    Item {
        id: stage
        y: root.landscape ? 0 : instruction.height + theme.gap
        width: root.landscape ? root.width * 0.5 : root.width
        height: root.landscape ? root.height : root.height - y - info.height - theme.gap
            // the live camera picture, seen only through the oval (the view-model stops it
            // and forgets it when the check ends)
            Image {
                objectName: "face_preview"
                // inside the ring's box by the ring's inset: the mask always covers its edges
                anchors { fill: ring; margins: theme.gap }
                source: root.viewModel ? root.viewModel.preview : ""
                fillMode: Image.PreserveAspectCrop
                cache: false
                mirror: true
                visible: source !== ""
            }
            Canvas {
                id: ring
                objectName: "face_ring"
                // portrait: right under the instruction; landscape: against the middle of
                // the screen, right before the instruction; so the words sit at the oval
                anchors.top: root.landscape ? undefined : parent.top
                anchors.horizontalCenter: root.landscape ? undefined : parent.horizontalCenter
                anchors.right: root.landscape ? parent.right : undefined
                anchors.verticalCenter: root.landscape ? parent.verticalCenter : undefined
                width: Math.min(parent.width, parent.height * 0.75)
                height: width * 1.3
                property real progress: root.f.progress
                onProgressChanged: requestPaint()
                onPaint: {
                    var ctx = getContext("2d")
                    ctx.reset()
                    var inset = theme.gap
                    ctx.save()
                    ctx.translate(width / 2, height / 2)
                    ctx.scale(1, height / width)
                    // white outside the oval (a clockwise rectangle with an anticlockwise
                    // circle cut out): the camera picture shows only inside it
                    ctx.fillStyle = theme.background
                    ctx.beginPath()
                    ctx.rect(-width / 2, -width / 2, width, width)
                    ctx.arc(0, 0, width / 2 - inset, 0, 2 * Math.PI, true)
                    ctx.fill()
                    // the guide: dark (>= 3:1 against a lit face or a grey hall), and
                    // filled in white while a good frame is held
                    ctx.lineWidth = theme.gap
                    ctx.strokeStyle = theme.text
                    ctx.beginPath(); ctx.arc(0, 0, width / 2 - inset, 0, 2 * Math.PI); ctx.stroke()
                    ctx.lineWidth = theme.gap / 2
                    ctx.strokeStyle = theme.background
                    ctx.beginPath()
                    ctx.arc(0, 0, width / 2 - inset, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * progress)
                    ctx.stroke()
                    ctx.restore()
                }
            }
            BodyText {
                anchors.centerIn: ring
                width: ring.width * 0.7
                horizontalAlignment: Text.AlignHCenter
                visible: !root.viewModel || root.viewModel.preview === ""
                color: theme.mutedText
                text: qsTr("请看上方摄像头 ↑")
            }
        }
    ColumnLayout {
        id: info
        x: instruction.x
        width: instruction.width
        y: root.landscape ? instruction.y + instruction.height + theme.gap * 2
                          : root.height - height
        spacing: theme.gap
        BodyText {
            Layout.fillWidth: true
            visible: root.f.attempt > 0
            horizontalAlignment: root.landscape ? Text.AlignLeft : Text.AlignHCenter
            text: qsTr("第 %1 次，共可试 %2 次").arg(root.f.attempt).arg(root.d.maxAttempts || 3)
        }
        KioskButton {
            objectName: "action_identify_call_staff"
            visible: root.f.attempt > 0
            Layout.alignment: root.landscape ? Qt.AlignLeft : Qt.AlignHCenter
            Layout.maximumWidth: info.width
            text: qsTr("请工作人员帮助")
            onClicked: root.act("identify.call_staff", [])
        }
    }
}
