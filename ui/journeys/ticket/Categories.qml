// Service category tiles with the number waiting in each.
import QtQuick
import QtQuick.Layouts
import Kiosk
import "../common"

JourneyScreen {
    id: root
    prompt: qsTr("请选择要办理的业务类别。")
    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        TitleText {
            Layout.fillWidth: true
            text: qsTr("请选择业务类别")
        }
        PagedFlickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            GridLayout {
                Layout.fillWidth: true
                columns: root.landscape ? 3 : 2
                rowSpacing: theme.gap
                columnSpacing: theme.gap
                Repeater {
                    model: root.d.categories || []
                    Tile {
                        objectName: "category_" + modelData.code
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        title: root.t(modelData.name)
                        subtitle: qsTr("等候 %1 人").arg(modelData.waiting)
                        onClicked: root.act("take", [modelData.code])
                    }
                }
            }
        }
    }
}
