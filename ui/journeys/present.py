"""What each journey state shows: a plain snapshot (dicts, lists, strings) for the QML.

Qt-free so it is tested without a window. Dynamic texts come as {"zh", "en"} pairs; the
screens pick one by the shell's language. Screens that only tell something and offer a few
big choices are all drawn by `common/Message.qml` from `message`; waiting screens by
`common/Waiting.qml` from `waiting`.
"""
from __future__ import annotations

from typing import Any

from kiosk.catalogue import Necessity, Text
from kiosk.journeys.base import Journey
from kiosk.journeys.apply import ApplyState
from kiosk.journeys.guide import GuideState
from kiosk.journeys.identify import IdentifyState
from kiosk.journeys.maintenance import MaintenanceState
from kiosk.journeys.pickup import PickupState
from kiosk.journeys.query import QueryState
from kiosk.journeys.rate import RateState
from kiosk.journeys.supply import SupplyState
from kiosk.journeys.ticket import TicketState
from ui.journeys.maintenance import PAGE_SNAPSHOTS
from ui.journeys.texts import CASE_STATES, FACE_GUIDANCE, INDICATORS, LEVELS, \
    MAINTENANCE_PAGES, MATERIAL_STATUS, NEXT_STEPS, PROBLEMS, ROLE_NAMES, SCAN_PROBLEMS, \
    STEP_TITLES, SUPPLY_CHANNELS, TICKET_UNAVAILABLE, WAITING, say
from ui.qr import qr_data_url


def text(value: Text | None) -> dict[str, str]:
    if value is None:
        return say("", "")
    return {"zh": value.zh, "en": value.en}


def action(action_id: str, zh: str, en: str, *, primary: bool = False,
           args: list | None = None) -> dict[str, Any]:
    return {"id": action_id, "label": say(zh, en), "primary": primary, "args": args or [],
            "objectName": "action_" + action_id.replace(".", "_")}


def message(title: dict, body: dict | None = None, actions: list | None = None,
            tone: str = "info") -> dict[str, Any]:
    return {"title": title, "body": body or say("", ""), "actions": actions or [],
            "tone": tone}


def _problem(journey: Journey) -> dict[str, str] | None:
    return PROBLEMS.get(journey.problem) if journey.problem else None


#: problems about several things, said with the things' names ("还缺：营业执照")
NAMING = {"form_incomplete": say("还要填写或修改：", "Still to fill in or correct: "),
          "materials_missing": say("还缺：", "Still missing: ")}


def _naming_problem(journey: Journey, names: list[Text]) -> dict[str, str] | None:
    lead = NAMING.get(journey.problem)
    if lead is None or not names:
        return _problem(journey)
    general = PROBLEMS[journey.problem]
    return say(lead["zh"] + "、".join(n.zh for n in names) + "。" + general["zh"],
               lead["en"] + ", ".join(n.en or n.zh for n in names) + ". " + general["en"])


# --- identify ------------------------------------------------------------------------------

STAFF_ACTION = ("identify.call_staff", "请工作人员帮助", "Ask staff for help")
#: pickup refusals where trying again cannot help (the window is the way on)
NO_RETRY = {"too_many_tries", "expired"}


def staff_help() -> dict[str, Any]:
    """The hall staff are called (the shell's help, as the fixed bar's): a dead end's way on."""
    return action("call_staff", *STAFF_ACTION[1:])


def face_consent_notice(prefix: str) -> dict[str, Any]:
    """What the face check captures, why, for how long, and the two answers (PIPL)."""
    return {
        "title": say("人脸比对前请您知悉", "Before the face check"),
        "points": [
            {"label": say("采集什么", "What is captured"),
             "text": say("摄像头拍摄您的实时面部图像。",
                         "A live picture of your face from the camera.")},
            {"label": say("用途", "Why"),
             "text": say("仅用于与证件照片（或登记照片）比对，确认是您本人办理。",
                         "Only to compare it with the photo of your document (or the "
                         "registered photo), to confirm it is you.")},
            {"label": say("保存多久", "For how long"),
             "text": say("只在比对的几秒内使用，比对后立即删除，不保存、不上传。",
                         "Only for the seconds of the comparison; deleted right after, "
                         "never stored or sent.")},
            {"label": say("不同意", "If you do not agree"),
             "text": say("工作人员可以当面为您核验身份，业务照常办理。",
                         "Staff can check your identity in person; your business goes "
                         "on as usual.")},
        ],
        "actions": [
            action(prefix + "accept_face_check", "同意并开始比对", "Agree and start the check",
                   primary=True),
            action(prefix + "decline_face_check", "不同意，请工作人员核验",
                   "Do not agree: ask staff to check"),
        ],
    }


