// A throw-away journey screen for the shell's tests: one field at the top, one just above
// the keyboard when it is up.
import QtQuick
import Kiosk

Item {
    property var viewModel
    property string prompt: "请填写"
    KioskTextField {
        objectName: "name_field"
        anchors { top: parent.top; left: parent.left; right: parent.right }
    }
    KioskTextField {
        objectName: "address_field"
        anchors { bottom: parent.bottom; left: parent.left; right: parent.right }
    }
}
