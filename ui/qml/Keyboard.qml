// The virtual keyboard (Pinyin and English), loaded by Main.qml the first time a field asks
// for it. Its keys and Pinyin candidates are at least a touch target in both directions.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import QtQuick.VirtualKeyboard.Styles

InputPanel {
    id: keyboard
    objectName: "keyboard"
    visible: active
    //: set by Main.qml: keys in 4 rows plus the candidate bar, against the window's size
    property real heightRatio: 0.3
    //: the keys up now (main, numbers, digits, dialpad, symbols), as the field's hints chose
    readonly property string layoutType: keyboard.keyboard.layoutType
    // the stock keyboard's keys are ~7 % of its width tall; stretch it so every key
    // (and the Pinyin candidate bar) is at least a touch target high
    Binding {
        target: keyboard.keyboard.style; property: "keyboardDesignHeight"
        value: keyboard.keyboard.style.keyboardDesignWidth * keyboard.heightRatio
    }
    // candidates appear at once instead of sliding in: nothing moves under a finger
    Binding { target: keyboard.keyboard; property: "noAnimations"; value: true }
    //: typing letters in Chinese: Pinyin shows candidates in a bar above the keys
    readonly property bool pinyin: shell.language !== "en_US" && !keyboard.keyboard.latinOnly
        && !keyboard.keyboard.digitsOnly && !keyboard.keyboard.formattedNumbersOnly
        && !keyboard.keyboard.dialableCharactersOnly
    // the candidate bar's room is the keyboard's from its first frame (the stock panel grows
    // when the first letter brings candidates, pushing what is above it up under a finger
    // already on its way); the empty bar is drawn in it, as the keyboard's top edge
    implicitHeight: keyboard.keyboard.height
        + (pinyin ? keyboard.keyboard.wordCandidateView.height : 0)
    Binding {
        target: VirtualKeyboardSettings.wordCandidateList; property: "alwaysVisible"
        value: true
    }
    // Pinyin candidates: as tall and at least as wide as any other touch target
    Binding {
        target: keyboard.keyboard.style; property: "selectionListHeight"
        value: theme.touchTarget
    }
    Binding {
        target: keyboard.keyboard.style; property: "selectionListDelegate"
        value: candidateDelegate
    }
    Binding {
        target: VirtualKeyboardSettings; property: "locale"
        value: shell.language === "en_US" ? "en_US" : "zh_CN"
    }
    // Qt commits the input method when the focus moves, and Pinyin answers a commit with its
    // first candidate: a citizen who typed "b" and tapped the next field found 不 in the
    // first. Main.qml calls this on a press outside the keyboard, before the focus moves.
    function keepLettersAsTyped() {
        var letters = InputContext.preeditText
        if (letters.length === 0) return
        InputContext.commit(letters)
        InputContext.inputEngine.inputMethod.reset()
    }
    Component {
        id: candidateDelegate
        SelectionListItem {
            id: candidate
            width: Math.max(theme.touchTarget, label.implicitWidth + 2 * theme.gap)
            property alias text: label.text
            Text {
                id: label
                anchors.centerIn: parent
                text: display
                color: "#ffffff"
                font.family: theme.fontFamily
                font.pixelSize: theme.bodyPx
            }
            Rectangle {
                anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                width: 2; height: parent.height * 0.5; color: "#8a96a3"
            }
        }
    }
}
