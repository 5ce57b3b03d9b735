<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>Attract</name>
    <message>
        <location filename="../qml/Attract.qml" line="9"/>
        <source>您好，请点击要办理的业务。</source>
        <translation>Hello. Please tap the service you need.</translation>
    </message>
    <message>
        <location filename="../qml/Attract.qml" line="24"/>
        <source>您好，请选择要办理的业务</source>
        <translation>Hello, please choose a service</translation>
    </message>
    <message>
        <location filename="../qml/Attract.qml" line="57"/>
        <source>正在检查设备…</source>
        <translation>Checking the devices…</translation>
    </message>
    <message>
        <location filename="../qml/Attract.qml" line="56"/>
        <source>暂停服务：%1</source>
        <translation>Not available: %1</translation>
    </message>
    <message>
        <location filename="../qml/Attract.qml" line="29"/>
        <location filename="../qml/Attract.qml" line="76"/>
        <source>语音播报：开</source>
        <translation>Voice guidance: on</translation>
    </message>
    <message>
        <location filename="../qml/Attract.qml" line="29"/>
        <location filename="../qml/Attract.qml" line="76"/>
        <source>语音播报：关</source>
        <translation>Voice guidance: off</translation>
    </message>
</context>
<context>
    <name>DatePicker</name>
    <message>
        <location filename="../qml/Kiosk/DatePicker.qml" line="1"/>
        <source>未选择（从今天 %1 开始）</source>
        <translation>Not chosen yet (starts from today, %1)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/DatePicker.qml" line="1"/>
        <source>年</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/DatePicker.qml" line="1"/>
        <source>月</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/DatePicker.qml" line="1"/>
        <source>日</source>
        <translation>Day</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/DatePicker.qml" line="1"/>
        <source>早十年</source>
        <translation>Ten years earlier</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/DatePicker.qml" line="1"/>
        <source>早一些</source>
        <translation>Earlier</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/DatePicker.qml" line="1"/>
        <source>晚一些</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/DatePicker.qml" line="1"/>
        <source>晚十年</source>
        <translation>Ten years later</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <location filename="../qml/HelpOverlay.qml" line="9"/>
        <source>已通知工作人员，请在此稍候。</source>
        <translation>Staff have been called. Please wait here.</translation>
    </message>
    <message>
        <location filename="../qml/HelpOverlay.qml" line="19"/>
        <source>已通知工作人员</source>
        <translation>Staff have been called</translation>
    </message>
    <message>
        <location filename="../qml/HelpOverlay.qml" line="24"/>
        <source>工作人员马上就到，请在此稍候。</source>
        <translation>A member of staff is on the way. Please wait here.</translation>
    </message>
    <message>
        <location filename="../qml/HelpOverlay.qml" line="25"/>
        <source>请在此稍候，或到服务台咨询。电话：%1</source>
        <translation>Please wait here or ask at the service desk. Phone: %1</translation>
    </message>
    <message>
        <location filename="../qml/HelpOverlay.qml" line="30"/>
        <source>好的</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>IdleWarning</name>
    <message>
        <location filename="../qml/IdleWarning.qml" line="10"/>
        <source>您还在吗？如需继续办理，请点击继续。</source>
        <translation>Are you still there? Tap Continue to carry on.</translation>
    </message>
    <message>
        <location filename="../qml/IdleWarning.qml" line="21"/>
        <source>您还在吗？</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <location filename="../qml/IdleWarning.qml" line="28"/>
        <source>%1 秒后将清除您的信息并返回首页</source>
        <translation>In %1 s your information will be cleared and the start screen shown</translation>
    </message>
    <message>
        <location filename="../qml/IdleWarning.qml" line="34"/>
        <source>继续办理</source>
        <translation>Continue</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="10"/>
        <source>办事</source>
        <translation>Apply</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="11"/>
        <source>查询</source>
        <translation>Query</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="12"/>
        <source>取件</source>
        <translation>Pickup</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="12"/>
        <source>补交材料</source>
        <translation>Hand in</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="13"/>
        <source>取号</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="14"/>
        <source>咨询</source>
        <translation>Guide</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="15"/>
        <source>评价</source>
        <translation>Rate</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="22"/>
        <source>申请办理政务服务事项</source>
        <translation>Apply for a government service</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="23"/>
        <source>查询办件进度</source>
        <translation>Check the progress of your case</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="25"/>
        <source>凭回执补交承诺的材料</source>
        <translation>Hand in a promised material</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="24"/>
        <source>从智能柜领取证照材料</source>
        <translation>Collect documents from the lockers</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="25"/>
        <source>预约签到、排队取号</source>
        <translation>Check in an appointment or take a queue ticket</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="26"/>
        <source>办事指南、所需材料</source>
        <translation>Service guides and required materials</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="27"/>
        <source>对服务进行评价</source>
        <translation>Rate our service</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="34"/>
        <source>证件阅读器</source>
        <translation>ID reader</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="35"/>
        <source>人脸摄像头</source>
        <translation>face camera</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="36"/>
        <source>高拍仪</source>
        <translation>document camera</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="37"/>
        <source>扫码器</source>
        <translation>code scanner</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="38"/>
        <source>凭条打印机</source>
        <translation>receipt printer</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="39"/>
        <source>智能柜</source>
        <translation>lockers</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="40"/>
        <source>网络连接</source>
        <translation>network connection</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="41"/>
        <source>本机暂未开通</source>
        <translation>not offered at this kiosk yet</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="42"/>
        <source>本机存储</source>
        <translation>local storage</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="48"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="48"/>
        <source>故障</source>
        <translation> out of order</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="53"/>
        <source>打印机暂停，凭条改为扫码获取</source>
        <translation>Printer out of order: get your receipt by QR code</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="54"/>
        <source>高拍仪暂停，纸质材料暂不能扫描</source>
        <translation>Document camera out of order: paper materials cannot be scanned</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="57"/>
        <source>摄像头暂停，身份核验由工作人员协助</source>
        <translation>Camera out of order: hall staff will check your identity</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="55"/>
        <source>扫码器暂停，预约码请手动输入</source>
        <translation>Code scanner out of order: type your appointment code</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="56"/>
        <source>证件阅读器暂停，请使用取件码</source>
        <translation>ID reader out of order: use your pickup code</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Labels.qml" line="57"/>
        <source>网络中断，申请照常受理，恢复后自动发送</source>
        <translation>Network down: applications are still accepted and sent when it returns</translation>
    </message>
