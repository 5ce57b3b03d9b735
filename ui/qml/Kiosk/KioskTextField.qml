// Text input for the virtual keyboard (Pinyin): tall enough to hit, large type.
import QtQuick
import QtQuick.Controls.Basic

TextField {
    implicitHeight: theme.touchTarget
    font.family: theme.fontFamily
    font.pixelSize: theme.bodyPx
    color: theme.text
    placeholderTextColor: theme.mutedText   // a hint must be as legible as any text
    leftPadding: theme.gap
    background: Rectangle {
        radius: 10
        color: theme.background
        border.width: parent.activeFocus ? 4 : 2
        border.color: theme.accent
    }
}
