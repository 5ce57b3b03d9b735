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
    primaryName: "form_next"
    primaryText: root.f.page < root.f.pages ? qsTr("下一步") : qsTr("下一步：材料")
    onPrimaryClicked: root.act("next_page", [])

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentSpacing: theme.gap * 1.5
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
            GridLayout {
                id: fieldsColumn
                Layout.fillWidth: true
                // landscape: two questions abreast
                columns: root.landscape ? 2 : 1
                rowSpacing: theme.gap * 1.5; columnSpacing: theme.gap * 2
                // a count, not the list: the delegates (and the text being typed) survive
                // every snapshot the view-model publishes
                Repeater {
                    model: root.f.fields.length
                    ColumnLayout {
                        id: question
                        readonly property var field: root.f.fields[index] || ({label: {}, choices: []})
                        readonly property bool choosing: field.kind === "choice" || field.kind === "yes_no"
                                                         || field.kind === "date"
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.alignment: Qt.AlignTop
                        spacing: theme.gap / 2
                        BodyText {
                            objectName: "label_" + question.field.id
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
                            placeholderText: root.t(question.field.hint)
                            // numbers get the keypad, a phone number the dial pad
                            inputMethodHints: ({number: Qt.ImhFormattedNumbersOnly,
                                                phone: Qt.ImhDialableCharactersOnly,
                                                id_number: Qt.ImhPreferNumbers | Qt.ImhUppercaseOnly
                                                           | Qt.ImhNoPredictiveText})[question.field.kind]
                                              || Qt.ImhNone
                            onTextEdited: root.act("set_value", [question.field.id, text])
                        }
                        // a date is picked with buttons, never typed as YYYY-MM-DD
                        DatePicker {
                            visible: question.field.kind === "date"
                            Layout.fillWidth: true
                            name: "date_" + question.field.id
                            value: question.field.value
                            today: root.f.today || ""
                            onPicked: (iso) => root.act("set_value", [question.field.id, iso])
                        }
                        Flow {
                            visible: question.choosing && question.field.kind !== "date"
                            Layout.fillWidth: true
                            spacing: theme.gap
                            Repeater {
                                model: question.field.kind === "yes_no"
                                       ? [{value: "yes", label: {zh: "是", en: "Yes"}}, {value: "no", label: {zh: "否", en: "No"}}]
                                       : question.field.choices
                                KioskButton {
                                    objectName: "choice_" + question.field.id + "_" + modelData.value
                                    width: Math.min(implicitWidth, parent.width)
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
    }
}
