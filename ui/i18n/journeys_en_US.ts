<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>Ask</name>
    <message>
        <location filename="../journeys/guide/Ask.qml" line="11"/>
        <source>请输入您想问的问题。</source>
        <translation>Type your question.</translation>
    </message>
    <message>
        <location filename="../journeys/guide/Ask.qml" line="15"/>
        <source>有什么可以帮您？</source>
        <translation>How can we help?</translation>
    </message>
    <message>
        <location filename="../journeys/guide/Ask.qml" line="24"/>
        <source>例如：办居住证要带什么</source>
        <translation>For example: what do I need for a residence permit</translation>
    </message>
    <message>
        <location filename="../journeys/guide/Ask.qml" line="29"/>
        <source>提问</source>
        <translation>Ask</translation>
    </message>
    <message>
        <location filename="../journeys/guide/Ask.qml" line="51"/>
        <source>问：</source>
        <translation>Q: </translation>
    </message>
    <message>
        <location filename="../journeys/guide/Ask.qml" line="51"/>
        <source>事项：</source>
        <translation>Service: </translation>
    </message>
</context>
<context>
    <name>Browse</name>
    <message>
        <location filename="../journeys/apply/Browse.qml" line="10"/>
        <source>请输入要办的事，或点击下面的分类。</source>
        <translation>Type what you need to do, or tap a category below.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Browse.qml" line="15"/>
        <source>您要办什么事？</source>
        <translation>What do you need to do?</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Browse.qml" line="23"/>
        <source>例如：居住证、jzz、低保</source>
        <translation>For example: residence permit, jzz, 低保</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Browse.qml" line="28"/>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Browse.qml" line="32"/>
        <source>按主题</source>
        <translation>By topic</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Browse.qml" line="48"/>
        <source>按人生大事</source>
        <translation>By life event</translation>
    </message>
</context>
<context>
    <name>Cases</name>
    <message>
        <location filename="../journeys/query/Cases.qml" line="12"/>
        <source>您有 %1 件办件。</source>
        <translation>You have %1 applications.</translation>
    </message>
    <message>
        <location filename="../journeys/query/Cases.qml" line="12"/>
        <location filename="../journeys/query/Cases.qml" line="31"/>
        <source>没有查到您的办件。</source>
        <translation>No applications were found.</translation>
    </message>
    <message>
        <location filename="../journeys/query/Cases.qml" line="17"/>
        <source>我的办件</source>
        <translation>My applications</translation>
    </message>
    <message>
        <location filename="../journeys/query/Cases.qml" line="110"/>
        <source>我的存档材料</source>
        <translation>My documents on file</translation>
    </message>
    <message>
        <location filename="../journeys/query/Cases.qml" line="134"/>
        <source>%1 · 有效期至 %2</source>
        <translation>%1 · valid until %2</translation>
    </message>
    <message>
        <location filename="../journeys/query/Cases.qml" line="134"/>
        <source>%1 · 长期有效</source>
        <translation>%1 · no expiry</translation>
    </message>
    <message>
        <location filename="../journeys/query/Cases.qml" line="139"/>
        <source>删除存档（撤回同意）</source>
        <translation>Delete it (withdraw consent)</translation>
    </message>
    <message>
        <location filename="../journeys/query/Cases.qml" line="48"/>
        <source>编号：%1</source>
        <translation>Number: %1</translation>
    </message>
    <message>
        <location filename="../journeys/query/Cases.qml" line="49"/>
        <source>状态：%1</source>
        <translation>State: %1</translation>
    </message>
    <message>
        <location filename="../journeys/query/Cases.qml" line="50"/>
        <source>承诺办结：%1</source>
        <translation>Promised by: %1</translation>
    </message>
    <message>
        <location filename="../journeys/query/Cases.qml" line="51"/>
        <source>下一步：%1</source>
        <translation>Next: %1</translation>
    </message>
    <message>
        <location filename="../journeys/query/Cases.qml" line="58"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>Categories</name>
    <message>
        <location filename="../journeys/ticket/Categories.qml" line="9"/>
        <source>请选择要办理的业务类别。</source>
        <translation>Choose a service category.</translation>
    </message>
    <message>
        <location filename="../journeys/ticket/Categories.qml" line="13"/>
        <source>请选择业务类别</source>
        <translation>Choose a service category</translation>
    </message>
    <message>
        <location filename="../journeys/ticket/Categories.qml" line="24"/>
        <source>等候 %1 人</source>
        <translation>%1 waiting</translation>
    </message>
