// 容缺: the commitment in large type, the deadline, how to supply it later, a finger
// signature pad; "I agree" only after signing and choosing how. Portrait: the letter
// (paged) above the pad; landscape: the letter beside the pad.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var c: d.commitment || ({text: {}, channels: [], materials: []})
    prompt: t(c.text)
    primaryName: "commitment_agree"
    primaryText: qsTr("我同意并承诺")
    primaryEnabled: root.c.canAgree === true
    onPrimaryClicked: root.act("agree", [])

    GridLayout {
        anchors.fill: parent
        columns: root.landscape ? 2 : 1
        rowSpacing: theme.gap; columnSpacing: theme.gap * 2
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 3
            TitleText { Layout.fillWidth: true; text: qsTr("容缺受理承诺书") }
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: letter.implicitHeight + theme.gap * 2
                color: theme.surface; radius: 16
                BodyText {
                    id: letter
                    objectName: "commitment_text"
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: theme.gap }
                    font.pixelSize: theme.bodyPx * 1.15
                    text: root.t(root.c.text)
                }
            }
            BodyText { objectName: "commitment_due"; Layout.fillWidth: true; font.bold: true
                text: qsTr("补交期限：%1").arg(root.c.due || "") }
            BodyText { Layout.fillWidth: true; text: qsTr("以后怎样补交？") }
            Flow {
                Layout.fillWidth: true
                spacing: theme.gap
                Repeater {
                    model: root.c.channels
                    KioskButton {
                        objectName: "channel_" + modelData.id
                        width: Math.min(implicitWidth, parent.width)
                        text: (modelData.chosen ? "● " : "○ ") + root.t(modelData.label)
                        fill: modelData.chosen ? theme.accent : theme.surface
                        ink: modelData.chosen ? theme.onAccent : theme.text
                        onClicked: root.act("choose_channel", [modelData.id])
                    }
                }
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: !root.landscape ? false : true
            Layout.preferredWidth: 2
            spacing: theme.gap / 2
            RowLayout {
                Layout.fillWidth: true
                spacing: theme.gap
                BodyText { Layout.fillWidth: true; text: qsTr("请用手指在框内签名") }
                KioskButton {
                    objectName: "signature_clear"
                    text: qsTr("重签")
                    onClicked: pad.clear()
                }
            }
            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: root.landscape
                Layout.preferredHeight: theme.touchTarget * 2.5
                Layout.minimumHeight: theme.touchTarget * 2
                color: theme.paper; radius: 12   // white in every theme: ink on paper
                border.width: 3; border.color: theme.accent
                Canvas {
                    id: pad
                    objectName: "signature_pad"
                    anchors.fill: parent
                    property var strokes: []
                    property bool empty: true
                    onPaint: {
                        var ctx = getContext("2d")
                        ctx.reset()
                        ctx.lineWidth = 6; ctx.lineCap = "round"; ctx.strokeStyle = "#000000"
                        for (var s = 0; s < strokes.length; ++s) {
                            ctx.beginPath()
                            for (var i = 0; i < strokes[s].length; ++i) {
                                var p = strokes[s][i]
                                if (i === 0) ctx.moveTo(p.x, p.y); else ctx.lineTo(p.x, p.y)
                            }
                            if (strokes[s].length === 1) ctx.lineTo(p.x + 0.5, p.y)   // a touch leaves a dot
                            ctx.stroke()
                        }
                    }
                    function clear() { strokes = []; empty = true; requestPaint(); root.act("sign", [""]) }
                    // scenarios and tests sign with a stroke drawn by the script
                    function drawStroke(points) { strokes.push(points); empty = false; requestPaint() }
                    MouseArea {
                        anchors.fill: parent
                        preventStealing: true   // a stroke draws, it does not scroll
                        onPressed: (mouse) => { pad.strokes.push([{x: mouse.x, y: mouse.y}]); pad.empty = false }
                        onPositionChanged: (mouse) => { pad.strokes[pad.strokes.length - 1].push({x: mouse.x, y: mouse.y}); pad.requestPaint() }
                        onReleased: root.act("sign", [pad.toDataURL("image/png")])
                    }
                }
                BodyText {
                    anchors.centerIn: parent
                    visible: pad.empty && !root.c.signed
                    color: theme.onPaper
                    text: qsTr("在这里签名")
                }
            }
            BodyText {
                objectName: "commitment_problem"
                Layout.fillWidth: true
                visible: !!root.c.problem
                color: theme.warning; font.bold: true
                text: "⚠ " + root.t(root.c.problem)
            }
        }
    }
}
