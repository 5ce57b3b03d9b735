"""The journeys' changing words, in both languages: what a waiting screen says is happening,
what a problem means and what to do now. Screens pick `zh` or `en` by the shell's language.

Static labels live in the QML (`qsTr`, translated in ui/i18n/journeys_en_US.ts); these are
the texts chosen by state and problem, which the view-models hand to the screens.
"""
from __future__ import annotations


def say(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


#: the document camera's step (kiosk.journeys.scanning), in apply and supply alike
SCANNING = (say("请将材料平放在高拍仪下", "Lay the paper flat under the document camera"),
            say("放好后会自动拍摄", "The picture is taken automatically"), 10, "document_camera")

#: why the document camera does not take the page it sees (devices.docscan.scan)
SCAN_PROBLEMS = {
    "blurred": say("画面不清楚，请把材料放平、不要移动", "Not sharp: lay the paper flat and keep it still"),
    "glare": say("有反光，请把材料稍微挪开灯光", "Glare: move the paper a little out of the light"),
    "too_small": say("材料太小，请放到高拍仪正下方", "Too small: put the paper right under the camera"),
}

#: (journey, state) -> (title, detail, seconds it usually takes, device pointed at)
WAITING = {
    ("maintenance", "checking"): (say("正在核对", "Checking"), say("请稍候", "One moment"), 3, ""),
    ("maintenance", "read_card"): (say("请将您的身份证放在下方读卡区", "Place your ID card on the reader below"),
                                   say("读取后请看摄像头进行人脸核验", "Then look at the camera for the face check"), 5, "id_reader"),
    ("identify", "read_id_card"): (say("请将身份证放在下方读卡区", "Place your ID card on the reader below"),
                                   say("正在读取，请不要移开证件", "Reading: please keep the card still"), 5, "id_reader"),
    ("identify", "read_passport"): (say("请将护照照片页放在下方读卡区", "Place the photo page of your passport on the reader below"),
                                    say("正在读取芯片，请不要移开证件", "Reading the chip: please keep it still"), 8, "id_reader"),
    ("identify", "scan_mrz"): (say("请将证件上的二维码对准扫码窗口", "Hold the code on your document to the scanner window"),
                               say("对准后会自动识别", "It is read automatically"), 10, "code_reader"),
    ("identify", "fetch_photo"): (say("正在获取您的证件照片", "Getting your registered photo"),
                                  say("用于与您本人比对", "To compare with your face"), 5, ""),
    ("apply", "scan"): SCANNING,
    ("apply", "submitting"): (say("正在提交您的申请", "Submitting your application"),
                              say("请稍候，不要离开", "Please wait"), 3, ""),
    ("supply", "scan_receipt"): (say("请将回执上的二维码对准扫码窗口", "Hold the code on your receipt to the scanner window"),
                                 say("对准后会自动识别", "It is read automatically"), 10, "code_reader"),
    ("supply", "loading"): (say("正在查询办件还缺哪些材料", "Looking up what your case still needs"),
                            say("请稍候", "Please wait"), 5, ""),
    ("supply", "scan"): SCANNING,
    ("supply", "sending"): (say("正在提交补交的材料", "Handing in your material"),
                            say("请稍候，不要离开", "Please wait"), 3, ""),
    ("query", "loading"): (say("正在查询您的办件", "Looking up your applications"),
                           say("请稍候", "Please wait"), 5, ""),
    ("query", "withdrawing"): (say("正在删除存档", "Deleting the document on file"),
                               say("请稍候", "Please wait"), 3, ""),
    ("pickup", "opening"): (say("正在查找并打开柜门", "Finding your documents and opening the door"),
                            say("请留意右侧取件柜", "Watch the locker wall to your right"), 3, "locker"),
    ("ticket", "scan_booking"): (say("请将预约二维码对准扫码窗口", "Hold your booking code to the scanner window"),
                                 say("对准后会自动识别", "It is read automatically"), 10, "code_reader"),
    ("ticket", "checking_in"): (say("正在签到", "Checking you in"), say("请稍候", "Please wait"), 3, ""),
    ("ticket", "loading_categories"): (say("正在获取排队情况", "Getting the queues"),
                                       say("请稍候", "Please wait"), 3, ""),
    ("ticket", "issuing"): (say("正在取号", "Getting your number"), say("请稍候", "Please wait"), 3, ""),
    ("rate", "sending"): (say("正在提交评价", "Sending your rating"), say("请稍候", "Please wait"), 2, ""),
}

#: problem key -> what happened and what to do now (never an error code)
PROBLEMS = {
    # never which part was wrong (kiosk.staff_access)
    "entry_refused": say("工号或密码不正确。", "The staff number or PIN is not right."),
    "entry_locked": say("尝试次数过多，请稍后再试。", "Too many tries. Please try again later."),
    "card_refused": say("未能通过证件和人脸核验。", "The card and face check did not succeed."),
    "card_unreadable": say("没有读到证件，请把身份证放稳后再试。", "The card was not read. Place your ID card flat and try again."),
    "card_unavailable": say("读卡器或摄像头暂时不能使用，请用工号和密码登录。", "The card reader or the camera cannot be used now. Sign in with your staff number and PIN."),
    "read_try_again": say("没有读完证件，请把证件放稳后再试一次。", "The card was not read to the end. Place it flat and try again."),
    "read_unreadable": say("这张证件读不出来，请换一张证件或请工作人员帮助。", "This document cannot be read. Try another one or ask staff for help."),
    "read_fault": say("读卡器暂时出了问题，请再试一次或请工作人员帮助。", "The reader has a problem. Try again or ask staff for help."),
    "read_wrong_key": say("证件号码或日期和证件芯片对不上，请核对后重新输入。", "The number or dates do not match the chip. Please check and type them again."),
    "mrz_invalid_document_number": say("证件号码只能包含字母和数字。", "The document number has only letters and digits."),
    "mrz_invalid_birth_date": say("出生日期请按 年年月月日日 六位数字填写，例如 900131。", "Give the birth date as six digits YYMMDD, for example 900131."),
    "mrz_invalid_expiry_date": say("有效期请按 年年月月日日 六位数字填写，例如 300131。", "Give the expiry date as six digits YYMMDD, for example 300131."),
    "code_reader_down": say("扫码窗口暂时不能使用，请手动输入。", "The code scanner is not working now. Please type it instead."),
    "code_unreadable": say("没有识别到二维码，请再试一次或手动输入。", "No code was read. Try again or type it instead."),
    "code_not_mrz": say("这个二维码里没有证件信息，请手动输入。", "This code does not hold the document details. Please type them."),
    "no_photo_offline": say("网络暂时中断，无法取得您的证件照片进行比对。请工作人员帮您核验身份。", "The network is down, so your registered photo cannot be fetched to compare. Staff can check your identity for you."),
    "no_photo_on_file": say("没有找到您的证件照片，无法进行人脸比对。请工作人员帮您核验身份。", "No registered photo was found to compare your face with. Staff can check your identity for you."),
    "face_no_match": say("没有比对成功，请摘下帽子和眼镜，正对屏幕再试一次。", "That did not match. Take off hat and glasses, face the screen and try again."),
    "face_not_live": say("请按提示眨眼或转头，再试一次。", "Please blink or turn your head as asked, and try again."),
    "face_no_face": say("没有看到您的脸，请站在屏幕正前方。", "Your face was not seen. Please stand right in front of the screen."),
    "face_timeout": say("时间到了，请再试一次。", "Time ran out. Please try again."),
    "face_failed": say("多次比对未成功，已为您呼叫工作人员，请拿好转介单稍候。", "The face check did not succeed. Staff have been called; please keep the referral slip and wait."),
    "consent_declined": say("您选择不进行人脸比对，已为您呼叫工作人员人工核验身份。", "You chose no face check. Staff have been called to check your identity in person."),
    "camera_down": say("摄像头暂时不能使用，已为您呼叫工作人员核验身份。", "The camera is not working. Staff have been called to check your identity."),
    "device_fault": say("设备暂时不能使用，已为您呼叫工作人员。", "A device is not working. Staff have been called."),
    "identity_failed": say("已为您呼叫工作人员，请稍候。", "Staff have been called; please wait."),
    "help": say("已为您呼叫工作人员，请稍候。", "Staff have been called; please wait."),
    "not_at_kiosk": say("这个事项不能在自助终端办理，请到大厅窗口办理，或扫码在手机上查看办事指南。", "This service cannot be applied for at the kiosk. Please go to a hall window, or scan the code to read the guide on your phone."),
    "form_incomplete": say("请看各项下方标有 ⚠ 的提示。", "See the notes marked ⚠ under each answer."),
    "scanner_down": say("高拍仪暂时不能使用。可以使用已有证照、承诺后补，或到窗口办理。", "The document camera is not working. Use a certificate on file, bring it later, or go to a window."),
    "scan_failed": say("没有拍清楚，请把材料平放后再拍一次。", "The picture was not clear. Lay the paper flat and try again."),
    "cannot_defer": say("这份材料不能后补，需要现在提供。", "This material cannot be brought later; it is needed now."),
    "withdraw_failed": say("现在删不了存档，请稍后再试或请工作人员帮助。", "The document on file cannot be deleted just now. Try again later or ask staff for help."),
    # not a problem: the outcome the citizen asked for, said on the same line
    "certificate_withdrawn": say("已删除这份存档。下次办事需要重新拍摄。", "The document on file is deleted. Next time you will scan it again."),
    "material_required": say("这份材料是必须提供的。", "This material is required."),
    "materials_missing": say("请为每份材料选择：现在拍摄、使用已有证照，或在可以时承诺后补。", "For each one, scan it now, use a certificate on file or, where offered, bring it later."),
    "sign_first": say("请先在签名框内签名。", "Please sign in the box first."),
    "choose_channel": say("请选择以后怎样补交材料。", "Please choose how you will bring the material."),
    "storage_unavailable": say("终端暂时无法保存申请，您的信息没有提交。请到窗口办理或请工作人员帮助。", "The kiosk cannot store applications right now; nothing was submitted. Please go to a window or ask staff."),
    "submit_error": say("提交没有成功，请再试一次或请工作人员帮助。", "Submitting did not work. Try again or ask staff."),
    "offline": say("网络暂时中断。下面只列出在本机提交、尚未送达的申请；其他办件请联网后再查。", "The network is down. Only applications made at this kiosk and not yet sent are listed; check again later for the others."),
    "server_error": say("暂时查不到，请稍后再试或到窗口查询。", "This cannot be looked up right now. Try later or ask at a window."),
    "case_number_missing": say("请填写回执或短信上的办件编号。", "Please type the case number from the receipt or text message."),
    "expired": say("取件期限已过，请到窗口领取。", "The pickup period has ended; please collect at a window."),
    "code_format": say("取件码是4到12位数字。", "A pickup code has 4 to 12 digits."),
    "code_wrong": say("取件码不对，请核对短信后重新输入。", "That code is not right. Check the text message and type it again."),
    "too_many_tries": say("取件码多次输入错误，请到窗口取件。", "Too many wrong codes. Please collect at a window."),
    "nothing_waiting": say("没有待您领取的文件。请核对办件编号和取件码（在回执或短信上）后再试，或回首页点“查询”看办件进度。", "There is nothing waiting for you. Check the case number and code (on the receipt or text message) and try again, or tap Query on the start screen to see how your case stands."),
    "lookup_failed": say("暂时查不到取件信息，请稍后再试或到窗口取件。", "Pickups cannot be looked up now. Try later or ask at a window."),
    "door_did_not_open": say("柜门没有打开，已记录。请到窗口由工作人员为您取件。", "The door did not open; this has been recorded. Staff at a window will hand it to you."),
    "no_lockers": say("本机没有智能柜，请到窗口取件。", "This kiosk has no lockers. Please collect at a window."),
    "lockers_down": say("智能柜暂时不能使用，请到窗口取件。", "The lockers are not working now. Please collect at a window."),
    "door_not_closed": say("柜门没有关好，请关上柜门。如有问题请找工作人员。", "The door was not closed. Please close it, or ask staff."),
    "booking_code_invalid": say("预约码是4到32位字母或数字。", "A booking code has 4 to 32 letters or digits."),
    "booking_not_found": say("没有找到这个预约，请核对预约码。", "No booking with this code. Please check it."),
    "booking_not_today": say("这个预约不是今天的，请在预约当天来签到。需要改期或今天办理，请到服务台。", "This booking is not for today. Please check in on the day of the appointment; to change it or be served today, ask at the help desk."),
    "booking_used": say("这个预约已经签到过或已取消。需要排队请返回选择“现场取号”，或到服务台。", "This booking has already been checked in or was cancelled. To queue, go back and take a queue ticket, or ask at the help desk."),
    "booking_other_hall": say("这个预约在其他办事大厅，请到预约的大厅签到。", "This booking is at another service hall. Please check in there."),
    "not_saved": say("评价暂时没有保存成功，感谢您的反馈。", "Your rating could not be saved just now. Thank you all the same."),
    "receipt_reader_down": say("扫码窗口暂时不能使用，请刷身份证查找您的办件。", "The code scanner is not working now. Use your ID card to find your case."),
    "not_a_receipt": say("这不是办件回执上的二维码。请扫描回执上的二维码，或刷身份证查找。", "That is not the code on a case receipt. Scan the code on your receipt, or use your ID card."),
    "no_such_case": say("没有找到这个办件，或回执二维码已更换。请刷身份证查找，或到窗口办理。", "This case was not found, or its receipt code was replaced. Use your ID card, or ask at a window."),
    "promised_here": say("网络暂时中断，无法向审批部门核实。下面是在本机承诺补交的材料；如已通过其他方式补交，无需重复。材料会在联网后送达。", "The network is down, so the department cannot be asked. Below is what was promised at this kiosk; if you have already handed it in another way, there is no need to again. The material is sent when the network returns."),
    "promised_not_arrived": say("您的申请还在发往审批部门的途中。下面是在本机承诺补交的材料，提交后会随申请一起送达。", "Your application is still on its way to the department. Below is what was promised at this kiosk; what you hand in follows the application."),
    "unknown_offline": say("网络暂时中断，本机查不到这个办件还缺哪些材料。请联网后再来，扫描回执二维码在手机上补交，或到窗口办理。", "The network is down, and this kiosk cannot tell what the case still needs. Come back later, scan the receipt's code with your phone, or ask at a window."),
    "nothing_owed": say("您的办件目前没有需要补交的材料。", "None of your cases needs a material now."),
    "scan_something": say("请先拍摄要补交的材料。", "Please scan the material to hand in first."),
    "no_answer": say("没有找到答案。换个说法试试，或请工作人员帮助。", "No answer found. Try other words, or ask staff."),
}

TICKET_UNAVAILABLE = say("取号需要联网，网络暂时中断。请到服务台取号。", "Tickets need the network, which is down. Please take a ticket at the help desk.")

MATERIAL_STATUS = {
    "missing": say("未提供", "Not provided"), "provided": say("已拍摄", "Scanned"),
    "reused": say("使用存档", "Document on file"), "deferred": say("承诺后补", "Bring later (commitment)"),
    "waived": say("不需要", "Not needed"),
}

CASE_STATES = {
    "received": say("已接件", "Received"), "accepted": say("已受理", "Accepted"),
    "awaiting_material": say("待补材料", "Waiting for material"), "in_review": say("审核中", "In review"),
    "special_procedure": say("特别程序", "Special procedure"), "completed": say("已办结", "Completed"),
    "ready_for_pickup": say("可取件", "Ready to collect"), "picked_up": say("已取件", "Collected"),
    "rejected": say("不予受理", "Not accepted"), "withdrawn": say("已撤回", "Withdrawn"),
}

NEXT_STEPS = {
    "received": say("等待受理", "Waiting to be accepted"),
    "accepted": say("等待审核结果", "Waiting for the decision"),
    "awaiting_material": say("请在期限内补交材料", "Bring the missing material by the deadline"),
    "in_review": say("等待审核结果", "Waiting for the decision"),
    "completed": say("已完成", "Nothing more to do"),
    "ready_for_pickup": say("请到取件柜或窗口取件", "Collect at the lockers or a window"),
}

SUPPLY_CHANNELS = {
    "upload": say("手机上传（掌上办）", "Upload on your phone"),
    "locker": say("投递到智能柜", "Drop it in the lockers"),
    "window": say("到窗口提交", "Bring it to a window"),
    "post": say("邮寄", "Post it"),
}

INDICATORS = {
    "overall": say("整体满意", "Overall"), "efficiency": say("办事效率", "Speed"),
    "guide_accuracy": say("指南准确", "Accurate guide"), "convenience": say("办事便捷", "Convenience"),
    "usability": say("操作简单", "Easy to use"),
}

LEVELS = {5: say("非常满意", "Very satisfied"), 4: say("满意", "Satisfied"),
          3: say("基本满意", "Fairly satisfied"), 2: say("不满意", "Dissatisfied"),
          1: say("非常不满意", "Very dissatisfied")}

FACE_GUIDANCE = {
    "move_closer": say("请靠近一点", "Move closer"), "move_back": say("请后退一点", "Move back a little"),
    "centre": say("请把脸放在椭圆框中间", "Put your face in the middle of the oval"),
    "blink": say("请眨两下眼", "Blink twice"), "turn_left": say("请向左转头", "Turn your head left"),
    "turn_right": say("请向右转头", "Turn your head right"), "hold_still": say("请保持不动", "Hold still"),
    "more_light": say("光线太暗，请正对屏幕", "Too dark: face the screen"),
    "remove_glasses": say("请摘下眼镜或帽子", "Take off glasses or hat"),
}

STEP_TITLES = {
    "choose": say("选择事项", "Choose"), "identify": say("核验身份", "Identify"),
    "document": say("读取证件", "Your document"), "face": say("核验人脸", "Your face"),
    "form": say("填写表单", "Form"), "materials": say("提交材料", "Materials"),
    "review": say("确认提交", "Review"), "receipt": say("领取回执", "Receipt"),
    "cases": say("办件进度", "Your cases"), "verify": say("验证身份", "Verify"),
    "collect": say("取件", "Collect"), "ticket": say("取号", "Ticket"), "rate": say("评价", "Rate"),
    "ask": say("提问", "Ask"), "answer": say("答案", "Answer"),
    "staff": say("工作人员协助", "Staff help"), "done": say("完成", "Done"),
    "find": say("查找办件", "Find your case"), "send": say("提交", "Hand in"),
}

#: the maintenance menu's pages (kiosk.staff_access.PAGES)
MAINTENANCE_PAGES = {
    "consumables": say("纸张与耗材：缺纸、卡纸、遗留证件", "Paper and consumables: paper, jams, a card left in"),
    "lockers": say("智能柜：放入与收回", "Lockers: fill and recall compartments"),
    "devices": say("设备检查", "Device checks"),
    "queue": say("离线队列", "Offline queue"),
    "configuration": say("配置", "Configuration"),
    "logs": say("日志", "Logs"),
}
ROLE_NAMES = {"technician": say("技术人员", "Technician"), "hall_staff": say("大厅工作人员", "Hall staff")}
