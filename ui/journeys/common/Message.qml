// A screen that tells one thing and offers a few big choices (choose a document, a
// problem and what to do now, staff called, thanks). The primary choice is the screen's
// primary action (bottom-centre); the others are listed above it, beside the message in
// landscape.
import QtQuick
import QtQuick.Layouts
import Kiosk

JourneyScreen {
    id: root
    readonly property var m: d.message || ({title: {}, body: {}, actions: [], tone: "info"})
    readonly property var primaryAction: m.actions.filter(function(a) { return a.primary })[0] || null
    readonly property var choices: m.actions.filter(function(a) { return !a.primary })
    // more choices than the height holds (a menu, a list of devices) page beside the message
    // in landscape, below it in portrait
    readonly property bool manyChoices: choices.length > (landscape ? 3 : 5)
    prompt: t(m.title) + "。" + t(m.body)
    primaryName: primaryAction ? primaryAction.objectName : ""
    primaryText: primaryAction ? t(primaryAction.label) : ""
    onPrimaryClicked: act(primaryAction.id, primaryAction.args)

    GridLayout {
        anchors.fill: parent
        columns: root.landscape ? 2 : 1
        rowSpacing: theme.gap * 2; columnSpacing: theme.gap * 2
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: root.landscape || !root.manyChoices
            Layout.preferredHeight: root.landscape || !root.manyChoices ? -1
                                    : flickable.contentHeight
            Layout.preferredWidth: 1
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: content.implicitHeight + theme.gap * 3
                radius: 20
                color: root.m.tone === "warning" ? theme.warningSurface : theme.surface
                border.width: root.m.tone === "warning" ? 3 : 0
                border.color: theme.warning
                ColumnLayout {
                    id: content
                    anchors { left: parent.left; right: parent.right; top: parent.top
                              margins: theme.gap * 1.5 }
                    spacing: theme.gap
                    TitleText {
                        objectName: "message_title"
                        Layout.fillWidth: true
                        text: (root.m.tone === "warning" ? "⚠ " : "") + root.t(root.m.title)
                    }
                    BodyText {
                        objectName: "message_body"
                        Layout.fillWidth: true
                        visible: text !== ""
                        text: root.t(root.m.body)
                    }
                    // a picture that goes with the words (a camera preview with its face box)
                    Image {
                        objectName: "message_image"
                        Layout.fillWidth: true
                        Layout.preferredHeight: visible ? width * sourceSize.height
                                                          / Math.max(1, sourceSize.width) : 0
                        visible: !!root.m.image
                        source: root.m.image || ""
                        fillMode: Image.PreserveAspectFit
                    }
                }
            }
        }
        ActionButtons {
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.alignment: Qt.AlignBottom
            visible: !root.manyChoices
            actions: visible ? root.choices : []
            screen: root
        }
        // more choices than the landscape height holds (a menu, a list of devices): they page
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            visible: root.manyChoices
            ActionButtons {
                Layout.fillWidth: true
                actions: root.manyChoices ? root.choices : []
                screen: root
            }
        }
    }
}
