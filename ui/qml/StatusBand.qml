// Top band (above comfortable reach on the portrait model): status only, no controls.
import QtQuick
import Kiosk

Rectangle {
    property bool landscape: false
    implicitHeight: Math.max(theme.titlePx * (landscape ? 1.2 : 2), names.implicitHeight) + theme.gap
    color: theme.accent
    Column {
        id: names
        anchors { left: parent.left; verticalCenter: parent.verticalCenter; leftMargin: theme.gap * 2 }
        width: parent.width * 0.7
        Text {
            objectName: "kiosk_name"
            width: parent.width
            text: shell.language === "en_US" ? shell.kioskNameEn : shell.kioskName
            color: theme.onAccent; font.family: theme.fontFamily; font.pixelSize: theme.bodyPx; font.bold: true
            wrapMode: Text.WordWrap   // a long hall name takes two lines, never cut
        }
        Text {
            visible: !landscape   // height is what the landscape model runs short of
            text: qsTr("24小时政务自助服务")
            color: theme.onAccent; font.family: theme.fontFamily; font.pixelSize: theme.smallPx
        }
    }
    Text {
        objectName: "time"
        anchors { right: parent.right; verticalCenter: parent.verticalCenter; rightMargin: theme.gap * 2 }
        text: shell.timeText
        color: theme.onAccent; font.family: theme.fontFamily; font.pixelSize: theme.titlePx; font.bold: true
    }
}
