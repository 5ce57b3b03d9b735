// "2 / 5 核验人脸" on every journey screen that declares stepCount.
import QtQuick
import Kiosk

Row {
    id: indicator
    property int step
    property int stepCount
    property string stepTitle
    visible: stepCount > 0 && enabled
    height: visible ? implicitHeight : 0
    spacing: theme.gap
    Repeater {
        model: indicator.stepCount
        Rectangle {
            width: theme.gap * 2; height: width; radius: width / 2
            anchors.verticalCenter: parent.verticalCenter
            color: index < indicator.step ? theme.accent : theme.background
            border.width: 3; border.color: theme.accent
        }
    }
    BodyText {
        objectName: "step_text"
        text: qsTr("%1 / %2 %3").arg(indicator.step).arg(indicator.stepCount).arg(indicator.stepTitle)
        font.bold: true
    }
}
