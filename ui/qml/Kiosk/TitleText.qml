import QtQuick

Text {
    font.family: theme.fontFamily
    font.pixelSize: theme.titlePx
    font.bold: true
    color: theme.text
    wrapMode: Text.WordWrap
    lineHeight: 1.2
}
