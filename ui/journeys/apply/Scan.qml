// Scanning one material with the document camera (apply and supply): which material, the
// live picture with the page's edges as the camera finds them, and the countdown to the
// automatic picture or what keeps it from being taken. The primary action takes the
// picture at once.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var w: d.waiting || ({title: {}})
    readonly property var s: d.scan || ({material: {}, corners: [], secondsLeft: null,
                                         status: {}})
    readonly property bool previewing: !!root.viewModel && root.viewModel.preview !== ""
    prompt: t(w.title)
    primaryName: "scan_take_now"
    primaryText: qsTr("现在拍摄")
    onPrimaryClicked: act("take_picture", [])

    // the title across the top; portrait: the material, the picture, the countdown under
    // it; landscape: the picture on the left, the material and the countdown beside it
    TitleText {
        id: title
        objectName: "scan_title"
        width: root.width
        horizontalAlignment: Text.AlignHCenter
        text: root.t(root.w.title)
    }
    BodyText {
        id: material
        objectName: "scan_material"
        x: status.x
        y: root.landscape
           ? stage.y + Math.max(0, (stage.height - height - theme.gap - status.height) / 2)
           : title.height + theme.gap
        width: status.width
        horizontalAlignment: status.horizontalAlignment
        text: root.t(root.s.material)
    }
    Item {
        id: stage
        y: root.landscape ? title.height + theme.gap : material.y + material.height + theme.gap
        width: root.landscape ? root.width * 0.4 : root.width
        height: root.landscape ? parent.height - y : parent.height - y - status.height - theme.gap
        Rectangle {
            anchors.fill: parent
            visible: !root.previewing
            color: theme.surface
            Text {
                anchors.centerIn: parent
                text: "↓"
                font.pixelSize: theme.hugePx
                color: theme.accent
            }
        }
        Image {
            id: picture
            objectName: "scan_preview"
            anchors.fill: parent
            visible: root.previewing
            source: root.viewModel ? root.viewModel.preview : ""
            fillMode: Image.PreserveAspectFit
            cache: false
        }
        Canvas {
            // the page's outline, drawn where the picture is painted (the corners are
            // fractions of the picture): light under dark, seen on paper and desk alike
            objectName: "scan_edges"
            anchors.fill: picture
            visible: root.previewing
            property var corners: root.s.corners
            property real paintedWidth: picture.paintedWidth
            property real paintedHeight: picture.paintedHeight
            onCornersChanged: requestPaint()
            onPaintedWidthChanged: requestPaint()
            onPaintedHeightChanged: requestPaint()
            onPaint: {
                var ctx = getContext("2d")
                ctx.reset()
                if (!corners || corners.length !== 4 || paintedWidth <= 0) return
                var left = (width - paintedWidth) / 2, top = (height - paintedHeight) / 2
                ctx.beginPath()
                for (var i = 0; i < 4; i++) {
                    var x = left + corners[i][0] * paintedWidth
                    var y = top + corners[i][1] * paintedHeight
                    if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y)
                }
                ctx.closePath()
                ctx.lineJoin = "round"
                ctx.lineWidth = theme.gap * 0.75
                ctx.strokeStyle = theme.background
                ctx.stroke()
                ctx.lineWidth = theme.gap * 0.4
                ctx.strokeStyle = theme.accent
                ctx.stroke()
            }
        }
    }
    TitleText {
        id: status
        objectName: "scan_status"
        x: root.landscape ? stage.width + theme.gap * 2 : 0
        y: root.landscape ? material.y + material.height + theme.gap : parent.height - height
        width: root.width - x
        horizontalAlignment: root.landscape ? Text.AlignLeft : Text.AlignHCenter
        // a title under the picture; beside it body-sized (bold), so that all of it fits
        font.pixelSize: root.landscape ? theme.bodyPx : theme.titlePx
        color: root.s.secondsLeft === null && root.s.corners.length === 4
               ? theme.warning : theme.text
        text: root.t(root.s.status)
    }
}
