// 好差评: five levels with words, then optional indicator chips and a comment. Skippable.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var r: d.rate || ({
            levels: [],
            indicators: [],
            level: 0,
            comment: ""
        })
    prompt: qsTr("请为本次服务评价，也可以跳过。")
    primaryName: "rating_send"
    primaryText: qsTr("提交评价")
    primaryEnabled: root.r.level > 0
    onPrimaryClicked: root.act("send", [])

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            RowLayout {
                Layout.fillWidth: true
                spacing: theme.gap
                TitleText {
                    Layout.fillWidth: true
                    text: qsTr("请评价本次服务")
                }
                KioskButton {
                    objectName: "rating_skip"
                    text: qsTr("跳过")
                    onClicked: root.act("skip", [])
                }
            }
            GridLayout {
                Layout.fillWidth: true
                // landscape: the levels beside the details
                columns: root.landscape ? 2 : 1
                rowSpacing: theme.gap
                columnSpacing: theme.gap * 2
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.alignment: Qt.AlignTop
                    spacing: theme.gap
                    Repeater {
                        model: root.r.levels
                        KioskButton {
                            objectName: "level_" + modelData.level
                            Layout.fillWidth: true
                            Layout.preferredHeight: theme.touchTarget * 1.1
                            text: "★".repeat(modelData.level) + "☆".repeat(5 - modelData.level) + "   " + root.t(modelData.label)
                            fill: root.r.level === modelData.level ? theme.accent : theme.surface
                            ink: root.r.level === modelData.level ? theme.onAccent : theme.text
                            onClicked: root.act("choose_level", [modelData.level])
                        }
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.alignment: Qt.AlignTop
                    spacing: theme.gap
                    visible: root.r.level > 0
                    BodyText {
                        visible: root.r.level > 0
                        text: qsTr("哪些方面？（可选）")
                    }
                    Flow {
                        visible: root.r.level > 0
                        Layout.fillWidth: true
                        spacing: theme.gap
                        Repeater {
                            model: root.r.indicators
                            KioskButton {
                                objectName: "indicator_" + modelData.id
                                width: Math.min(implicitWidth, parent.width)
                                text: (modelData.chosen ? "✓ " : "") + root.t(modelData.label)
                                fill: modelData.chosen ? theme.accent : theme.surface
                                ink: modelData.chosen ? theme.onAccent : theme.text
                                onClicked: root.act("toggle_indicator", [modelData.id])
                            }
                        }
                    }
                    KioskTextField {
                        objectName: "rating_comment"
                        visible: root.r.level > 0
                        Layout.fillWidth: true
                        placeholderText: qsTr("想说的话（可选）")
                        onEditingFinished: root.act("set_comment", [text])
                    }
                }
            }
        }
    }
}
