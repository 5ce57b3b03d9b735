// The one primary action of a screen (bottom-centre, accent colour).
import QtQuick

KioskButton {
    primary: true
    fill: enabled ? theme.accent : theme.surface
    ink: theme.onAccent
    outlined: !enabled
    font.bold: true
    implicitWidth: Math.max(theme.touchTarget * 4, contentItem.implicitWidth + 4 * theme.gap)
}
