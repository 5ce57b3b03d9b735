pragma Singleton
// Citizen-facing names of journeys and device roles (never device codes).
// Each function reads shell.language so bindings that call it follow a language switch.
import QtQuick

QtObject {
    function journey(key) {
        var lang = shell.language
        switch (key) {
        case "apply": return qsTr("办事")
        case "query": return qsTr("查询")
        case "supply": return qsTr("补交材料")
        case "pickup": return qsTr("取件")
        case "ticket": return qsTr("取号")
        case "guide": return qsTr("咨询")
        case "rate": return qsTr("评价")
        }
        return key
    }
    function journeyHint(key) {
        var lang = shell.language
        switch (key) {
        case "apply": return qsTr("申请办理政务服务事项")
        case "query": return qsTr("查询办件进度")
        case "supply": return qsTr("凭回执补交承诺的材料")
        case "pickup": return qsTr("从智能柜领取证照材料")
        case "ticket": return qsTr("预约签到、排队取号")
        case "guide": return qsTr("办事指南、所需材料")
        case "rate": return qsTr("对服务进行评价")
        }
        return ""
    }
    function role(key) {
        var lang = shell.language
        switch (key) {
        case "id_reader": return qsTr("证件阅读器")
        case "face_camera": return qsTr("人脸摄像头")
        case "document_camera": return qsTr("高拍仪")
        case "code_reader": return qsTr("扫码器")
        case "receipt_printer": return qsTr("凭条打印机")
        case "locker_bank": return qsTr("智能柜")
        case "server": return qsTr("网络连接")
        case "not_installed": return qsTr("本机暂未开通")
        case "storage": return qsTr("本机存储")
        }
        return key
    }
    function roles(keys) {
        var names = []
        for (var i = 0; i < keys.length; i++) names.push(role(keys[i]))
        return names.join(qsTr("、")) + (keys.length && keys[0] !== "not_installed" ? qsTr("故障") : "")
    }
    function degraded(key) {
        var lang = shell.language
        switch (key) {
        case "receipt_printer": return qsTr("打印机暂停，凭条改为扫码获取")
        case "document_camera": return qsTr("高拍仪暂停，纸质材料暂不能扫描")
        case "code_reader": return qsTr("扫码器暂停，预约码请手动输入")
        case "id_reader": return qsTr("证件阅读器暂停，请使用取件码")
        case "face_camera": return qsTr("摄像头暂停，身份核验由工作人员协助")
        case "offline": return qsTr("网络中断，申请照常受理，恢复后自动发送")
        }
        return ""
    }
}
