// Typing a few short values (pickup code, booking code, MRZ key) with the big keyboard;
// numbers get the numeric layout.
import QtQuick
import QtQuick.Layouts
import Kiosk

JourneyScreen {
    id: root
    readonly property var e: d.entry || ({
            title: {},
            fields: [],
            actions: [],
            submit: ""
        })
    prompt: t(e.title)
    primaryName: "entry_submit"
    primaryText: qsTr("确定")
    onPrimaryClicked: root.act(root.e.submit, root.values())

    function values() {
        var out = [];
        for (var i = 0; i < fields.count; ++i)
            out.push(fields.itemAt(i).value);
        return out;
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentSpacing: theme.gap * 1.5
            TitleText {
                Layout.fillWidth: true
                text: root.t(root.e.title)
            }
            Repeater {
                id: fields
                model: root.e.fields.length
                ColumnLayout {
                    property alias value: input.text
                    Layout.fillWidth: true
                    spacing: theme.gap / 2
                    BodyText {
                        text: root.t(root.e.fields[index].label)
                    }
                    KioskTextField {
                        id: input
                        objectName: "entry_" + root.e.fields[index].id
                        Layout.fillWidth: true
                        inputMethodHints: root.e.fields[index].kind === "number" ? Qt.ImhDigitsOnly : root.e.fields[index].kind === "plain" ? (Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData) : (Qt.ImhUppercaseOnly | Qt.ImhNoPredictiveText)
                        echoMode: root.e.fields[index].secret ? TextInput.Password : TextInput.Normal
                        focus: index === 0
                    }
                }
            }
            BodyText {
                objectName: "entry_problem"
                Layout.fillWidth: true
                visible: !!root.e.problem
                color: theme.warning
                font.bold: true
                text: "⚠ " + root.t(root.e.problem)
            }
            ActionButtons {
                Layout.fillWidth: true
                actions: root.e.actions
                screen: root
            }
        }
    }
}
