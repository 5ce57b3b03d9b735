// The compartment number huge, the locker wall with it highlighted, "door open: take
// your documents and close the door", then the confirmation. Staff pages (the lockers
// maintenance page) give their own `title`, `instruction` and `primary` action.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var l: d.locker || ({
            compartments: [],
            rows: [],
            items: [],
            done: false
        })
    readonly property string numbers: l.compartments.join("、")
    prompt: l.instruction ? t(l.instruction) : l.done ? qsTr("取件完成，谢谢。") : qsTr("%1 号柜门已打开，请取走文件并关好柜门。").arg(numbers)

    primaryName: l.primary ? l.primary.objectName : "pickup_done"
    primaryText: l.primary ? t(l.primary.label) : l.done ? qsTr("完成，去评价") : ""
    onPrimaryClicked: l.primary ? root.act(l.primary.id, l.primary.args) : root.act("finish", [])
    // landscape: the number and what to do beside the locker wall
    PagedFlickable {
        anchors.fill: parent
        GridLayout {
            Layout.fillWidth: true
            columns: root.landscape ? 2 : 1
            columnSpacing: theme.gap * 2
            rowSpacing: theme.gap
            ColumnLayout {
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.alignment: Qt.AlignTop
                spacing: theme.gap
                TitleText {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: root.l.title ? root.t(root.l.title) : root.l.done ? qsTr("取件完成") : qsTr("柜门已打开 →")
                }
                Text {
                    objectName: "compartment"
                    visible: !root.l.done
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    font.family: theme.fontFamily
                    font.pixelSize: theme.hugePx * 1.5
                    font.bold: true
                    color: theme.accent
                    text: root.numbers
                }
                BodyText {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    visible: !root.l.done
                    text: root.l.items.map(function (i) {
                        return root.t(i);
                    }).join("、")
                }
                BodyText {
                    objectName: "locker_instruction"
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    font.bold: true
                    text: root.l.instruction ? root.t(root.l.instruction) : root.l.done ? qsTr("柜门已关好，谢谢。") : qsTr("请取走文件，然后关好柜门")
                }
            }
            Grid {
                objectName: "locker_wall"
                Layout.alignment: Qt.AlignHCenter
                columns: root.l.rows.length ? root.l.rows[0].length : 1
                spacing: theme.gap / 2
                Repeater {
                    model: [].concat.apply([], root.l.rows)
                    Rectangle {
                        readonly property bool mine: root.l.compartments.indexOf(modelData) >= 0 && !root.l.done
                        width: theme.touchTarget * 1.2
                        height: theme.touchTarget
                        radius: 8
                        color: mine ? theme.accent : theme.surface
                        border.width: mine ? 6 : 1
                        border.color: mine ? theme.warning : theme.disabled
                        Text {
                            anchors.centerIn: parent
                            text: modelData
                            font.family: theme.fontFamily
                            font.pixelSize: theme.smallPx
                            font.bold: parent.mine
                            color: parent.mine ? theme.onAccent : theme.text
                        }
                    }
                }
            }
        }
    }
}
