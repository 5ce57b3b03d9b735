// Bottom band: what works differently right now, in plain words. Status, not controls.
import QtQuick
import Kiosk

Rectangle {
    id: line
    readonly property string message: {
        var parts = []
        if (shell.staffAtWork)   // no service is normal while staff work on the kiosk
            parts.push(qsTr("工作人员维护中，暂停对外服务"))
        if (!shell.online)
            parts.push(qsTr("网络暂时中断：仍可提交申请，网络恢复后自动发送"))
        var tiles = shell.tiles
        var changedBy = {}   // a device that is down -> the offered services it changes
        var downRoles = []
        for (var i = 0; i < tiles.length; i++) {
            if (!tiles[i].available && tiles[i].missing.length > 0 && tiles[i].missing[0] !== "not_installed")
                parts.push(qsTr("%1暂停：%2").arg(Labels.journey(tiles[i].key)).arg(Labels.roles(tiles[i].missing)))
            if (!tiles[i].available)
                continue
            for (var j = 0; j < tiles[i].degraded.length; j++) {
                var role = tiles[i].degraded[j]
                if (role === "offline")   // said above, once for all services
                    continue
                if (!changedBy[role]) {
                    changedBy[role] = []
                    downRoles.push(role)
                }
                changedBy[role].push(Labels.journey(tiles[i].key))
            }
        }
        for (var k = 0; k < downRoles.length; k++)
            parts.push(qsTr("%1：%2").arg(changedBy[downRoles[k]].join(qsTr("、"))).arg(Labels.degraded(downRoles[k])))
        return parts.join(qsTr("；"))
    }
    implicitHeight: text.implicitHeight + theme.gap
    color: message !== "" ? theme.warningSurface : theme.background
    BodyText {
        id: text
        objectName: "status_line"
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                  leftMargin: theme.gap * 2; rightMargin: theme.gap * 2 }
        verticalAlignment: Text.AlignVCenter
        text: line.message !== "" ? line.message : qsTr("所有服务正常")
        color: line.message !== "" ? theme.warning : theme.mutedText
        font.pixelSize: theme.smallPx
    }
}
