// A column of big choices from the view-model: [{id, label, primary, args, objectName}]
// (the screen's primary action is not among them: JourneyScreen places it).
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
            Layout.fillWidth: true
            Layout.preferredHeight: theme.touchTarget * 1.3
            text: buttons.screen.t(modelData.label)
            // staff help is the shell's, the same call as the fixed bar's Help
            onClicked: modelData.id === "call_staff" ? shell.callStaff(navigator.journey)
                                                     : buttons.screen.act(modelData.id, modelData.args)
        }
    }
}