</context>
<context>
    <name>Commitment</name>
    <message>
        <location filename="../journeys/apply/Commitment.qml" line="16"/>
        <source>容缺受理承诺书</source>
        <translation>Commitment to supply materials later</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Commitment.qml" line="29"/>
        <source>补交期限：%1</source>
        <translation>Bring it by: %1</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Commitment.qml" line="30"/>
        <source>以后怎样补交？</source>
        <translation>How will you bring it later?</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Commitment.qml" line="45"/>
        <source>请用手指在框内签名</source>
        <translation>Sign in the box with your finger</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Commitment.qml" line="85"/>
        <source>在这里签名</source>
        <translation>Sign here</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Commitment.qml" line="99"/>
        <source>重签</source>
        <translation>Sign again</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Commitment.qml" line="106"/>
        <source>我同意并承诺</source>
        <translation>I agree and commit</translation>
    </message>
</context>
<context>
    <name>Ended</name>
    <message>
        <location filename="../journeys/common/Ended.qml" line="8"/>
        <source>谢谢使用</source>
        <translation>Thank you</translation>
    </message>
</context>
<context>
    <name>Entry</name>
    <message>
        <location filename="../journeys/common/Entry.qml" line="53"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>FaceCheck</name>
    <message>
        <location filename="../journeys/identify/FaceCheck.qml" line="51"/>
        <source>请看上方摄像头 ↑</source>
        <translation>Look at the camera above ↑</translation>
    </message>
    <message>
        <location filename="../journeys/identify/FaceCheck.qml" line="57"/>
        <source>第 %1 次，共可试 %2 次</source>
        <translation>Try %1 of %2</translation>
    </message>
    <message>
        <location filename="../journeys/identify/FaceCheck.qml" line="62"/>
        <source>请工作人员帮助</source>
        <translation>Ask staff for help</translation>
    </message>
</context>
<context>
    <name>Form</name>
    <message>
        <location filename="../journeys/apply/Form.qml" line="51"/>
        <source>（选填）</source>
        <translation> (optional)</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Form.qml" line="52"/>
        <source>已根据证件填写</source>
        <translation>filled in from your document</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Form.qml" line="95"/>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Form.qml" line="95"/>
        <source>下一步：材料</source>
        <translation>Next: materials</translation>
    </message>
</context>
<context>
    <name>Guide</name>
    <message>
        <location filename="../journeys/common/Guide.qml" line="12"/>
        <source>办事指南</source>
        <translation>Service guide</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="13"/>
        <source>智能柜取件</source>
        <translation>Locker</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="13"/>
        <source>窗口领取</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="14"/>
        <source>邮寄</source>
        <translation>Post</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="14"/>
        <source>电子证照</source>
        <translation>Electronic licence</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="14"/>
        <source>当场领取</source>
        <translation>Collect on the spot</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="15"/>
        <source>必需</source>
        <translation>required</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="15"/>
        <source>可选</source>
        <translation>optional</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="16"/>
        <source>视情况</source>
        <translation>depends on your case</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="34"/>
        <source>办理条件</source>
        <translation>Conditions</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="37"/>
        <source>所需材料</source>
        <translation>Materials needed</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="38"/>
        <source>无需材料</source>
        <translation>No materials needed</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="42"/>
        <source>可承诺后补</source>
        <translation>may be brought later</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="43"/>
        <source>可用已有证照</source>
        <translation>certificate on file can be used</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="44"/>
        <source>办理时限</source>
        <translation>Time limits</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="46"/>
        <source>当场办结</source>
        <translation>Settled on the spot</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="47"/>
        <source>法定 %1 个工作日，承诺 %2 个工作日</source>
        <translation>Legal limit %1 working days, promised %2 working days</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="48"/>
        <source>收费</source>
        <translation>Fee</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="49"/>
        <source>免费</source>
        <translation>Free</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="49"/>
        <source>收费，详见窗口公示</source>
        <translation>A fee applies; see the notice at the window</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="50"/>
        <source>领取方式</source>
        <translation>How to collect</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="67"/>
        <source>扫码在手机上查看指南</source>
        <translation>Scan to read the guide on your phone</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="71"/>
        <source>立即办理</source>
        <translation>Apply now</translation>
    </message>
    <message>
        <location filename="../journeys/common/Guide.qml" line="71"/>
        <source>请到窗口办理</source>
        <translation>Apply at a window</translation>
    </message>
