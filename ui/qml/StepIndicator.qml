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
    // outside the counted steps (thanks, staff called) only the title: never "0 / 1"
    readonly property bool counted: step > 0
    Repeater {
        model: indicator.counted ? indicator.stepCount : 0
        Rectangle {
            width: theme.gap * 2; height: width; radius: width / 2
            anchors.verticalCenter: parent.verticalCenter
            color: index < indicator.step ? theme.accent : theme.background
            border.width: 3; border.color: theme.accent
        }
    }
    BodyText {
        objectName: "step_text"
        text: indicator.counted ? qsTr("%1 / %2 %3").arg(indicator.step).arg(indicator.stepCount).arg(indicator.stepTitle)
                                : indicator.stepTitle
        font.bold: true
    }
}
