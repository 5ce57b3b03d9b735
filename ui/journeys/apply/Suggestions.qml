// Items matching what is being typed, under the search box, above the keyboard: a tap
// opens the item. Filled by the journey's `suggest` on every change of the typed text.
import QtQuick
import QtQuick.Layouts
import Kiosk

ColumnLayout {
    id: list
    property var screen
    readonly property var suggestions: screen.d.suggestions || []
    objectName: "suggestions"
    visible: suggestions.length > 0
    spacing: theme.gap / 2
    Repeater {
        model: list.suggestions
        KioskButton {
            objectName: "suggestion_" + index
            Layout.fillWidth: true
            text: "→ " + list.screen.t(modelData.name)
            onClicked: list.screen.act("choose_item", [modelData.code])
        }
    }
}