def identify_snapshot(journey, prefix: str = "identify.") -> dict[str, Any]:
    state = journey.state
    staff = action(prefix + "call_staff", *STAFF_ACTION[1:])
    data: dict[str, Any] = {"attempts": journey.face_attempts,
                            "maxAttempts": journey.max_face_attempts}
    if state is IdentifyState.CHOOSE_DOCUMENT:
        data["message"] = message(say("请选择您的证件", "Choose your identity document"),
                                  say("核验身份后才能继续办理", "We check your identity before you continue"), [
            action(prefix + "choose_resident_id", "居民身份证", "Resident ID card", primary=True),
            action(prefix + "choose_passport", "护照 / 港澳台通行证", "Passport or travel permit"),
            staff])
    elif state is IdentifyState.FACE_CONSENT:
        data["consent"] = face_consent_notice(prefix)
    elif state is IdentifyState.READ_FAILED:
        data["message"] = message(say("证件没有读取成功", "The document was not read"),
                                  _problem(journey), [
            action(prefix + "choose_resident_id", "再读身份证", "Read the ID card again", primary=True),
            action(prefix + "choose_passport", "改用护照或通行证", "Use a passport or permit"),
            staff], tone="warning")
    elif state is IdentifyState.NO_PHOTO:
        data["message"] = message(say("无法进行人脸比对", "Your face cannot be compared"),
                                  _problem(journey), [
            action(prefix + "call_staff", "请工作人员核验", "Ask staff to check", primary=True)],
            tone="warning")
    elif state is IdentifyState.FACE_FAILED:
        left = journey.max_face_attempts - journey.face_attempts
        body = _problem(journey) or say("", "")
        body = {"zh": f"{body['zh']}（还可以试{left}次）",
                "en": f"{body['en']} ({left} tries left)"}
        data["message"] = message(say("人脸比对没有成功", "The face check did not succeed"), body, [
            action(prefix + "retry_face", "再试一次", "Try again", primary=True), staff],
            tone="warning")
    elif state is IdentifyState.STAFF:
        body = PROBLEMS.get(journey.problem, PROBLEMS["help"])
        if journey.staff_position is not None:
            body = {"zh": body["zh"] + f" 您前面还有{journey.staff_position}位。",
                    "en": body["en"] + f" {journey.staff_position} ahead of you."}
        data["message"] = message(say("工作人员马上就到", "Staff are on their way"), body,
                                  tone="warning")
    elif state is IdentifyState.IDENTIFIED:
        name = journey.document.masked_name if journey.document else ""
        data["message"] = message(say(f"身份核验成功：{name}", f"Identity confirmed: {name}"))
    elif state is IdentifyState.ENTER_MRZ:
        data["entry"] = {
            "title": say("请输入证件信息", "Type the details from your document"),
            "fields": [
                {"id": "document_number", "label": say("证件号码", "Document number"), "kind": "text"},
                {"id": "birth", "label": say("出生日期（年年月月日日）", "Birth date (YYMMDD)"), "kind": "number"},
                {"id": "expiry", "label": say("有效期至（年年月月日日）", "Expiry date (YYMMDD)"), "kind": "number"}],
            "submit": prefix + "enter_mrz",
            "actions": [action(prefix + "scan_mrz", "扫描证件上的二维码", "Scan the code on the document")],
            "problem": _problem(journey)}
    elif state is IdentifyState.FACE_CHECK:
        data["face"] = face_check(journey.guidance, attempt=journey.face_attempts + 1)
    return data


def face_check(guidance, *, attempt: int) -> dict[str, Any]:
    """The face check screen's words: the pipeline's instruction, the ring's progress and
    the attempt (0: a staff sign-in, which shows no attempts and no call for staff)."""
    return {
        "instruction": (say(guidance.zh, guidance.en or guidance.zh) if guidance and guidance.zh
                        else FACE_GUIDANCE.get(guidance.instruction, say("请看屏幕", "Look at the screen")))
        if guidance else say("请正对屏幕，把脸放在椭圆框内", "Face the screen with your face in the oval"),
        "progress": guidance.progress if guidance else 0.0,
        "attempt": attempt}


