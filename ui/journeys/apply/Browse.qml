// The catalogue: a search box (Pinyin keyboard, suggestions as you type) over topic and
// life-event tiles.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    prompt: qsTr("请输入要办的事，或点击下面的分类。")

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap * 1.5
        RowLayout {
            Layout.fillWidth: true
            spacing: theme.gap
            KioskTextField {
                id: query
                objectName: "search_field"
                Layout.fillWidth: true
                placeholderText: qsTr("例如：居住证、jzz、低保")
                // Pinyin letters being composed count too: "jzz" suggests 居住证 at once
                onDisplayTextChanged: if (activeFocus && root.viewModel) root.act("suggest", [displayText])
                onAccepted: root.act("search", [text])
            }
            KioskButton {
                objectName: "search_button"
                text: qsTr("搜索")
                onClicked: root.act("search", [query.text])
            }
        }
        Suggestions {
            Layout.fillWidth: true
            screen: root
        }
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            TitleText {
                Layout.fillWidth: true
                text: qsTr("您要办什么事？")
            }
            BodyText {
                text: qsTr("按主题")
                font.bold: true
            }
            GridLayout {
                Layout.fillWidth: true
                columns: root.landscape ? 3 : 2
                rowSpacing: theme.gap
                columnSpacing: theme.gap
                Repeater {
                    model: root.d.topics || []
                    KioskButton {
                        objectName: "topic_" + modelData.id
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.minimumHeight: theme.touchTarget * 1.3
                        text: root.t(modelData.name)
                        onClicked: root.act("open_category", [modelData.id])
                    }
                }
            }
            BodyText {
                text: qsTr("按人生大事")
                font.bold: true
                visible: (root.d.lifeEvents || []).length > 0
            }
            GridLayout {
                Layout.fillWidth: true
                columns: root.landscape ? 3 : 2
                rowSpacing: theme.gap
                columnSpacing: theme.gap
                Repeater {
                    model: root.d.lifeEvents || []
                    KioskButton {
                        objectName: "life_event_" + modelData.id
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.minimumHeight: theme.touchTarget * 1.3
                        text: root.t(modelData.name)
                        onClicked: root.act("open_category", [modelData.id])
                    }
                }
            }
        }
    }
}
