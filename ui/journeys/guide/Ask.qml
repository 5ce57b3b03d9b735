// 智能咨询: type a question (Chinese, Pinyin initials, English); answers from the FAQ and
// the catalogue.
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import Kiosk
import "../common"

JourneyScreen {
    id: root
    prompt: qsTr("请输入您想问的问题。")
    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        TitleText { Layout.fillWidth: true; text: qsTr("有什么可以帮您？") }
        RowLayout {
            Layout.fillWidth: true
            spacing: theme.gap
            KioskTextField {
                id: question
                objectName: "question_field"
                Layout.fillWidth: true
                text: root.d.question || ""
                placeholderText: qsTr("例如：办居住证要带什么")
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
        ListView {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: theme.gap
            model: root.d.answers || []
            ScrollBar.vertical: ScrollBar { width: theme.gap * 2 }
            delegate: KioskButton {
                objectName: "answer_" + modelData.index
                width: list.width - theme.gap * 3
                text: (modelData.kind === "faq" ? qsTr("问：") : qsTr("事项：")) + root.t(modelData.title)
                onClicked: root.act("open_hit", [modelData.index])
            }
        }
    }
}