# --- apply ------------------------------------------------------------------------------------

def _item_card(item, language_neutral: bool = True) -> dict[str, Any]:
    return {"code": item.task_code, "name": text(item.name), "free": item.free,
            "promisedDays": item.promised_limit.days, "kiosk": item.kiosk_enabled,
            "instant": item.promised_limit.days == 0}


def _guide(item) -> dict[str, Any]:
    limit = lambda lim: {"days": lim.days, "working": lim.unit == "working_days"}  # noqa: E731
    return {
        **_item_card(item),
        "department": text(item.department),
        "summary": text(item.summary),
        "conditions": [text(c) for c in item.accept_conditions],
        "materials": [{"name": text(m.name), "necessity": m.necessity.value,
                       "deferrable": m.tolerance_allowed, "reusable": bool(m.elicence_type)}
                      for m in item.materials],
        "legal": limit(item.legal_limit), "promised": limit(item.promised_limit),
        "pickup": list(item.pickup_methods),
    }


def apply_snapshot(journey) -> dict[str, Any]:
    state = journey.state
    services = journey.services
    catalogue = services.catalogue
    data: dict[str, Any] = {}
    if state in (ApplyState.BROWSE, ApplyState.CATEGORY, ApplyState.SEARCH):
        data["suggestions"] = [{"code": hit.item.task_code, "name": text(hit.item.name)}
                               for hit in journey.suggestions]
    if state is ApplyState.BROWSE:
        data["topics"] = [{"id": c.id, "name": text(c.name)} for c in catalogue.topics]
        data["lifeEvents"] = [{"id": c.id, "name": text(c.name)} for c in catalogue.life_events]
    elif state in (ApplyState.CATEGORY, ApplyState.SEARCH):
        items = (journey.category_items() if state is ApplyState.CATEGORY
                 else [hit.item for hit in journey.results])
        data["list"] = {"title": text(journey.category.name) if state is ApplyState.CATEGORY
                        else say(f"“{journey.query}”的搜索结果", f"Results for “{journey.query}”"),
                        "query": journey.query, "items": [_item_card(i) for i in items]}
    elif state is ApplyState.GUIDE:
        data["guide"] = _guide(journey.item)
        data["guideQr"] = qr_data_url(journey.guide_url())
        data["problem"] = _problem(journey)
    elif state is ApplyState.IDENTIFY and journey.identify is not None:
        data.update(identify_snapshot(journey.identify))
    elif state is ApplyState.FORM:
        label, fields = journey.form_pages()[journey.page]
        data["form"] = {
            "title": text(label), "page": journey.page + 1, "pages": len(journey.form_pages()),
            "today": journey.services.clock.now().date().isoformat(),   # the date picker's start
            "problem": _naming_problem(journey, [f.label for f in fields
                                                 if f.id in journey.errors]),
            "fields": [{
                "id": f.id, "label": text(f.label), "kind": f.kind.value,
                "value": journey.values.get(f.id, ""), "prefilled": f.id in journey.prefilled,
                "error": journey.errors.get(f.id) and text(journey.errors[f.id]),
                "hint": text(f.hint), "required": f.required,
                "choices": [{"value": c.value, "label": text(c.label)} for c in f.choices]}
                for f in fields]}
    elif state in (ApplyState.MATERIALS, ApplyState.SCAN):
        data["materials"] = [{
            "id": entry.material.id, "name": text(entry.material.name),
            "necessity": entry.material.necessity.value, "status": entry.status,
            "statusText": MATERIAL_STATUS[entry.status], "pages": len(entry.pages),
            "deferrable": entry.material.tolerance_allowed and journey.item.tolerance_allowed,
            "onFile": [{"id": c.certificate_id, "name": text(c.name), "number": c.number_masked,
                        "validUntil": c.valid_until.isoformat() if c.valid_until else ""}
                       for c in journey.certificates_for(entry.material)],
            # 零材料: asked once a material of a certificate type is scanned
            "keepAsk": journey.may_keep_on_file(entry), "keep": entry.keep_on_file}
            for entry in journey.materials.values()]
        data["problem"] = _naming_problem(journey, [
            e.material.name for e in journey.materials.values()
            if not e.done and e.material.necessity is Necessity.REQUIRED])
        data["scanning"] = journey.scanning or ""
        if state is ApplyState.SCAN:
            data["scan"] = _scan(journey, text(journey.materials[journey.scanning].material.name))
    elif state is ApplyState.COMMITMENT:
        terms = journey.commitment()
        data["commitment"] = {
            "text": text(terms.text), "due": terms.due_date.isoformat(),
            "materials": [text(m.name) for m in terms.materials],
            "channels": [{"id": c, "label": SUPPLY_CHANNELS.get(c, say(c, c)),
                          "chosen": c == journey.supply_channel}
                         for c in services.settings.supply_channels],
            "signed": journey.signature is not None, "canAgree": journey.can_agree,
            "problem": _problem(journey)}
    elif state is ApplyState.REVIEW:
        data["review"] = {
            "item": text(journey.item.name),
            "applicant": journey.identified.document.masked_name if journey.identified else "",
            "pages": [{"title": text(label), "page": index,
                       "answers": [{"label": text(f.label),
                                    "value": _shown_value(f, journey.values.get(f.id, ""))}
                                   for f in fields]}
                      for index, (label, fields) in enumerate(journey.form_pages())],
            "materials": [{"name": text(e.material.name), "status": MATERIAL_STATUS[e.status]}
                          for e in journey.materials.values()],
            "deferred": bool(journey.deferred())}
    elif state is ApplyState.SUBMIT_FAILED:
        data["message"] = message(say("申请没有提交", "The application was not submitted"),
                                  _problem(journey), [
            action("submit", "再试一次", "Try again", primary=True)], tone="warning")
    elif state is ApplyState.RECEIPT:
        data["receipt"] = {"caseNumber": journey.case_number, "item": text(journey.item.name),
                           "qr": qr_data_url(journey.case_url()),
                           "printStatus": journey.print_status,
                           "deferred": bool(journey.deferred()),
                           "owed": _owed(journey),
                           "storedOffline": journey.stored_offline,
                           "promisedDays": journey.item.promised_limit.days}
    return data


