// 智能咨询: type a question (Chinese, Pinyin initials, English); answers from the FAQ and
// the catalogue.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    prompt: qsTr("请输入您想问的问题。")
    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        RowLayout {
            Layout.fillWidth: true
            spacing: theme.gap
            KioskTextField {
                id: question
                objectName: "question_field"
                Layout.fillWidth: true
                text: root.d.question || ""
                onAccepted: root.act("ask", [text])
            }
            KioskButton {
                objectName: "ask_button"
                text: qsTr("提问")
                onClicked: root.act("ask", [question.text])
            }
        }
        BodyText {
            objectName: "guide_problem"
            Layout.fillWidth: true
            visible: !!root.d.problem
            color: theme.warning
            text: "⚠ " + root.t(root.d.problem)
        }
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            TitleText {
                Layout.fillWidth: true
                text: qsTr("有什么可以帮您？")
            }
            // the example as text, not a placeholder: a long placeholder gets cut off
            BodyText {
                Layout.fillWidth: true
                color: theme.mutedText
                text: qsTr("例如：办居住证要带什么")
            }
            GridLayout {
                Layout.fillWidth: true
                columns: root.landscape ? 2 : 1
                rowSpacing: theme.gap
                columnSpacing: theme.gap
                Repeater {
                    model: root.d.answers || []
                    delegate: KioskButton {
                        objectName: "answer_" + modelData.index
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        text: (modelData.kind === "faq" ? qsTr("问：") : qsTr("事项：")) + root.t(modelData.title)
                        onClicked: root.act("open_hit", [modelData.index])
                    }
                }
            }
        }
    }
}
