// A journey tile on the attract screen: big label, what it does, and why not, if not.
import QtQuick
// the bare control, not a style's: this file draws all of it, and the attract screen's
// first frame does not wait for QtQuick.Controls (docs/benchmarks.md, start-up part 7)
import QtQuick.Templates as T

T.Button {
    id: tile
    property string title
    property string subtitle
    property string note          // reason it is unavailable, or what works differently
    property bool warn: false
    property bool compact: false   // no room for the hint line (landscape, large text)
    implicitHeight: Math.max(theme.touchTarget * 2, column.implicitHeight + 2 * theme.gap)
    implicitWidth: theme.touchTarget * 3
    padding: theme.gap
    contentItem: Item {
      implicitHeight: column.implicitHeight
      implicitWidth: column.implicitWidth
      Column {
        id: column
        width: parent.width
        anchors.verticalCenter: parent.verticalCenter
        spacing: theme.gap / 2
        Text {
            width: parent.width
            text: tile.title
            font.family: theme.fontFamily; font.pixelSize: theme.titlePx; font.bold: true
            color: tile.enabled ? theme.accent : theme.disabled
            horizontalAlignment: Text.AlignHCenter
            fontSizeMode: Text.HorizontalFit; minimumPixelSize: theme.bodyPx
        }
        Text {
            width: parent.width
            visible: !tile.compact || tile.note === ""
            text: tile.subtitle
            font.family: theme.fontFamily; font.pixelSize: theme.smallPx
            color: tile.enabled ? theme.text : theme.disabled
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap; lineHeight: 1.3
            // large text in a narrow tile: the hint never pushes out of it (the title says it)
            maximumLineCount: tile.compact ? 2 : 6; elide: Text.ElideRight
        }
        Text {
            width: parent.width
            visible: tile.note !== ""
            text: tile.note
            font.family: theme.fontFamily; font.pixelSize: theme.smallPx; font.bold: true
            color: theme.warning
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap; lineHeight: 1.3
        }
      }
    }
    background: Rectangle {
        radius: 20
        color: tile.down ? Qt.darker(theme.surface, 1.1) : (tile.warn ? theme.warningSurface : theme.surface)
        border.width: 3
        border.color: tile.enabled ? theme.accent : theme.disabled
    }
    Accessible.name: title + " " + subtitle + " " + note
}