def _deadline(due) -> dict[str, str]:
    return say(f"{due.year}年{due.month}月{due.day}日", f"{due.day} {due:%B %Y}")


def _owed(journey) -> dict[str, Any] | None:
    """容缺: what the citizen still owes, by when, and the ways to hand it in (the printed
    receipt and letter say the same)."""
    if not journey.deferred():
        return None
    terms = journey.commitment()
    due = terms.due_date
    chosen = journey.supply_channel
    return {"materials": [text(m.name) for m in terms.materials],
            "deadline": _deadline(due),
            "ways": [{**SUPPLY_CHANNELS[c], "chosen": c == chosen}
                     for c in journey.services.settings.supply_channels
                     if c in SUPPLY_CHANNELS]}


def _shown_value(form_field, value: str) -> dict[str, str]:
    for choice in form_field.choices:
        if choice.value == value:
            return text(choice.label)
    if form_field.kind.value == "yes_no":
        return say("是", "Yes") if value == "yes" else say("否", "No")
    return say(value, value)


# --- query, pickup, ticket, rate, guide ------------------------------------------------------

def query_snapshot(journey) -> dict[str, Any]:
    state = journey.state
    if state is QueryState.IDENTIFY:
        return identify_snapshot(journey.identify)
    if state in (QueryState.CASES, QueryState.LOCAL_CASES):
        return {"cases": [{
            "number": case.case_number, "item": text(case.service_name),
            "state": CASE_STATES.get(case.state.value, say(case.state.value, case.state.value)),
            "promised": case.promised_date.isoformat() if case.promised_date else "",
            "next": NEXT_STEPS.get(case.state.value, say("", ""))} for case in journey.cases],
            "localOnly": state is QueryState.LOCAL_CASES, "problem": _problem(journey),
            "kept": [{"id": c.certificate_id, "name": text(c.name), "issuer": c.issuer,
                      "validUntil": c.valid_until.isoformat() if c.valid_until else ""}
                     for c in journey.kept]}
    if state is QueryState.CONFIRM_WITHDRAW:
        name = journey.withdrawing.name
        return {"message": message(
            say(f"删除存档的{name.zh}？", f"Delete your {name.en} on file?"),
            say("删除后，下次办事需要重新拍摄这份材料。",
                "Once deleted, you will need to scan this document again next time."),
            [action("keep_certificate", "不删除，返回", "Keep it, go back", primary=True),
             action("confirm_withdraw", "删除存档", "Delete it")], tone="warning")}
    return {}