</context>
<context>
    <name>NavBar</name>
    <message>
        <location filename="../qml/NavBar.qml" line="15"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/NavBar.qml" line="22"/>
        <source>首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <location filename="../qml/NavBar.qml" line="28"/>
        <source>呼叫帮助</source>
        <translation>Call staff</translation>
    </message>
    <message>
        <location filename="../qml/NavBar.qml" line="41"/>
        <source>标准版</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location filename="../qml/NavBar.qml" line="41"/>
        <source>大字版</source>
        <translation>Large text</translation>
    </message>
    <message>
        <location filename="../qml/NavBar.qml" line="57"/>
        <source>再听一遍</source>
        <translation>Hear again</translation>
    </message>
    <message>
        <location filename="../qml/NavBar.qml" line="86"/>
        <source>标准配色</source>
        <translation>Usual colours</translation>
    </message>
    <message>
        <location filename="../qml/NavBar.qml" line="86"/>
        <source>高对比度</source>
        <translation>High contrast</translation>
    </message>
</context>
<context>
    <name>OutOfService</name>
    <message>
        <location filename="../qml/OutOfService.qml" line="77"/>
        <source>附近的政务服务大厅</source>
        <translation>Service halls nearby</translation>
    </message>
    <message>
        <location filename="../qml/OutOfService.qml" line="85"/>
        <source>电话：%1</source>
        <translation>Phone: %1</translation>
    </message>
    <message>
        <location filename="../qml/OutOfService.qml" line="8"/>
        <source>本机暂停服务，请到政务服务大厅办理。</source>
        <translation>This kiosk is out of service. Please visit the service hall.</translation>
    </message>
    <message>
        <location filename="../qml/OutOfService.qml" line="17"/>
        <source>本机暂停服务</source>
        <translation>This kiosk is out of service</translation>
    </message>
    <message>
        <location filename="../qml/OutOfService.qml" line="22"/>
        <source>给您带来不便，十分抱歉。您可以到政务服务大厅办理，或在手机上访问网上办事大厅。</source>
        <translation>We are sorry for the inconvenience. Please visit the government service hall, or use the online service hall on your phone.</translation>
    </message>
    <message>
        <location filename="../qml/OutOfService.qml" line="28"/>
        <source>地址：%1</source>
        <translation>Address: %1</translation>
    </message>
    <message>
        <location filename="../qml/OutOfService.qml" line="33"/>
        <source>咨询电话：%1</source>
        <translation>Enquiries: %1</translation>
    </message>
    <message>
        <location filename="../qml/OutOfService.qml" line="49"/>
        <source>扫码进入网上办事大厅</source>
        <translation>Scan to open the online service hall</translation>
    </message>
</context>
<context>
    <name>PagedFlickable</name>
    <message>
        <location filename="../qml/Kiosk/PagedFlickable.qml" line="77"/>
        <source>▲ 上一页</source>
        <translation>▲ Previous</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/PagedFlickable.qml" line="99"/>
        <source>下面还有</source>
        <translation>More below</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/PagedFlickable.qml" line="106"/>
        <source>下一页 ▼</source>
        <translation>Next ▼</translation>
    </message>
</context>
<context>
    <name>StatusBand</name>
    <message>
        <location filename="../qml/StatusBand.qml" line="20"/>
        <source>24小时政务自助服务</source>
        <translation>24-hour government self-service</translation>
    </message>
    <message>
        <location filename="../qml/StatusBand.qml" line="45"/>
        <source>剩余 %1 秒</source>
        <translation>%1 s left</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../qml/StatusLine.qml" line="10"/>
        <source>工作人员维护中，暂停对外服务</source>
        <translation>Staff are servicing this kiosk: services are paused</translation>
    </message>
    <message>
        <location filename="../qml/StatusLine.qml" line="10"/>
        <source>网络暂时中断：仍可提交申请，网络恢复后自动发送</source>
        <translation>Offline: applications are still accepted and sent when the network returns</translation>
    </message>
    <message>
        <location filename="../qml/StatusLine.qml" line="14"/>
        <source>%1暂停：%2</source>
        <translation>%1 unavailable: %2</translation>
    </message>
    <message>
        <location filename="../qml/StatusLine.qml" line="16"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../qml/StatusLine.qml" line="34"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../qml/StatusLine.qml" line="34"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../qml/StatusLine.qml" line="25"/>
        <source>所有服务正常</source>
        <translation>All services available</translation>
    </message>
</context>
<context>
    <name>StepIndicator</name>
    <message>
        <location filename="../qml/StepIndicator.qml" line="24"/>
        <source>%1 / %2 %3</source>
        <translation>%1 / %2 %3</translation>
    </message>
</context>
</TS>
