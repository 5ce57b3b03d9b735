// Items of a topic or search results: name, free, promised days, "can apply here".
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    readonly property var l: d.list || ({
            title: {},
            items: []
        })
    prompt: t(l.title)

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        RowLayout {
            Layout.fillWidth: true
            spacing: theme.gap
            KioskTextField {
                id: query
                objectName: "search_field"
                Layout.fillWidth: true
                text: root.l.query || ""
                placeholderText: qsTr("换个词搜索")
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
        BodyText {
            objectName: "no_results"
            visible: root.l.items.length === 0
            text: qsTr("没有找到。换个说法试试，或请工作人员帮助。")
        }
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            TitleText {
                Layout.fillWidth: true
                text: root.t(root.l.title)
            }
            GridLayout {
                Layout.fillWidth: true
                columns: root.landscape ? 2 : 1
                rowSpacing: theme.gap
                columnSpacing: theme.gap
                Repeater {
                    model: root.l.items
                    delegate: KioskButton {
                        objectName: "item_" + modelData.code
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.minimumHeight: theme.touchTarget * 1.6
                        text: root.t(modelData.name) + "\n" + (modelData.free ? qsTr("免费") : qsTr("收费")) + " · " + (modelData.instant ? qsTr("当场办结") : qsTr("承诺 %1 个工作日").arg(modelData.promisedDays)) + (modelData.kiosk ? " · " + qsTr("可在本机办理") : " · " + qsTr("请到窗口办理"))
                        onClicked: root.act("choose_item", [modelData.code])
                    }
                }
            }
        }
    }
}