</context>
<context>
    <name>ItemList</name>
    <message>
        <location filename="../journeys/apply/ItemList.qml" line="25"/>
        <source>换个词搜索</source>
        <translation>Search with other words</translation>
    </message>
    <message>
        <location filename="../journeys/apply/ItemList.qml" line="30"/>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../journeys/apply/ItemList.qml" line="37"/>
        <source>没有找到。换个说法试试，或请工作人员帮助。</source>
        <translation>Nothing found. Try other words, or ask staff.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/ItemList.qml" line="52"/>
        <source>免费</source>
        <translation>Free</translation>
    </message>
    <message>
        <location filename="../journeys/apply/ItemList.qml" line="52"/>
        <source>收费</source>
        <translation>Fee</translation>
    </message>
    <message>
        <location filename="../journeys/apply/ItemList.qml" line="53"/>
        <source>当场办结</source>
        <translation>Settled on the spot</translation>
    </message>
    <message>
        <location filename="../journeys/apply/ItemList.qml" line="53"/>
        <source>承诺 %1 个工作日</source>
        <translation>%1 working days</translation>
    </message>
    <message>
        <location filename="../journeys/apply/ItemList.qml" line="54"/>
        <source>可在本机办理</source>
        <translation>can apply here</translation>
    </message>
    <message>
        <location filename="../journeys/apply/ItemList.qml" line="54"/>
        <source>请到窗口办理</source>
        <translation>Apply at a window</translation>
    </message>
</context>
<context>
    <name>Locker</name>
    <message>
        <location filename="../journeys/pickup/Locker.qml" line="12"/>
        <source>取件完成，谢谢。</source>
        <translation>Collected. Thank you.</translation>
    </message>
    <message>
        <location filename="../journeys/pickup/Locker.qml" line="13"/>
        <source>%1 号柜门已打开，请取走文件并关好柜门。</source>
        <translation>Compartment %1 is open. Take your documents and close the door.</translation>
    </message>
    <message>
        <location filename="../journeys/pickup/Locker.qml" line="20"/>
        <source>取件完成</source>
        <translation>Collected</translation>
    </message>
    <message>
        <location filename="../journeys/pickup/Locker.qml" line="20"/>
        <source>柜门已打开 →</source>
        <translation>The door is open →</translation>
    </message>
    <message>
        <location filename="../journeys/pickup/Locker.qml" line="62"/>
        <source>柜门已关好，谢谢。</source>
        <translation>The door is closed. Thank you.</translation>
    </message>
    <message>
        <location filename="../journeys/pickup/Locker.qml" line="62"/>
        <source>请取走文件，然后关好柜门</source>
        <translation>Take your documents, then close the door</translation>
    </message>
    <message>
        <location filename="../journeys/pickup/Locker.qml" line="69"/>
        <source>完成，去评价</source>
        <translation>Done: rate the service</translation>
    </message>
