"""The "lockers" maintenance page (kiosk/journeys/maintenance_pages/lockers.py) as the screens
show it: the parcels to put in and to take back, the open compartment on the wall diagram,
a door that did not open or was left open."""
from __future__ import annotations

from typing import Any

from kiosk.journeys.maintenance_pages.lockers import LockersState as S
from ui.journeys.present import action, message
from ui.journeys.texts import say

PROBLEMS = {
    "compartment_did_not_open": say("柜门没有打开（可能卡住），已记录并提醒技术人员。请换一个柜格。",
                                    "The door did not open (it may be jammed); this is recorded "
                                    "and technicians are alerted. Take another compartment."),
    "compartment_left_open": say("柜门没有关上，文件未记为已放入。请取出文件，换一个柜格。",
                                 "The door was not closed, so the documents are not recorded as "
                                 "stored. Take them out and use another compartment."),
    "no_free_compartment": say("没有这个尺寸的空柜格。请先取回过期文件，或到窗口处理。",
                               "No free compartment of this size. Take back expired parcels "
                               "first, or hand it over at a window."),
    "no_such_parcel": say("本机没有这个待放入的文件，请核对件号或办件编号。",
                          "No parcel to put in with this number here; check the number."),
    "lockers_unavailable": say("智能柜暂时不能使用，请检查柜门控制板。",
                               "The lockers are not working now; check the lock boards."),
}
SIZES = {"S": say("小格", "small"), "M": say("中格", "medium"), "L": say("大格", "large"),
         "XL": say("特大格", "extra large")}


def _parcel_action(method: str, parcel, zh: str, en: str) -> dict[str, Any]:
    size = SIZES.get(parcel.size, say(parcel.compartment, parcel.compartment))
    chosen = action(f"page.{method}", f"{zh} {parcel.case_number}（{parcel.items}，{size['zh']}）",
                    f"{en} {parcel.case_number} ({parcel.items}, {size['en']})",
                    args=[parcel.parcel_id])
    chosen["objectName"] = f"action_{method}_{parcel.parcel_id}"
    return chosen


def snapshot(page) -> dict[str, Any]:
    state = page.state
    problem = PROBLEMS.get(page.problem) if page.problem else None
    if state is S.LIST:
        fills = [_parcel_action("fill", p, "放入", "Put in") for p in page.to_fill()]
        recalls = [_parcel_action("recall", p, "取回（已过期）", "Take back (expired)")
                   for p in page.to_recall()]
        title = say("放入文件：扫描或输入件号，或从下面选择", "Put a parcel in: scan or type its "
                    "number, or choose it below") if fills or recalls else \
            say("没有待放入或待取回的文件", "Nothing to put in or take back")
        return {"entry": {"title": title,
                          "fields": [{"id": "code", "label": say("件号或办件编号",
                                                                 "Parcel or case number"),
                                      "kind": "plain"}],
                          "submit": "page.fill_by_code", "actions": fills + recalls,
                          "problem": problem}}
    if state is S.OPENING:
        return {"waiting": {"title": say("正在打开柜门", "Opening a door"),
                            "detail": say("请稍候", "One moment"), "seconds": 5,
                            "device": ""}}
    if state in (S.DOOR_OPEN, S.DONE):
        parcel, done = page.current, state is S.DONE
        filling = page.purpose == "fill"
        number = parcel.compartment
        if filling:
            title = say("已放入", "Stored") if done else say("柜门已打开 →", "Door open →")
            instruction = say(f"已记为放入 {number} 号柜格，并告知办件中心。",
                              f"Recorded as stored in {number}, for the district.") \
                if done else say("请放入文件，然后关好柜门", "Put the documents in, then close "
                                                          "the door")
        else:
            title = say("已取回", "Taken back") if done else say("柜门已打开 →", "Door open →")
            instruction = say("已记为取回，并告知办件中心。",
                              "Recorded as taken back, for the district.") if done else \
                say("请取出文件，然后关好柜门", "Take the documents out, then close the door")
        primary = action("page.next", "下一件", "Next parcel", primary=True) if done else \
            action("page.give_up", "柜门关不上，换一格", "The door will not close: use another",
                   primary=True)
        return {"locker": {"compartments": [number],
                           "rows": [list(r) for r in page.wall.rows] if page.wall else [],
                           "items": [say(parcel.items, parcel.items)], "done": done,
                           "title": title, "instruction": instruction,
                           "primary": primary}}
    if state is S.PROBLEM:
        actions = [action("page.another_compartment", "换一个柜格", "Use another compartment",
                          primary=True)] if page.purpose == "fill" else []
        return {"message": message(say("柜门出了问题", "A problem with the door"), problem,
                                   actions + [action("page.next", "返回列表", "Back to the list",
                                                     primary=not actions)], tone="warning")}
    if state is S.UNAVAILABLE:
        return {"message": message(say("智能柜不可用", "Lockers unavailable"), problem,
                                   [action("page.back", "返回维护菜单", "Back to the menu",
                                           primary=True)], tone="warning")}
    return {}


LOCKER, MESSAGE = "pickup/Locker.qml", "common/Message.qml"
SCREENS = {"list": "common/Entry.qml", "opening": "common/Waiting.qml", "door_open": LOCKER,
           "done": LOCKER, "problem": MESSAGE, "unavailable": MESSAGE}
