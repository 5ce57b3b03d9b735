import QtQuick

Text {
    font.family: theme.fontFamily
    font.pixelSize: theme.bodyPx
    color: theme.text
    wrapMode: Text.WordWrap
    lineHeight: 1.3
}
