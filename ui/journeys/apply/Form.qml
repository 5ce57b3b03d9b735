// One group of questions per screen: prefilled answers marked, plain-word checks as the
// citizen types, choices as buttons (never free text where a choice will do).
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var f: d.form || ({title: {}, fields: [], page: 1, pages: 1})
    prompt: t(f.title)

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        TitleText {
            Layout.fillWidth: true
            text: root.t(root.f.title) + "（" + root.f.page + " / " + root.f.pages + "）"
        }
        BodyText {
            objectName: "form_problem"
            Layout.fillWidth: true
            visible: !!root.f.problem
            color: theme.warning; font.bold: true
            text: "⚠ " + root.t(root.f.problem)
        }
        Flickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: fieldsColumn.implicitHeight
            clip: true
            ScrollBar.vertical: ScrollBar { width: theme.gap * 2 }
            ColumnLayout {
                id: fieldsColumn
                width: parent.width - theme.gap * 3
                spacing: theme.gap * 1.5
                // a count, not the list: the delegates (and the text being typed) survive
                // every snapshot the view-model publishes
                Repeater {
                    model: root.f.fields.length
                    ColumnLayout {
                        id: question
                        readonly property var field: root.f.fields[index] || ({label: {}, choices: []})
                        readonly property bool choosing: field.kind === "choice" || field.kind === "yes_no"
                        Layout.fillWidth: true
                        spacing: theme.gap / 2
                        BodyText {
                            Layout.fillWidth: true
                            font.bold: true
                            text: root.t(question.field.label) + (question.field.required ? "" : qsTr("（选填）"))
                                  + (question.field.prefilled ? "  ✓ " + qsTr("已根据证件填写") : "")
                        }
                        KioskTextField {
                            objectName: "field_" + question.field.id
                            visible: !question.choosing
                            Layout.fillWidth: true
                            text: question.field.value
                            placeholderText: question.field.kind === "date" ? qsTr("年-月-日，例如 2026-12-01") : root.t(question.field.hint)
                            inputMethodHints: ["number", "phone", "id_number"].indexOf(question.field.kind) >= 0
                                              ? Qt.ImhPreferNumbers : Qt.ImhNone
                            onTextEdited: root.act("set_value", [question.field.id, text])
                        }
                        Flow {
                            visible: question.choosing
                            Layout.fillWidth: true
                            spacing: theme.gap
                            Repeater {
                                model: question.field.kind === "yes_no"
                                       ? [{value: "yes", label: {zh: "是", en: "Yes"}}, {value: "no", label: {zh: "否", en: "No"}}]
                                       : question.field.choices
                                KioskButton {
                                    objectName: "choice_" + question.field.id + "_" + modelData.value
                                    text: (question.field.value === modelData.value ? "● " : "○ ") + root.t(modelData.label)
                                    fill: question.field.value === modelData.value ? theme.accent : theme.surface
                                    ink: question.field.value === modelData.value ? theme.onAccent : theme.text
                                    onClicked: root.act("set_value", [question.field.id, modelData.value])
                                }
                            }
                        }
                        BodyText {
                            objectName: "error_" + question.field.id
                            Layout.fillWidth: true
                            visible: !!question.field.error
                            color: theme.warning
                            text: "⚠ " + root.t(question.field.error)
                        }
                    }
                }
            }
        }
        PrimaryButton {
            objectName: "form_next"
            Layout.alignment: Qt.AlignHCenter
            text: root.f.page < root.f.pages ? qsTr("下一步") : qsTr("下一步：材料")
            onClicked: root.act("next_page", [])
        }
    }
}
