// The kiosk's frame: status band, step indicator, the current screen, the fixed bar
// (Back / Home / Help / replay voice, 中文/EN, 大字版), the status line, overlays and the
// keyboard (Keyboard.qml).
import QtQuick
import Kiosk

Rectangle {
    id: root
    objectName: "root"
    width: 1080
    height: 1920
    color: theme.background
    readonly property bool landscape: width > height
    // typing on the landscape model: the keyboard leaves room for little more than the
    // field and the primary action, so the status bands (status, not controls) step aside
    readonly property bool compact: landscape && keyboard.shown
    readonly property var screenItem: screen.item

    StatusBand {
        id: band
        landscape: root.landscape
        visible: !root.compact
        height: visible ? implicitHeight : 0
        anchors { top: parent.top; left: parent.left; right: parent.right }
    }

    StepIndicator {
        id: steps
        objectName: "step_indicator"
        anchors { top: band.bottom; left: parent.left; right: parent.right; margins: theme.gap }
        enabled: !root.compact
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
            left: parent.left; right: parent.right
            margins: root.compact ? theme.gap / 2 : theme.gap
        }
        // the view-model of the screen being shown: set before its source, given to the
        // screen as soon as it is made (screens bind to it guarded, `viewModel ? ...`)
        property var viewModel: null
        onLoaded: {
            item.viewModel = viewModel
            shell.screenShown(navigator.screenName, item.prompt !== undefined ? item.prompt : "")
        }
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
    // not `setSource(url, {viewModel: ...})`: with initial properties Qt 6.11's Loader keeps
    // 64 bytes of JavaScript heap for good on every call, ~1 KB a citizen session
    // (docs/benchmarks.md, soak); a plain source does not
    function showScreen() {
        screen.viewModel = navigator.viewModel
        screen.source = ""   // the next state's file may be this one's (Message.qml): a new screen
        screen.source = navigator.screenUrl
    }
    Component.onCompleted: showScreen()

    NavBar {
        id: bar
        objectName: "nav_bar"
        tight: root.compact
        wide: root.landscape
        prompt: screen.item && screen.item.prompt !== undefined ? screen.item.prompt : ""
        anchors { bottom: statusLine.top; left: parent.left; right: parent.right }
    }

    StatusLine {
        id: statusLine
        objectName: "status_bar"
        visible: !root.compact
        height: visible ? implicitHeight : 0
        anchors { bottom: parent.bottom; left: parent.left; right: parent.right }
    }

    // the hidden entry to maintenance: a long press on the top-left corner (a passive
    // handler: a tap there still reaches what is below) or the service key
    Item {
        objectName: "service_corner"
        z: 30
        width: theme.touchTarget
        height: theme.touchTarget
        TapHandler {
            longPressThreshold: shell.longPressMs / 1000
            onLongPressed: shell.serviceEntry()
        }
    }
    Shortcut {
        sequence: shell.serviceKey
        context: Qt.ApplicationShortcut
        onActivated: shell.serviceEntry()
    }

    // the overlays of a visit (idle warning, help and the staff call) come with the core,
    // which makes visits possible: not made before the attract screen's first frame
    // (ui/app.py compiles them with the journeys' screens before the core arrives)
    Loader {
        anchors.fill: parent
        z: 10
        active: !shell.corePending
        visible: shell.idleWarning
        source: "IdleWarning.qml"
    }
    // black at night between visits (kiosk/screen_blank.py): the window swallows the touch
    // that wakes it (ui/app.py), so nothing below ever sees it
    Rectangle {
        objectName: "screen_blank"
        anchors.fill: parent
        z: 40
        color: "black"
        visible: shell.screenBlank
    }
    Loader {
        anchors.fill: parent
        z: 11
        active: !shell.corePending
        visible: shell.helpShown
        source: "HelpOverlay.qml"
    }

    // Qt Virtual Keyboard and its Pinyin engine load the first time a field asks for the
    // keyboard, not before the attract screen's first frame
    Loader {
        id: keyboard
        z: 20
        // no wider than 1.6 x the screen's height: on the landscape model the keys stay
        // touch-target tall without the keyboard taking half the screen
        width: Math.min(parent.width, 1.6 * parent.height)
        x: (parent.width - width) / 2
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
    // a press anywhere but on the keyboard keeps a half-typed Pinyin word as its letters
    // (Keyboard.qml); the handler only watches, the press goes on to what is under it
    Item {
        anchors.fill: parent
        z: 30
        PointHandler {
            onActiveChanged: {
                if (!active || !keyboard.shown) return
                var onKeys = keyboard.item.mapFromItem(root, point.scenePosition)
                if (!keyboard.item.contains(onKeys)) keyboard.item.keepLettersAsTyped()
            }
        }
    }
    // keys in 4 rows plus the candidate bar, with spare for the key gaps: each key comes out
    // at least a touch target tall (on the landscape model with no more to spare, or the
    // keyboard and its Pinyin candidates would leave no room for the field typed in)
    readonly property real keyHeight: theme.touchTarget * (landscape ? 0.9 : 1)
    readonly property real keyboardHeightRatio: (keyHeight * 4.6) / Math.max(1, keyboard.width)
    Component.onDestruction: shell.stopSpeaking()
}
