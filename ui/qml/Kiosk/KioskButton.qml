// A button a 70-year-old can hit: at least theme.touchTarget in both directions,
// text label always (never an icon alone), a visible pressed and disabled state.
import QtQuick
// the bare control, not a style's: this file draws all of it, and the attract screen's
// first frame does not wait for QtQuick.Controls (docs/benchmarks.md, start-up part 7)
import QtQuick.Templates as T

T.Button {
    id: control
    property color fill: theme.surface
    property color ink: theme.text
    property bool outlined: true
    property bool primary: false   // the screen's one primary action (bottom-centre)
    // grows with its label: a long label wraps (the button is never wider than its
    // place) and is never shrunk or cut
    implicitHeight: Math.max(theme.touchTarget, label.implicitHeight + topPadding + bottomPadding)
    implicitWidth: Math.max(theme.touchTarget, label.implicitWidth + 2 * theme.gap)
    font.family: theme.fontFamily
    font.pixelSize: theme.bodyPx
    padding: theme.gap / 2
    contentItem: Text {
        id: label
        text: control.text
        font: control.font
        color: control.enabled ? control.ink : theme.disabled
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.WordWrap
        lineHeight: 1.3
    }
    background: Rectangle {
        radius: 14
        color: control.down ? Qt.darker(control.fill, 1.15) : control.fill
        border.width: control.outlined ? 3 : 0
        border.color: control.enabled ? theme.accent : theme.disabled
        opacity: control.enabled ? 1.0 : 0.7
    }
    Accessible.name: text
}
