// The root of every journey screen: the view-model, the step indicator fields, the
// spoken prompt, t() to pick the Chinese or English half of a {zh, en} text, and the
// screen's one primary action, always bottom-centre just above the fixed bar (or the
// keyboard) and the same size on every screen. A screen's own items fill the area above it.
import QtQuick
import Kiosk

Item {
    id: screenRoot
    property var viewModel
    readonly property var d: viewModel ? JSON.parse(viewModel.dataJson) : ({})
    property string prompt: ""
    readonly property int step: d.step ? d.step.index : 0
    readonly property int stepCount: d.step ? d.step.count : 0
    readonly property string stepTitle: d.step ? t(d.step.title) : ""
    readonly property bool landscape: Window.width > Window.height

    // the primary action: no text, no button
    property string primaryText: ""
    property string primaryName: ""
    property bool primaryEnabled: true
    signal primaryClicked()

    default property alias content: body.data

    function t(pair) {
        if (!pair) return ""
        return shell.language === "en_US" ? (pair.en || pair.zh || "") : (pair.zh || "")
    }
    function act(name, args) { viewModel.act(name, args || []) }

    Item {
        id: body
        anchors { top: parent.top; left: parent.left; right: parent.right
                  bottom: primary.visible ? primary.top : parent.bottom
                  bottomMargin: primary.visible ? theme.gap : 0 }
    }
    PrimaryButton {
        id: primary
        objectName: screenRoot.primaryName
        visible: screenRoot.primaryText !== ""
        anchors { bottom: parent.bottom; horizontalCenter: parent.horizontalCenter }
        width: Math.min(parent.width, Math.max(theme.touchTarget * 5, implicitWidth))
        text: screenRoot.primaryText
        enabled: screenRoot.primaryEnabled
        onClicked: screenRoot.primaryClicked()
    }
}