def pickup_snapshot(journey) -> dict[str, Any]:
    state = journey.state
    if state is PickupState.IDENTIFY and journey.identify is not None:
        return identify_snapshot(journey.identify)
    if state is PickupState.CHOOSE_METHOD:
        return {"message": message(say("请选择取件方式", "How would you like to collect?"), None, [
            action("choose_identify", "刷身份证取件", "With my ID card", primary=True),
            action("choose_code", "输入取件码", "With a pickup code")])}
    if state is PickupState.ENTER_CODE:
        return {"entry": {"title": say("请输入办件编号和取件码", "Type the case number and pickup code"),
                          "fields": [{"id": "case_number", "label": say("办件编号", "Case number"),
                                      "kind": "text"},
                                     {"id": "code", "label": say("短信中的取件码", "The code from the text message"),
                                      "kind": "number"}],
                          "submit": "enter_code", "actions": [], "problem": _problem(journey)}}
    if state in (PickupState.DOOR_OPEN, PickupState.DONE) and journey.wall is not None:
        return {"locker": {"compartments": [p.compartment for p in journey.open_parcels],
                           "rows": [list(r) for r in journey.wall.rows],
                           "items": [say(p.item_name, p.item_name_en or p.item_name)
                                     for p in journey.open_parcels],
                           "done": state is PickupState.DONE}}
    if state is PickupState.NOTHING:
        retry = [] if journey.problem in NO_RETRY else [
            action("try_again", "核对后重新输入或刷证", "Check and try again")]
        return {"message": message(say("没有可取的文件", "Nothing to collect"), _problem(journey),
                                   [*retry, staff_help(),
                                    action("finish", "完成", "Done", primary=True)])}
    if state is PickupState.OPEN_FAILED:
        return {"message": message(say("柜门出了问题", "A problem with the door"), _problem(journey),
                                   [staff_help(), action("finish", "完成", "Done", primary=True)],
                                   tone="warning")}
    if state is PickupState.UNAVAILABLE:
        return {"message": message(say("自助取件暂停服务", "Pickup is not available"),
                                   _problem(journey),
                                   [staff_help(),
                                    action("finish", "返回首页", "Back to start", primary=True)],
                                   tone="warning")}
    return {}


def ticket_snapshot(journey) -> dict[str, Any]:
    state = journey.state
    if state is TicketState.CHOOSE:
        return {"message": message(say("预约签到或现场取号", "Check in or take a ticket"), None, [
            action("choose_check_in", "我有预约，签到", "I have a booking: check in", primary=True),
            action("choose_ticket", "现场取号", "Take a queue ticket")])}
    if state is TicketState.ENTER_BOOKING:
        return {"entry": {"title": say("请输入预约码", "Type your booking code"),
                          "fields": [{"id": "code", "label": say("预约码", "Booking code"), "kind": "text"}],
                          "submit": "enter_booking",
                          "actions": [action("scan_booking", "扫描预约二维码", "Scan the booking code")],
                          "problem": _problem(journey)}}
    if state is TicketState.CATEGORIES:
        return {"categories": [{"code": c.code, "name": text(c.name), "waiting": c.waiting}
                               for c in journey.categories]}
    if state is TicketState.TICKET:
        ticket = journey.ticket
        return {"ticket": {"number": ticket.ticket_no, "category": text(ticket.category_name),
                           "waiting": ticket.waiting_ahead, "hall": ticket.hall_code,
                           "printStatus": journey.print_status,
                           "appointment": journey.appointment is not None,
                           "qr": qr_data_url(f"ticket:{ticket.hall_code}:{ticket.ticket_no}")}}
    if state is TicketState.UNAVAILABLE:
        return {"message": message(say("暂时不能取号", "Tickets are not available"),
                                   TICKET_UNAVAILABLE if journey.problem == "offline"
                                   else _problem(journey),
                                   [staff_help(),
                                    action("finish", "返回首页", "Back to start", primary=True)],
                                   tone="warning")}
    return {}


def rate_snapshot(journey) -> dict[str, Any]:
    state = journey.state
    if state in (RateState.LEVEL, RateState.DETAILS):
        return {"rate": {"levels": [{"level": k, "label": v} for k, v in LEVELS.items()],
                         "level": journey.level,
                         "indicators": [{"id": i, "label": INDICATORS.get(i, say(i, i)),
                                         "chosen": i in journey.indicators}
                                        for i in journey.services.settings.rating_indicators],
                         "comment": journey.comment}}
    if state is RateState.THANKS:
        body = _problem(journey) or say("您的评价将帮助我们改进服务。", "Your rating helps us improve.")
        return {"message": message(say("感谢您的评价", "Thank you for your rating"), body,
                                   [action("finish", "完成", "Done", primary=True)])}
    return {}


