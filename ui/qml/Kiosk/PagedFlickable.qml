// Content longer than the screen: it scrolls, and it pages with big "previous / next"
// buttons and a page count ("2 / 3"); while more follows, it says so. The pager shows
// only when the content does not fit: under the content in portrait, beside it in landscape
// (where height is what runs short). A focused input scrolls into view.
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic

GridLayout {
    id: paged
    default property alias content: column.data
    property alias flickable: flick
    property real contentSpacing: theme.gap
    // decided on the whole height, so showing the pager cannot undo its own reason
    readonly property bool overflows: flick.contentHeight > height + 1
    // while typing the keyboard covers the lower screen: the field matters, not the pager
    readonly property bool typing: Qt.inputMethod.visible
    // counted after each layout pass (not bound: the pager's own size feeds the layout)
    property int page: 1
    property int pageCount: 1
    // beside the content where it is tall enough for a column of pager buttons
    readonly property bool side: Window.width > Window.height
                                 && height >= theme.touchTarget * 2 + theme.smallPx * 3 + theme.gap * 6
    columns: side ? 2 : 1
    rowSpacing: theme.gap / 2; columnSpacing: theme.gap

    function count() {
        var view = Math.max(1, flick.height)
        pageCount = overflows ? Math.max(2, Math.ceil((flick.contentHeight - 2) / view)) : 1
        page = flick.atYEnd ? pageCount : Math.min(pageCount, Math.floor((flick.contentY + 2) / view) + 1)
    }
    function recount() { Qt.callLater(count) }
    function turn(pages) {
        var y = flick.contentY + pages * Math.max(1, flick.height)
        flick.contentY = Math.max(0, Math.min(y, flick.contentHeight - flick.height))
    }
    function show(item) {
        if (!item) return
        var top = item.mapToItem(column, 0, 0).y
        var y = flick.contentY
        if (top + item.height > y + flick.height) y = top + item.height - flick.height
        if (top < y) y = top   // the top of the field wins when the view is smaller than it
        flick.contentY = Math.max(0, Math.min(y, flick.contentHeight - flick.height))
    }
    onOverflowsChanged: recount()
    Component.onCompleted: recount()

    Flickable {
        id: flick
        Layout.fillWidth: true
        Layout.fillHeight: true
        // the pager's room is kept in the minimum while it is hidden, so that showing it
        // does not change the height the enclosing layout must give (which decides it)
        Layout.minimumHeight: paged.typing ? 0 : theme.touchTarget
                              + (pager.visible || paged.side ? 0 : theme.touchTarget + paged.rowSpacing)
        contentWidth: width
        contentHeight: column.implicitHeight
        boundsBehavior: Flickable.StopAtBounds
        clip: true
        onContentYChanged: paged.recount()
        onHeightChanged: { paged.recount(); paged.keepTypingInView() }
        onContentHeightChanged: { paged.recount(); paged.keepTypingInView() }
        ScrollBar.vertical: ScrollBar { width: theme.gap * 1.5; policy: paged.overflows ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff }
        ColumnLayout {
            id: column
            width: flick.width - theme.gap * 2.5   // room for the scroll bar
            spacing: paged.contentSpacing
        }
    }
    // the input being typed in stays in view as the keyboard comes up and the view shrinks
    function typingIn() {
        for (var p = Window.activeFocusItem; p; p = p.parent)
            if (p === column) return Window.activeFocusItem
        return null
    }
    function keepTypingInView() {
        if (typing) show(typingIn())
        else flick.contentY = Math.max(0, Math.min(flick.contentY, flick.contentHeight - flick.height))
    }
    onTypingChanged: keepTypingInView()
    Connections {
        target: paged.Window.window
        function onActiveFocusItemChanged() { paged.show(paged.typingIn()) }
    }
    GridLayout {
        id: pager
        objectName: "pager"
        visible: paged.overflows && !paged.typing
        columns: paged.side ? 1 : 3
        Layout.fillWidth: !paged.side
        Layout.preferredWidth: paged.side ? theme.touchTarget * 2.6 : -1
        Layout.preferredHeight: paged.side ? -1 : theme.touchTarget
        Layout.alignment: Qt.AlignBottom
        rowSpacing: theme.gap; columnSpacing: theme.gap
        KioskButton {
            objectName: "page_previous"
            Layout.fillWidth: true; Layout.preferredWidth: 1
            enabled: paged.page > 1
            text: qsTr("▲ 上一页")
            onClicked: paged.turn(-1)
        }
        Column {
            Layout.fillWidth: true; Layout.preferredWidth: 1
            Layout.alignment: Qt.AlignVCenter
            Text {
                objectName: "page_count"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                font.family: theme.fontFamily; font.pixelSize: theme.smallPx; font.bold: true
                color: theme.text
                text: paged.page + " / " + paged.pageCount
            }
            Text {
                objectName: "page_more"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                font.family: theme.fontFamily; font.pixelSize: theme.smallPx
                color: theme.text
                // says so while more follows; keeps its line so nothing moves
                text: paged.page < paged.pageCount ? qsTr("下面还有") : " "
            }
        }
        KioskButton {
            objectName: "page_next"
            Layout.fillWidth: true; Layout.preferredWidth: 1
            enabled: paged.page < paged.pageCount
            text: qsTr("下一页 ▼")
            onClicked: paged.turn(1)
        }
    }
}
