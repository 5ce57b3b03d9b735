// The kiosk's frame: status band, step indicator, the current screen, the fixed bar
// (Back / Home / Help, 中文/EN, 大字版), the status line, overlays and the keyboard (Keyboard.qml).
import QtQuick
import Kiosk

Rectangle {
    id: root
    objectName: "root"
    width: 1080
    height: 1920
    color: theme.background
    readonly property bool landscape: width > height
    readonly property var screenItem: screen.item

    StatusBand {
        id: band
        landscape: root.landscape
        anchors { top: parent.top; left: parent.left; right: parent.right }
    }

    StepIndicator {
        id: steps
        objectName: "step_indicator"
        anchors { top: band.bottom; left: parent.left; right: parent.right; margins: theme.gap }
        step: screen.item && screen.item.step !== undefined ? screen.item.step : 0
        stepCount: screen.item && screen.item.stepCount !== undefined ? screen.item.stepCount : 0
        stepTitle: screen.item && screen.item.stepTitle !== undefined ? screen.item.stepTitle : ""
    }

    Loader {
        id: screen
        objectName: "screen"
        anchors {
            top: steps.visible ? steps.bottom : band.bottom
            bottom: keyboard.shown ? keyboard.top : bar.top
            left: parent.left; right: parent.right; margins: theme.gap
        }
        onLoaded: shell.screenShown(navigator.screenName, item.prompt !== undefined ? item.prompt : "")
    }

    Connections {
        target: navigator
        function onScreenChanged() { root.showScreen() }
    }
    Connections {
        target: shell
        function onPromptRequested() {
            if (screen.item && screen.item.prompt !== undefined) shell.say(screen.item.prompt)
        }
    }
    function showScreen() {
        screen.setSource(navigator.screenUrl, { "viewModel": navigator.viewModel })
    }
    Component.onCompleted: showScreen()

    NavBar {
        id: bar
        anchors { bottom: statusLine.top; left: parent.left; right: parent.right }
    }

    StatusLine {
        id: statusLine
        anchors { bottom: parent.bottom; left: parent.left; right: parent.right }
    }

    IdleWarning { anchors.fill: parent; z: 10; visible: shell.idleWarning }
    HelpOverlay { anchors.fill: parent; z: 11; visible: shell.helpShown }

    // Qt Virtual Keyboard and its Pinyin engine load the first time a field asks for the
    // keyboard, not before the attract screen's first frame
    Loader {
        id: keyboard
        z: 20
        width: parent.width
        active: false
        source: "Keyboard.qml"
        readonly property bool shown: item !== null && item.active
        // above the fixed bar, so Back / Home / Help stay where they always are
        y: shown ? bar.y - height : parent.height
        Connections {  // a text field took the focus
            target: root.Window.window
            function onActiveFocusItemChanged() {
                var focused = root.Window.activeFocusItem
                if (focused && focused.cursorVisible !== undefined) keyboard.active = true
            }
        }
        onLoaded: Qt.inputMethod.show()  // the field asked before the keyboard existed
        Binding {
            when: keyboard.item !== null
            target: keyboard.item; property: "heightRatio"; value: root.keyboardHeightRatio
        }
    }
    // keys in 4 rows plus the candidate bar; 10 % spare for the key gaps
    readonly property real keyboardHeightRatio:
        (theme.touchTarget * 4.6) / Math.max(1, Math.min(width, 1.6 * height))
    Component.onDestruction: shell.stopSpeaking()
}
