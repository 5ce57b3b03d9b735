// The service guide of one item: conditions, materials (required / optional / may be
// brought later / reusable on file), time limits, fee, pickup; "Apply now" and a QR code
// to read it on the phone.
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import Kiosk

JourneyScreen {
    id: root
    readonly property var g: d.guide || ({
            name: {},
            conditions: [],
            materials: [],
            legal: {},
            promised: {},
            pickup: []
        })
    prompt: t(g.name) + "。" + qsTr("办事指南")
    readonly property var pickupNames: ({
            locker: qsTr("智能柜取件"),
            window: qsTr("窗口领取"),
            post: qsTr("邮寄"),
            electronic: qsTr("电子证照"),
            none: qsTr("当场领取")
        })
    primaryName: "apply_now"
    primaryText: g.kiosk ? qsTr("立即办理") : qsTr("请到窗口办理")
    primaryEnabled: g.kiosk === true
    // in the service guide journey "Apply now" hands over to the apply journey
    onPrimaryClicked: root.act(root.viewModel.state === "item" ? "apply_handoff" : "apply_now", [])
    readonly property var necessityNames: ({
            required: qsTr("必需"),
            optional: qsTr("可选"),
            conditional: qsTr("视情况")
        })

    ColumnLayout {
        anchors.fill: parent
        spacing: theme.gap
        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            columns: root.landscape ? 2 : 1
            rowSpacing: theme.gap
            columnSpacing: theme.gap * 2
            PagedFlickable {
                Layout.fillWidth: true
                Layout.fillHeight: true
                TitleText {
                    objectName: "guide_title"
                    Layout.fillWidth: true
                    text: root.t(root.g.name)
                }
                BodyText {
                    Layout.fillWidth: true
                    color: theme.mutedText
                    text: root.t(root.g.department)
                }
                BodyText {
                    Layout.fillWidth: true
                    visible: text !== ""
                    text: root.t(root.g.summary)
                }
                BodyText {
                    font.bold: true
                    text: qsTr("办理条件")
                    visible: root.g.conditions.length > 0
                }
                Repeater {
                    model: root.g.conditions
                    BodyText {
                        Layout.fillWidth: true
                        text: "• " + root.t(modelData)
                    }
                }
                BodyText {
                    font.bold: true
                    text: qsTr("所需材料")
                }
                BodyText {
                    visible: root.g.materials.length === 0
                    text: qsTr("无需材料")
                }
                Repeater {
                    model: root.g.materials
                    BodyText {
                        Layout.fillWidth: true
                        text: "• " + root.t(modelData.name) + "（" + root.necessityNames[modelData.necessity] + (modelData.deferrable ? "，" + qsTr("可承诺后补") : "") + (modelData.reusable ? "，" + qsTr("可用已有证照") : "") + "）"
                    }
                }
                BodyText {
                    font.bold: true
                    text: qsTr("办理时限")
                }
                BodyText {
                    Layout.fillWidth: true
                    text: root.g.instant ? qsTr("当场办结") : qsTr("法定 %1 个工作日，承诺 %2 个工作日").arg(root.g.legal.days).arg(root.g.promised.days)
                }
                BodyText {
                    font.bold: true
                    text: qsTr("收费")
                }
                BodyText {
                    text: root.g.free ? qsTr("免费") : qsTr("收费，详见窗口公示")
                }
                BodyText {
                    font.bold: true
                    text: qsTr("领取方式")
                }
                BodyText {
                    Layout.fillWidth: true
                    text: root.g.pickup.map(function (p) {
                        return root.pickupNames[p] || p;
                    }).join("、")
                }
                BodyText {
                    objectName: "guide_problem"
                    Layout.fillWidth: true
                    visible: !!root.d.problem
                    color: theme.warning
                    font.bold: true
                    text: "⚠ " + root.t(root.d.problem)
                }
            }
            // the QR code beside the guide in landscape, under it in portrait
            GridLayout {
                Layout.fillWidth: !root.landscape
                Layout.alignment: Qt.AlignTop
                columns: root.landscape ? 1 : 2
                columnSpacing: theme.gap
                rowSpacing: theme.gap
                Image {
                    objectName: "guide_qr"
                    source: root.d.guideQr || ""
                    Layout.preferredWidth: theme.touchTarget * (root.landscape ? 1.5 : 2)
                    Layout.preferredHeight: Layout.preferredWidth
                    Layout.alignment: Qt.AlignHCenter
                    smooth: false
                }
                BodyText {
                    Layout.fillWidth: true
                    Layout.maximumWidth: root.landscape ? theme.touchTarget * 4 : -1
                    text: qsTr("扫码在手机上查看指南")
                }
            }
        }
    }
}
