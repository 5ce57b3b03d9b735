// Top band (above comfortable reach on the portrait model): status only, no controls.
// Right: the date and weekday, the time, and while a citizen is here the seconds left
// before an untouched screen clears the visit (a touch starts them again).
import QtQuick
import Kiosk

Rectangle {
    property bool landscape: false
    implicitHeight: Math.max(theme.titlePx * (landscape ? 1.2 : 2), names.implicitHeight,
                             clock.implicitHeight) + theme.gap
    color: theme.accent
    Column {
        id: names
        anchors { left: parent.left; verticalCenter: parent.verticalCenter; leftMargin: theme.gap * 2 }
        width: parent.width - clock.width - theme.gap * 6
        Text {
            objectName: "kiosk_name"
            width: parent.width
            text: shell.language === "en_US" ? shell.kioskNameEn : shell.kioskName
            color: theme.onAccent; font.family: theme.fontFamily; font.pixelSize: theme.bodyPx; font.bold: true
            wrapMode: Text.WordWrap   // a long hall name takes two lines, never cut
        }
        Text {
            visible: !landscape   // height is what the landscape model runs short of
            width: parent.width
            wrapMode: Text.WordWrap
            text: qsTr("24小时政务自助服务")
            color: theme.onAccent; font.family: theme.fontFamily; font.pixelSize: theme.smallPx
        }
    }
    Row {
        id: clock
        anchors { right: parent.right; verticalCenter: parent.verticalCenter; rightMargin: theme.gap * 2 }
        spacing: theme.gap
        // landscape: the date and the count on one line (height is what it runs short of)
        Grid {
            anchors.verticalCenter: parent.verticalCenter
            columns: landscape ? 2 : 1
            columnSpacing: theme.gap
            horizontalItemAlignment: Grid.AlignRight
            Text {
                objectName: "date"
                text: shell.dateText
                color: theme.onAccent; font.family: theme.fontFamily; font.pixelSize: theme.smallPx
            }
            Text {
                objectName: "session_countdown"
                visible: shell.sessionSecondsLeft > 0
                text: qsTr("剩余 %1 秒").arg(shell.sessionSecondsLeft)
                color: theme.onAccent; font.family: theme.fontFamily; font.pixelSize: theme.smallPx
                font.bold: true
            }
        }
        Text {
            objectName: "time"
            anchors.verticalCenter: parent.verticalCenter
            text: shell.timeText
            color: theme.onAccent; font.family: theme.fontFamily; font.pixelSize: theme.titlePx; font.bold: true
        }
    }
}
