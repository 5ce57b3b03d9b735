// Summary before submitting, with a way back to each part.
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var r: d.review || ({item: {}, pages: [], materials: []})
    prompt: qsTr("请核对您的申请，确认后提交。")

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        TitleText { Layout.fillWidth: true; text: qsTr("请核对：%1").arg(root.t(root.r.item)) }
        BodyText { text: qsTr("申请人：%1").arg(root.r.applicant || "") }
        Flickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: summary.implicitHeight
            clip: true
            ScrollBar.vertical: ScrollBar { width: theme.gap * 2 }
            ColumnLayout {
                id: summary
                width: parent.width - theme.gap * 3
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
                RowLayout {
                    Layout.fillWidth: true
                    visible: root.r.materials.length > 0
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
        PrimaryButton {
            objectName: "submit"
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("确认提交")
            onClicked: root.act("submit", [])
        }
    }
}