def guide_snapshot(journey) -> dict[str, Any]:
    state = journey.state
    if state in (GuideState.ASK, GuideState.ANSWERS):
        return {"question": journey.question, "problem": _problem(journey),
                "answers": [{"index": n, "kind": hit.kind,
                             "title": text(hit.faq.question if hit.kind == "faq" else hit.item.name)}
                            for n, hit in enumerate(journey.hits)]}
    if state is GuideState.ANSWER:
        actions = [action("open_item", "查看办事指南", "Open the service guide", primary=True)] \
            if journey.item is not None else []
        return {"message": message(text(journey.faq.question), text(journey.faq.answer),
                                   actions + [action("back", "换个问题", "Ask something else")])}
    if state is GuideState.ITEM:
        return {"guide": _guide(journey.item), "guideQr": qr_data_url(journey.item_url())}
    return {}


def _scan(journey, material: dict[str, str]) -> dict[str, Any]:
    """The document camera's step: what is being scanned, the page's outline over the
    preview (fractions of it), and how soon it is taken or what keeps it from being."""
    view = journey.scan_view
    if view.seconds_left is not None:
        status = say(f"{view.seconds_left} 秒后自动拍摄，请不要移动",
                     f"Taking the picture in {view.seconds_left} s: keep it still")
    elif view.problems:
        status = SCAN_PROBLEMS.get(view.problems[0], SCAN_PROBLEMS["blurred"])
    elif view.corners:
        status = say("请不要移动，放稳后开始倒计时", "Keep it still: the countdown starts when it rests")
    else:
        status = say("放好后会自动拍摄", "The picture is taken automatically")
    return {"material": say(f"正在拍摄：{material['zh']}", f"Scanning: {material['en']}"),
            "corners": [list(corner) for corner in view.corners],
            "secondsLeft": view.seconds_left, "status": status,
            "takeNow": say("现在拍摄", "Take the picture now")}


def _owed_name(journey, key: str, entry) -> dict[str, str]:
    """The material with its case and deadline: the citizen may owe for several cases."""
    case_number = key.split("/", 1)[0]
    owed = next(o for o in journey.owed if o.case_number == case_number)
    name = text(entry.material.name)
    if owed.due is None:
        return say(f"{name['zh']}（办件 {case_number}）", f"{name['en']} (case {case_number})")
    due = _deadline(owed.due)
    return say(f"{name['zh']}（办件 {case_number}，请于{due['zh']}前补交）",
               f"{name['en']} (case {case_number}, due by {due['en']})")


def supply_snapshot(journey) -> dict[str, Any]:
    state = journey.state
    if state is SupplyState.IDENTIFY and journey.identify is not None:
        return identify_snapshot(journey.identify)
    find = [action("scan_receipt", "扫描回执上的二维码", "Scan the code on my receipt",
                   primary=True),
            action("identify_me", "刷身份证查找", "Find it with my ID card")]
    if state is SupplyState.CHOOSE:
        return {"message": message(say("补交材料", "Hand in a missing material"),
                                   _problem(journey) or say(
                                       "请扫描办件回执上的二维码，或刷身份证查找您的办件。",
                                       "Scan the code on your case receipt, or use your ID "
                                       "card to find your case."), find)}
    if state in (SupplyState.OWED, SupplyState.SCAN):
        return {"materials": [{
            "id": key, "name": _owed_name(journey, key, entry), "necessity": "required",
            "status": entry.status, "statusText": MATERIAL_STATUS[entry.status],
            "pages": len(entry.pages), "deferrable": False, "onFile": [], "keepAsk": False,
            "keep": None}
            for key, entry in journey.materials.items()],
            "problem": _problem(journey), "scanning": journey.scanning or "",
            "primaryText": say("提交补交的材料", "Hand in"),
            **({"scan": _scan(journey, _owed_name(journey, journey.scanning,
                                                  journey.materials[journey.scanning]))}
               if state is SupplyState.SCAN else {})}
    if state is SupplyState.NOTHING:
        retry = [] if journey.problem == "nothing_owed" else find
        return {"message": message(say("没有找到需要补交的材料", "Nothing to hand in found"),
                                   _problem(journey),
                                   [*retry, action("finish", "完成", "Done", primary=not retry)])}
    if state is SupplyState.SEND_FAILED:
        return {"message": message(say("材料没有提交", "The material was not handed in"),
                                   _problem(journey), [
            action("materials_done", "再试一次", "Try again", primary=True), staff_help()],
            tone="warning")}
    if state is SupplyState.SENT:
        cases = "、".join(journey.sent_cases)
        later = journey.stored_offline
        return {"message": message(
            say("材料已提交", "Material handed in"),
            say(f"办件 {cases} 的材料" + ("已保存在本机，联网后自动送达审批部门。" if later
                                        else "已提交，正在送达审批部门。"),
                f"The material for case {cases} "
                + ("is stored at this kiosk and sent when the network returns." if later
                   else "is handed in and on its way to the department.")),
            [action("finish", "完成", "Done", primary=True)])}
    return {}


