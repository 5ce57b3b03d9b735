// A column of big choices from the view-model: [{id, label, primary, args, objectName}].
import QtQuick
import QtQuick.Layouts
import Kiosk

ColumnLayout {
    id: buttons
    property var actions: []
    property var screen
    spacing: theme.gap
    Repeater {
        model: buttons.actions
        KioskButton {
            objectName: modelData.objectName
            primary: modelData.primary
            Layout.fillWidth: true
            Layout.preferredHeight: theme.touchTarget * 1.3
            text: buttons.screen.t(modelData.label)
            fill: modelData.primary ? theme.accent : theme.surface
            ink: modelData.primary ? theme.onAccent : theme.text
            font.bold: modelData.primary
            onClicked: buttons.screen.act(modelData.id, modelData.args)
        }
    }
}
