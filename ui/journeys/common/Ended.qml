// Shown for the moment between the end of a journey and the attract screen.
import QtQuick
import Kiosk

JourneyScreen {
    TitleText {
        anchors.centerIn: parent
        text: qsTr("谢谢使用")
    }
}
