import QtQuick
import QtQuick.Layouts

// in a layout it takes the width offered and wraps, never running past its column

Text {
    font.family: theme.fontFamily
    font.pixelSize: theme.titlePx
    font.bold: true
    color: theme.text
    wrapMode: Text.WordWrap
    Layout.fillWidth: true
    lineHeight: 1.2
}
