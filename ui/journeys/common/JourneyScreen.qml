// The root of every journey screen: the view-model, the step indicator fields, the
// spoken prompt, and t() to pick the Chinese or English half of a {zh, en} text.
import QtQuick

Item {
    id: screenRoot
    property var viewModel
    readonly property var d: viewModel ? JSON.parse(viewModel.dataJson) : ({})
    property string prompt: ""
    readonly property int step: d.step ? d.step.index : 0
    readonly property int stepCount: d.step ? d.step.count : 0
    readonly property string stepTitle: d.step ? t(d.step.title) : ""

    function t(pair) {
        if (!pair) return ""
        return shell.language === "en_US" ? (pair.en || pair.zh || "") : (pair.zh || "")
    }
    function act(name, args) { viewModel.act(name, args || []) }
}
