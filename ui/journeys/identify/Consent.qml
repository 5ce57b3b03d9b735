// Before the face check: what is captured, why, for how long, and what happens without
// consent; two answers (agree, or staff check the identity in person). Self-contained:
// drawn from d.consent only.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var c: d.consent || ({title: {}, points: [], actions: []})
    readonly property var agree: c.actions.filter(function(a) { return a.primary })[0] || null
    prompt: t(c.title) + "。" + c.points.map(function (p) {
        return t(p.label) + "：" + t(p.text) }).join(" ")
    primaryName: agree ? agree.objectName : ""
    primaryText: agree ? t(agree.label) : ""
    onPrimaryClicked: act(agree.id, agree.args)

    GridLayout {
        anchors.fill: parent
        columns: root.landscape ? 2 : 1
        rowSpacing: theme.gap * 1.5; columnSpacing: theme.gap * 2
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            TitleText {
                objectName: "consent_title"
                Layout.fillWidth: true
                text: root.t(root.c.title)
            }
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: points.implicitHeight + theme.gap * 3
                radius: 20
                color: theme.surface
                ColumnLayout {
                    id: points
                    anchors { left: parent.left; right: parent.right; top: parent.top
                              margins: theme.gap * 1.5 }
                    spacing: theme.gap
                    Repeater {
                        model: root.c.points
                        ColumnLayout {
                            objectName: "consent_point_" + index
                            Layout.fillWidth: true
                            spacing: theme.gap / 3
                            BodyText {
                                Layout.fillWidth: true
                                font.bold: true
                                text: root.t(modelData.label)
                            }
                            BodyText {
                                objectName: "consent_text_" + index
                                Layout.fillWidth: true
                                text: root.t(modelData.text)
                            }
                        }
                    }
                }
            }
        }
        ActionButtons {
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.alignment: Qt.AlignBottom
            actions: root.c.actions.filter(function(a) { return !a.primary })
            screen: root
        }
    }
}
