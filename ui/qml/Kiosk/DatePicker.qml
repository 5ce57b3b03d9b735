// A date chosen with big buttons, never typed: the date in words, then year, month and day
// each with earlier/later buttons (the year also by ten, for a birth date). Until a date is
// chosen it shows `today` and the first tap starts from there. `picked(iso)` gives
// "YYYY-MM-DD"; a day past the month's end moves to its last day.
import QtQuick
import QtQuick.Layouts

ColumnLayout {
    id: picker
    property string value: ""          // "YYYY-MM-DD", or "" when nothing is chosen yet
    property string today: ""          // "YYYY-MM-DD", the kiosk clock's
    property string name: "date"       // objectName prefix of the buttons
    signal picked(string iso)
    spacing: theme.gap / 2

    readonly property var shown: parse(value !== "" ? value : today)
    readonly property bool english: shell.language === "en_US"

    function parse(iso) {
        var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "")
        return m ? {y: +m[1], m: +m[2], d: +m[3]} : {y: 2000, m: 1, d: 1}
    }
    function pad(n) { return (n < 10 ? "0" : "") + n }
    function daysIn(y, m) { return new Date(y, m, 0).getDate() }
    function weekday(p) { return new Date(p.y, p.m - 1, p.d).getDay() }
    function step(part, by) {
        var p = {y: shown.y, m: shown.m, d: shown.d}
        if (part === "y") p.y += by
        else if (part === "m") {
            var months = p.y * 12 + (p.m - 1) + by
            p.y = Math.floor(months / 12); p.m = months % 12 + 1
        } else {
            var moved = new Date(p.y, p.m - 1, p.d + by)
            p.y = moved.getFullYear(); p.m = moved.getMonth() + 1; p.d = moved.getDate()
        }
        p.d = Math.min(p.d, daysIn(p.y, p.m))
        picked(p.y + "-" + pad(p.m) + "-" + pad(p.d))
    }
    function words(p) {
        var zhDays = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"]
        var enDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        var enMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                        "Nov", "Dec"]
        return english ? enDays[weekday(p)] + " " + p.d + " " + enMonths[p.m - 1] + " " + p.y
                       : p.y + "年" + p.m + "月" + p.d + "日 " + zhDays[weekday(p)]
    }

    BodyText {
        objectName: picker.name + "_shown"
        Layout.fillWidth: true
        font.bold: picker.value !== ""
        color: picker.value !== "" ? theme.text : theme.mutedText
        text: picker.value !== "" ? picker.words(picker.shown)
                                  : qsTr("未选择（从今天 %1 开始）").arg(picker.words(picker.shown))
    }
    Repeater {
        model: ["y", "m", "d"]
        RowLayout {
            Layout.fillWidth: true
            spacing: theme.gap / 2
            readonly property string part: modelData
            readonly property int big: part === "y" ? 10 : 0
            BodyText {
                Layout.preferredWidth: theme.touchTarget * 1.3
                text: parent.part === "y" ? qsTr("年") : parent.part === "m" ? qsTr("月") : qsTr("日")
            }
            KioskButton {
                objectName: picker.name + "_" + parent.part + "_back10"
                visible: parent.big > 0
                text: "−" + parent.big
                Accessible.name: qsTr("早十年")
                Layout.fillWidth: true
                onClicked: picker.step(parent.part, -parent.big)
            }
            KioskButton {
                objectName: picker.name + "_" + parent.part + "_back"
                text: "−"
                Accessible.name: qsTr("早一些")
                Layout.fillWidth: true
                onClicked: picker.step(parent.part, -1)
            }
            BodyText {
                Layout.preferredWidth: theme.bodyPx * 3
                horizontalAlignment: Text.AlignHCenter
                font.bold: true
                text: parent.part === "y" ? picker.shown.y : parent.part === "m" ? picker.shown.m : picker.shown.d
            }
            KioskButton {
                objectName: picker.name + "_" + parent.part + "_forward"
                text: "+"
                Accessible.name: qsTr("晚一些")
                Layout.fillWidth: true
                onClicked: picker.step(parent.part, 1)
            }
            KioskButton {
                objectName: picker.name + "_" + parent.part + "_forward10"
                visible: parent.big > 0
                text: "+" + parent.big
                Accessible.name: qsTr("晚十年")
                Layout.fillWidth: true
                onClicked: picker.step(parent.part, parent.big)
            }
        }
    }
}