</context>
<context>
    <name>Materials</name>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="11"/>
        <source>请提供以下材料。</source>
        <translation>Please provide the materials below.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="16"/>
        <source>请提供材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="47"/>
        <source>（选交）</source>
        <translation> (optional)</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="52"/>
        <source>（%1 页）</source>
        <translation> (%1 pages)</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="110"/>
        <source>已有存档：%1，有效期至 %2。使用存档</source>
        <translation>On file: %1, valid until %2. Use it</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="110"/>
        <source>已有存档：%1，长期有效。使用存档</source>
        <translation>On file: %1, no expiry. Use it</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="117"/>
        <source>重新拍摄</source>
        <translation>Scan it again</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="77"/>
        <source>✓ 工作人员核验后存档，下次办事不用再带。可以随时撤回。</source>
        <translation>✓ Kept on file once staff have checked it: no need to bring it next time. You can withdraw this at any time.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="78"/>
        <source>不存档。</source>
        <translation>Not kept on file.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="79"/>
        <source>这份材料要存档吗？工作人员核验后保存，下次办事不用再带。可以随时撤回。</source>
        <translation>Keep this document on file? Once staff have checked it, you will not need to bring it next time. You can withdraw this at any time.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="90"/>
        <source>存档，下次不用再带</source>
        <translation>Keep it for next time</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="98"/>
        <source>不存档</source>
        <translation>Do not keep it</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="67"/>
        <source>再拍一页</source>
        <translation>Scan another page</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="67"/>
        <source>现在拍摄</source>
        <translation>Scan now</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="73"/>
        <source>以后补交（承诺）</source>
        <translation>Bring later (commitment)</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="79"/>
        <source>不需要</source>
        <translation>Not needed</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="85"/>
        <source>重新选择</source>
        <translation>Choose again</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Materials.qml" line="95"/>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>Rate</name>
    <message>
        <location filename="../journeys/rate/Rate.qml" line="11"/>
        <source>请为本次服务评价，也可以跳过。</source>
        <translation>Please rate this service, or skip.</translation>
    </message>
    <message>
        <location filename="../journeys/rate/Rate.qml" line="16"/>
        <source>请评价本次服务</source>
        <translation>Rate this service</translation>
    </message>
    <message>
        <location filename="../journeys/rate/Rate.qml" line="29"/>
        <source>哪些方面？（可选）</source>
        <translation>What in particular? (optional)</translation>
    </message>
    <message>
        <location filename="../journeys/rate/Rate.qml" line="49"/>
        <source>想说的话（可选）</source>
        <translation>Anything to add (optional)</translation>
    </message>
    <message>
        <location filename="../journeys/rate/Rate.qml" line="58"/>
        <source>跳过</source>
        <translation>Skip</translation>
    </message>
    <message>
        <location filename="../journeys/rate/Rate.qml" line="65"/>
        <source>提交评价</source>
        <translation>Send rating</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="70"/>
        <source>网络暂时中断：申请已保存在本机，网络恢复后自动发送。发送后，扫描二维码可查看办理进度。</source>
        <translation>The network is down: your application is stored on this kiosk and sent automatically when the network returns. Once it is sent, the QR code shows how your case stands.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="70"/>
        <source>还需补交：%1</source>
        <translation>Still to bring: %1</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="70"/>
        <source>补交期限：%1 前</source>
        <translation>Bring it by: %1</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="70"/>
        <source>补交方式：%1</source>
        <translation>How to bring it: %1</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="70"/>
        <source>（您选择的）</source>
        <translation> (your choice)</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="70"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="70"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="11"/>
        <source>申请已提交，办件编号 %1。</source>
        <translation>Application submitted, case number %1.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="12"/>
        <source>正在打印回执，约 5 秒。</source>
        <translation>Printing your receipt, about 5 s.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="13"/>
        <source>请取走下方出纸口的回执。</source>
        <translation>Take your receipt from the slot below.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="14"/>
        <source>打印机暂不可用，请扫码保存回执。</source>
        <translation>The printer is not available. Scan the code to keep your receipt.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="15"/>
        <source>回执没有打印出来，请扫码保存回执。</source>
        <translation>The receipt was not printed. Scan the code to keep it.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="20"/>
        <source>申请已提交</source>
        <translation>Application submitted</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="22"/>
        <source>办件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="42"/>
        <source>扫码在手机上查看进度、补交材料</source>
        <translation>Scan to follow the case and supply the missing material on your phone</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="42"/>
        <source>扫码在手机上查看办理进度</source>
        <translation>Scan to follow the case on your phone</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Receipt.qml" line="55"/>
        <source>完成，去评价</source>
        <translation>Done: rate the service</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <location filename="../journeys/apply/Review.qml" line="11"/>
        <source>请核对您的申请，确认后提交。</source>
        <translation>Check your application, then submit.</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Review.qml" line="16"/>
        <source>请核对：%1</source>
        <translation>Check: %1</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Review.qml" line="17"/>
        <source>申请人：%1</source>
        <translation>Applicant: %1</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Review.qml" line="37"/>
        <location filename="../journeys/apply/Review.qml" line="54"/>
        <source>修改</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Review.qml" line="44"/>
        <source>（未填）</source>
        <translation>(not filled in)</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Review.qml" line="51"/>
        <source>材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <location filename="../journeys/apply/Review.qml" line="68"/>
        <source>确认提交</source>
        <translation>Submit</translation>
    </message>
</context>
<context>
    <name>Ticket</name>
    <message>
        <location filename="../journeys/ticket/Ticket.qml" line="10"/>
        <source>您的号码是 %1，前面还有 %2 人。</source>
        <translation>Your number is %1; %2 ahead of you.</translation>
    </message>
    <message>
        <location filename="../journeys/ticket/Ticket.qml" line="15"/>
        <source>签到成功</source>
        <translation>You are checked in</translation>
    </message>
    <message>
        <location filename="../journeys/ticket/Ticket.qml" line="15"/>
        <source>取号成功</source>
        <translation>Here is your ticket</translation>
    </message>
    <message>
        <location filename="../journeys/ticket/Ticket.qml" line="25"/>
        <source>前面还有 %1 人</source>
        <translation>%1 ahead of you</translation>
    </message>
    <message>
        <location filename="../journeys/ticket/Ticket.qml" line="27"/>
        <source>请留意叫号屏和语音，听到叫号后到对应窗口办理</source>
        <translation>Watch the calling screen and listen; go to the window when your number is called</translation>
    </message>
    <message>
        <location filename="../journeys/ticket/Ticket.qml" line="39"/>
        <source>↓ 请取走号票</source>
        <translation>↓ Take your ticket</translation>
    </message>
    <message>
        <location filename="../journeys/ticket/Ticket.qml" line="40"/>
        <source>正在打印号票…</source>
        <translation>Printing your ticket…</translation>
    </message>
    <message>
        <location filename="../journeys/ticket/Ticket.qml" line="41"/>
        <source>号票没有打印，请记住号码或扫码保存</source>
        <translation>The ticket was not printed: remember the number or scan the code</translation>
    </message>
    <message>
        <location filename="../journeys/ticket/Ticket.qml" line="47"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>Waiting</name>
    <message>
        <location filename="../journeys/common/Waiting.qml" line="63"/>
        <source>大约需要 %1 秒</source>
        <translation>About %1 seconds</translation>
    </message>
</context>
</TS>
