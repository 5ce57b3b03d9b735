// A throw-away journey screen for the shell's tests: a text field and a step.
import QtQuick
import Kiosk

Item {
    property var viewModel
    property string prompt: qsTr("请输入事项名称")
    property int step: 2
    property int stepCount: 5
    property string stepTitle: "搜索事项"
    KioskTextField {
        objectName: "search_field"
        anchors { top: parent.top; left: parent.left; right: parent.right }
    }
    PrimaryButton {
        objectName: "search_done"
        anchors { bottom: parent.bottom; horizontalCenter: parent.horizontalCenter }
        text: "完成"
        onClicked: viewModel.done()
    }
}