def maintenance_snapshot(journey) -> dict[str, Any]:
    """The staff entry, the maintenance menu (the pages the role may open) and the open page."""
    state = journey.state
    if state is MaintenanceState.SIGN_IN:
        return {"entry": {"title": say("工作人员登录", "Staff sign-in"),
                          "fields": [{"id": "staff_id", "label": say("工号", "Staff number"),
                                      "kind": "plain"},
                                     {"id": "secret", "label": say("密码", "Kiosk PIN"),
                                      "kind": "plain", "secret": True}],
                          "submit": "sign_in",
                          "actions": [action("use_card", "刷身份证并人脸核验",
                                             "Use your ID card and a face check")],
                          "problem": _problem(journey)}}
    if state is MaintenanceState.FACE_CHECK:
        return {"face": face_check(journey.guidance, attempt=0)}
    if state is MaintenanceState.MENU:
        role = ROLE_NAMES.get(journey.role, say(journey.role, journey.role))
        allowed = [MAINTENANCE_PAGES[page] for page in journey.pages()]
        # the button says the page's name; the message above says what each is for
        pages = [{**action("open_page", MAINTENANCE_PAGES[page]["zh"].split("：")[0],
                           MAINTENANCE_PAGES[page]["en"].split(":")[0], args=[page]),
                  "objectName": f"action_open_page_{page}"} for page in journey.open_pages()]
        return {"message": message(
            say(f"维护模式（{role['zh']}）", f"Maintenance ({role['en']})"),
            say("您可以：" + "；".join(p["zh"] for p in allowed),
                "You may: " + "; ".join(p["en"] for p in allowed)),
            pages + [action("leave", "退出维护，恢复服务", "Leave and restore service",
                            primary=True)])}
    if state is MaintenanceState.PAGE and journey.page is not None:
        return PAGE_SNAPSHOTS[journey.page.name](journey.page)
    return {}


SNAPSHOTS = {"apply": apply_snapshot, "query": query_snapshot, "pickup": pickup_snapshot,
             "supply": supply_snapshot, "ticket": ticket_snapshot, "rate": rate_snapshot,
             "guide": guide_snapshot, "identify": identify_snapshot,
             "maintenance": maintenance_snapshot}


def snapshot(journey: Journey) -> dict[str, Any]:
    data = SNAPSHOTS[journey.name](journey)
    key = (journey.name, journey.state.value)
    child = getattr(journey, "identify", None)
    if journey.state.value == "identify" and child is not None:
        key = ("identify", child.state.value)
    if key in WAITING:
        title, detail, seconds, device = WAITING[key]
        data["waiting"] = {"title": title, "detail": detail, "seconds": seconds, "device": device}
    step, steps = journey.step()
    group = journey.state.group
    if journey.state.value == "identify" and child is not None:
        group = child.state.group
    data["step"] = {"index": step, "count": steps,
                    "title": STEP_TITLES.get(group, say("", ""))}
    return data


def screen_state(journey: Journey) -> str:
    """The screen name: the state, or `identify_<state>` inside an embedded identification,
    `<page>_<state>` inside a maintenance page."""
    child = getattr(journey, "identify", None)
    if journey.state.value == "identify" and child is not None:
        return "identify_" + child.state.value
    page = getattr(journey, "page", None)
    if journey.state.value == "page" and page is not None:
        return f"{page.name}_{page.state.value}"
    return journey.state.value
