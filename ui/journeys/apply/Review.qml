// Summary before submitting, with a way back to each part. The summary pages (and
// scrolls); in landscape the answers and the materials sit side by side.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var r: d.review || ({item: {}, pages: [], materials: []})
    prompt: qsTr("请核对您的申请，确认后提交。")
    primaryName: "submit"
    primaryText: qsTr("确认提交")
    onPrimaryClicked: root.act("submit", [])

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            TitleText { Layout.fillWidth: true; text: qsTr("请核对：%1").arg(root.t(root.r.item)) }
            BodyText { Layout.fillWidth: true; text: qsTr("申请人：%1").arg(root.r.applicant || "") }
            GridLayout {
                Layout.fillWidth: true
                columns: root.landscape ? 2 : 1
                rowSpacing: theme.gap; columnSpacing: theme.gap * 2
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.alignment: Qt.AlignTop
                    spacing: theme.gap
                    Repeater {
                        model: root.r.pages
                        ColumnLayout {
                            Layout.fillWidth: true
                            RowLayout {
                                Layout.fillWidth: true
                                BodyText { Layout.fillWidth: true; font.bold: true; text: root.t(modelData.title) }
                                KioskButton {
                                    objectName: "edit_page_" + modelData.page
                                    text: qsTr("修改")
                                    onClicked: root.act("edit_page", [modelData.page])
                                }
                            }
                            Repeater {
                                model: modelData.answers
                                BodyText { Layout.fillWidth: true
                                    text: root.t(modelData.label) + "：" + (root.t(modelData.value) || qsTr("（未填）")) }
                            }
                        }
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.alignment: Qt.AlignTop
                    visible: root.r.materials.length > 0
                    spacing: theme.gap
                    RowLayout {
                        Layout.fillWidth: true
                        BodyText { Layout.fillWidth: true; font.bold: true; text: qsTr("材料") }
                        KioskButton {
                            objectName: "edit_materials"
                            text: qsTr("修改")
                            onClicked: root.act("edit_materials", [])
                        }
                    }
                    Repeater {
                        model: root.r.materials
                        BodyText { Layout.fillWidth: true
                            text: root.t(modelData.name) + "：" + root.t(modelData.status) }
                    }
                }
            }
        }
    }
}
