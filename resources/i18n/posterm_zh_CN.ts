<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../../ui/qt/approval.py" line="42"/>
        <source>Approval needed</source>
        <translation>需要授权</translation>
    </message>
    <message>
        <location filename="../../ui/qt/approval.py" line="54"/>
        <source>User number</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/approval.py" line="55"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <location filename="../../ui/qt/camera.py" line="371"/>
        <source>Camera scan</source>
        <translation>摄像头扫码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="376"/>
        <source>Hold the code in front of the camera. The scanner and the keyboard keep working.</source>
        <translation>将码对准摄像头。扫码枪和键盘仍可使用。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="383"/>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="389"/>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="507"/>
        <source>Member code read</source>
        <translation>已读取会员码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="509"/>
        <source>Coupon read: {code}</source>
        <translation>已读取券码：{code}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="511"/>
        <source>Receipt number read: {code}</source>
        <translation>已读取小票号：{code}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="512"/>
        <source>Product code read: {code}</source>
        <translation>已读取商品码：{code}</translation>
    </message>
</context>
<context>
    <name>CashDialog</name>
    <message>
        <location filename="../../ui/qt/shift.py" line="98"/>
        <source>Cash in</source>
        <translation>存入现金</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="99"/>
        <source>Cash put into the drawer, e.g. more change.</source>
        <translation>放入钱箱的现金，例如补充零钱。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="101"/>
        <source>Cash out</source>
        <translation>取出现金</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="102"/>
        <source>Cash taken out of the drawer, e.g. a safe drop.</source>
        <translation>从钱箱取出的现金，例如存入保险柜。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="103"/>
        <source>Amount (¥)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="104"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="105"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="106"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="112"/>
        <source>Type an amount, e.g. 100 or 100.00</source>
        <translation>请输入金额，例如 100 或 100.00</translation>
    </message>
</context>
<context>
    <name>CheckoutScreen</name>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="163"/>
        <source>Scan or type a barcode, member or coupon code, Enter</source>
        <translation>扫码或输入商品条码、会员码、券码，回车</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="171"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="172"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="173"/>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="174"/>
        <source>Discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="175"/>
        <source>Net</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="211"/>
        <source>Subtotal</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="213"/>
        <source>You save</source>
        <translation>优惠</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="215"/>
        <source>To pay</source>
        <translation>应付</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="233"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="234"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="235"/>
        <location filename="../../ui/qt/checkout_screen.py" line="449"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="236"/>
        <location filename="../../ui/qt/checkout_screen.py" line="459"/>
        <source>Coupon</source>
        <translation>优惠券</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="237"/>
        <source>Points / rewards</source>
        <translation>积分 / 兑换</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="238"/>
        <source>Hold / resume</source>
        <translation>挂单 / 取单</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="239"/>
        <source>Returns</source>
        <translation>退货</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="240"/>
        <source>Manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="241"/>
        <source>Void line</source>
        <translation>删除商品行</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="242"/>
        <source>Cancel sale</source>
        <translation>取消整单</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="243"/>
        <source>Top up</source>
        <translation>储值充值</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="244"/>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="245"/>
        <source>Pay</source>
        <translation>结账</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="345"/>
        <source> (gift)</source>
        <translation>（赠品）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="347"/>
        <source> (reward, {points} points)</source>
        <translation>（积分兑换 {points} 积分）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="380"/>
        <source>Change {change}</source>
        <translation>找零 {change}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="437"/>
        <location filename="../../ui/qt/checkout_screen.py" line="444"/>
        <source>Select a line first</source>
        <translation>请先选择一行</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="450"/>
        <source>New quantity:</source>
        <translation>新数量：</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="459"/>
        <source>Coupon code:</source>
        <translation>券码：</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="467"/>
        <source>Identify the member first (F2 or F3)</source>
        <translation>请先识别会员（F2 或 F3）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="487"/>
        <source>held at the till</source>
        <translation>收银台挂单</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="502"/>
        <source>Sale held; F7 brings it back</source>
        <translation>已挂单；按 F7 取回</translation>
    </message>
</context>
<context>
    <name>CloseShiftDialog</name>
    <message>
        <location filename="../../ui/qt/shift.py" line="231"/>
        <source>Close the shift</source>
        <translation>交班</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="233"/>
        <source>Type how many of each note and coin are in the drawer. Enter checks.</source>
        <translation>输入钱箱中每种面额的张/枚数。回车核对。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="235"/>
        <source>Expected cash</source>
        <translation>应有现金</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="236"/>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="237"/>
        <source>Variance (over + / short −)</source>
        <translation>差异（多 + / 少 −）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="238"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="239"/>
        <source>Check count</source>
        <translation>核对点数</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="240"/>
        <source>Close shift</source>
        <translation>交班</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="269"/>
        <source>Check the figures, then close the shift.</source>
        <translation>核对金额后交班。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="281"/>
        <source>+{amount} over</source>
        <translation>多 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="283"/>
        <source>−{amount} short</source>
        <translation>少 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="285"/>
        <source>{amount}, exact</source>
        <translation>{amount}（付清）</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="26"/>
        <source>Welcome</source>
        <translation>欢迎光临</translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="68"/>
        <source>Welcome!</source>
        <translation>欢迎光临！</translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="75"/>
        <source>You save {amount}</source>
        <translation>已优惠 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="79"/>
        <source>To pay {amount}</source>
        <translation>应付 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="83"/>
        <source>Change {amount}</source>
        <translation>找零 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="85"/>
        <source>Thank you!</source>
        <translation>谢谢惠顾！</translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="87"/>
        <source>You earned {points} points.</source>
        <translation>本单获得 {points} 积分。</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="16"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="20"/>
        <source>Code + Enter</source>
        <translation>码 + 回车</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="21"/>
        <source>product, member, coupon or receipt (one reader decides)</source>
        <translation>商品、会员、优惠券或小票（统一识别）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="23"/>
        <source>quantity before a code, e.g. 3*6901234567892</source>
        <translation>码前加数量，例如 3*6901234567892</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="24"/>
        <source>find a member (number, phone, last 4 digits)</source>
        <translation>查找会员（会员号、手机号、尾号 4 位）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="25"/>
        <source>scan with the camera</source>
        <translation>摄像头扫码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="26"/>
        <source>quantity of the selected line</source>
        <translation>修改选中行数量</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="27"/>
        <source>coupon</source>
        <translation>优惠券</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="28"/>
        <source>pay with points, or a reward for points</source>
        <translation>积分抵现，或积分兑换商品/券</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="29"/>
        <source>hold / resume the sale</source>
        <translation>挂单 / 取单</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="30"/>
        <source>returns</source>
        <translation>退货</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="31"/>
        <source>manager menu</source>
        <translation>店长菜单</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="32"/>
        <source>find a receipt, preview and reprint it</source>
        <translation>查找小票、预览并补打</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="33"/>
        <source>stored value: top up, refund a top-up</source>
        <translation>储值：充值、充值退款</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="34"/>
        <source>void the selected line</source>
        <translation>删除选中行</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="35"/>
        <source>pay</source>
        <translation>结账</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="36"/>
        <source>close a dialog</source>
        <translation>关闭对话框</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="37"/>
        <source>In payment</source>
        <translation>支付时</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="37"/>
        <source>digits = amount, Enter = cash (empty = exact)</source>
        <translation>数字 = 金额，回车 = 现金（不输入 = 付清）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="38"/>
        <source>C bank card, W WeChat Pay, A Alipay, Backspace takes back</source>
        <translation>C 银行卡，W 微信支付，A 支付宝，退格键撤回</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="39"/>
        <source>S stored value (the member&apos;s app code or payment PIN)</source>
        <translation>S 储值支付（会员码或会员支付密码）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="46"/>
        <source>Press any key to close</source>
        <translation>按任意键关闭</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="105"/>
        <source>Import data</source>
        <translation>导入数据</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="107"/>
        <source>Products (CSV or JSON)</source>
        <translation>商品（CSV 或 JSON）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="108"/>
        <source>Members (CSV or JSON)</source>
        <translation>会员（CSV 或 JSON）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="109"/>
        <source>Promotions (JSON)</source>
        <translation>促销（JSON）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="110"/>
        <source>Coupons (JSON)</source>
        <translation>优惠券（JSON）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="111"/>
        <source>Rewards catalogue (JSON)</source>
        <translation>积分兑换目录（JSON）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="115"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="116"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="117"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="120"/>
        <source>Check the file first: every bad row is listed and nothing is written. Existing items are updated. Formats: docs/imports.md.</source>
        <translation>请先检查文件：列出每一行错误，不写入任何数据。已有的记录会被更新。格式见 docs/imports.md。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="124"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="125"/>
        <source>Check file</source>
        <translation>检查文件</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="126"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="138"/>
        <source>Choose a file to import</source>
        <translation>选择要导入的文件</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="141"/>
        <source>CSV or JSON files (*.csv *.json)</source>
        <translation>CSV 或 JSON 文件 (*.csv *.json)</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="152"/>
        <source>Choose the file to import first.</source>
        <translation>请先选择要导入的文件。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="156"/>
        <source>Check the file first.</source>
        <translation>请先检查文件。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="179"/>
        <source>Checking every row…</source>
        <translation>正在检查每一行…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="179"/>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="201"/>
        <source>{created} new, {updated} updated, {unchanged} unchanged</source>
        <translation>新增 {created}，更新 {updated}，未变 {unchanged}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="206"/>
        <source>{rows} rows are good; importing would give: {counts}.</source>
        <translation>{rows} 行无误；导入后：{counts}。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="212"/>
        <source>Imported {rows} rows: {counts}.</source>
        <translation>已导入 {rows} 行：{counts}。</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="71"/>
        <source>User number</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="72"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="77"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="91"/>
        <source>Locked. {name}, type your PIN to go on.</source>
        <translation>已锁屏。{name}，请输入密码继续。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="134"/>
        <source>Only this shift&apos;s cashier or a supervisor can unlock</source>
        <translation>只有本班收银员或主管可以解锁</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../ui/qt/login.py" line="61"/>
        <source>Operator no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/login.py" line="62"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/login.py" line="67"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/qt/main_window.py" line="109"/>
        <source>Receipts F10</source>
        <translation>小票 F10</translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="118"/>
        <source>Printing</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="150"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="150"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="150"/>
        <source>HQ</source>
        <translation>总部</translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="199"/>
        <source>Paid. Receipt {receipt}. Change {change}</source>
        <translation>已收款。小票号 {receipt}。找零 {change}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="203"/>
        <source>  Points +{earned}, balance {balance}</source>
        <translation>  积分 +{earned}，余额 {balance}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="207"/>
        <source>  Stored value left {balance}</source>
        <translation>  储值余额 {balance}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="211"/>
        <source>  Coupon {code} issued, valid {start} to {end}</source>
        <translation>  赠券 {code}，{start} 至 {end} 有效</translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="247"/>
        <source>parked when the till closed</source>
        <translation>关闭收银时自动挂单</translation>
    </message>
</context>
<context>
    <name>ManagerMenu</name>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="114"/>
        <source>Manager menu</source>
        <translation>店长菜单</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="116"/>
        <source>Logged in: {name} ({role})</source>
        <translation>当前用户：{name}（{role}）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="121"/>
        <source>Cash in</source>
        <translation>存入现金</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="122"/>
        <source>Cash out</source>
        <translation>取出现金</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="123"/>
        <source>X report</source>
        <translation>当班报表</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="124"/>
        <source>Close shift</source>
        <translation>交班</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="125"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="126"/>
        <source>Refused by HQ</source>
        <translation>总部退回的记录</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="127"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="128"/>
        <source>Import data</source>
        <translation>导入数据</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="129"/>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="130"/>
        <source>Restore a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="131"/>
        <source>Settings</source>
        <translation>系统设置</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="132"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="137"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="170"/>
        <source>Cash in {amount} recorded.</source>
        <translation>已记录存入 {amount}。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="172"/>
        <source>Cash out {amount} recorded.</source>
        <translation>已记录取出 {amount}。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="184"/>
        <source>Shift closed; the Z slip is printing. The next cashier opens a new shift.</source>
        <translation>已交班，正在打印交班单。下一位收银员请开新班。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="256"/>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="262"/>
        <source>Backup written: {path}</source>
        <translation>已写入备份：{path}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="274"/>
        <source>Finish or hold the sale first: a restore replaces it.</source>
        <translation>请先完成或挂起当前单：恢复会替换它。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="318"/>
        <source>held when the cashier left</source>
        <translation>收银员离开时挂单</translation>
    </message>
</context>
<context>
    <name>MemberDataDialog</name>
    <message>
        <location filename="../../ui/qt/members/data.py" line="53"/>
        <source>Member data</source>
        <translation>会员数据</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="61"/>
        <source>Member number, phone or last 4 digits</source>
        <translation>会员号、手机号或尾号 4 位</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="67"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="70"/>
        <source>Show data report</source>
        <translation>显示数据报告</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="85"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="85"/>
        <source>Stored</source>
        <translation>储存</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="96"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="100"/>
        <source>e.g. the member asked to be erased</source>
        <translation>例如：会员申请注销</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="103"/>
        <source>Erase member…</source>
        <translation>注销会员…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="107"/>
        <source>Erase</source>
        <translation>注销</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="107"/>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="114"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="160"/>
        <location filename="../../ui/qt/members/data.py" line="232"/>
        <source>Find the member first.</source>
        <translation>请先查找会员。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="190"/>
        <source>Data processing</source>
        <translation>个人信息处理</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="191"/>
        <source>Marketing</source>
        <translation>营销信息</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="196"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="196"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="205"/>
        <source>Member number</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="206"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="207"/>
        <source>Mobile phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="208"/>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="209"/>
        <source>Referred by</source>
        <translation>推荐人</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="210"/>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="211"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="212"/>
        <source>Registered</source>
        <translation>注册时间</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="213"/>
        <source>Last changed</source>
        <translation>最近修改</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="214"/>
        <source>Consents</source>
        <translation>同意事项</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="216"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="217"/>
        <source>balance {balance}, {entries} entries</source>
        <translation>余额 {balance}，共 {entries} 条</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="222"/>
        <source>Coupons</source>
        <translation>优惠券</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="223"/>
        <source>Sales</source>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="224"/>
        <source>Internal id</source>
        <translation>内部编号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="236"/>
        <source>Erase member {member_no}? Name, phone and birthday are removed for good; points and sales stay.</source>
        <translation>注销会员 {member_no}？姓名、手机号和生日将被永久删除；积分和销售记录保留。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="274"/>
        <source>Member {member_no} erased.</source>
        <translation>会员 {member_no} 已注销。</translation>
    </message>
</context>
<context>
    <name>MemberLookupDialog</name>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="50"/>
        <source>Find a member</source>
        <translation>查找会员</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="54"/>
        <source>Member number, phone number or the last 4 digits of the phone</source>
        <translation>会员号、手机号或手机尾号 4 位</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="64"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="74"/>
        <source>More members match: type the whole phone number.</source>
        <translation>匹配的会员较多：请输入完整手机号。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="79"/>
        <source>Line no.</source>
        <translation>行号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="88"/>
        <source>Choose</source>
        <translation>选择</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="100"/>
        <source>Replace</source>
        <translation>更换</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="100"/>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="106"/>
        <source>New member…</source>
        <translation>注册会员…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="108"/>
        <source>Member data…</source>
        <translation>会员数据…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="110"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="164"/>
        <source>Ask the customer which one is theirs.</source>
        <translation>请顾客确认是哪一位。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="179"/>
        <source>Choose a line from 1 to {count} in the list.</source>
        <translation>请从列表中选择 1 到 {count} 行。</translation>
    </message>
</context>
<context>
    <name>MemberPanel</name>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="82"/>
        <source>No member (F2 to find, F3 to scan)</source>
        <translation>无会员（F2 查找，F3 扫码）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="90"/>
        <source>Points {points} (as of {time})</source>
        <translation>积分 {points}（截至 {time}）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="97"/>
        <source>Can pay {points} points = {value} now</source>
        <translation>本单最多可用 {points} 积分抵 {value}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="103"/>
        <source>{points} points expire within {days} days</source>
        <translation>{days}天内到期 {points} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="108"/>
        <source>Stored value {total} (paid {principal}, bonus {bonus})</source>
        <translation>储值 {total}（本金 {principal}，赠送 {bonus}）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="114"/>
        <source>, offline {can} usable</source>
        <translation>，离线可用 {can}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="119"/>
        <source>Stored value: none</source>
        <translation>储值：无</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="122"/>
        <source>Coupons: </source>
        <translation>可用券：</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="126"/>
        <source>🎂 Birthday month</source>
        <translation>🎂 本月生日</translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="128"/>
        <source>Usually buys:</source>
        <translation>常买：</translation>
    </message>
</context>
<context>
    <name>MemberPinDialog</name>
    <message>
        <location filename="../../ui/qt/value.py" line="226"/>
        <source>Member payment PIN</source>
        <translation>会员支付密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="228"/>
        <source>Customer: please type your 6-digit payment PIN</source>
        <translation>请顾客输入 6 位支付密码</translation>
    </message>
</context>
<context>
    <name>OpenShiftDialog</name>
    <message>
        <location filename="../../ui/qt/login.py" line="161"/>
        <source>Open the shift</source>
        <translation>开班</translation>
    </message>
    <message>
        <location filename="../../ui/qt/login.py" line="163"/>
        <source>Count the float into the drawer and type it:</source>
        <translation>将备用金放入钱箱并输入金额：</translation>
    </message>
    <message>
        <location filename="../../ui/qt/login.py" line="170"/>
        <source>Float (¥)</source>
        <translation>备用金（元）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/login.py" line="194"/>
        <source>Type an amount, e.g. 500 or 500.00</source>
        <translation>请输入金额，例如 500 或 500.00</translation>
    </message>
</context>
<context>
    <name>ParkedDialog</name>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="83"/>
        <source>Sale</source>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="84"/>
        <source>Stored value top-up</source>
        <translation>储值充值</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="85"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="86"/>
        <source>Member erasure</source>
        <translation>会员资料删除</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="91"/>
        <source>Records HQ refused</source>
        <translation>总部退回的记录</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="94"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="98"/>
        <source>Record id</source>
        <translation>记录编号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="95"/>
        <source>Receipt</source>
        <translation>小票号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="97"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="96"/>
        <source>Recorded</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="108"/>
        <source>HQ refused these records; they stay on this till and are not sent again. Tell HQ the record id and the reason.</source>
        <translation>总部退回了这些记录；它们保留在本机，不会再次上传。请把记录编号和原因告知总部。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="113"/>
        <source>HQ has refused no record of this till.</source>
        <translation>总部没有退回本机的任何记录。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="114"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../../ui/qt/payment.py" line="73"/>
        <source>Payment</source>
        <translation>支付</translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="113"/>
        <source>Take back last</source>
        <translation>撤回上一笔</translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="175"/>
        <source>Due {due}   still to pay {left}</source>
        <translation>应付 {due}   还需 {left}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="187"/>
        <source>Change {change}</source>
        <translation>找零 {change}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="208"/>
        <source>The amount {text} is not valid, e.g. 35.50</source>
        <translation>金额 {text} 无效，例如 35.50</translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="232"/>
        <source>{method} reference, then Enter</source>
        <translation>{method}流水号，回车</translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="244"/>
        <source>A card or app payment cannot be more than what is left</source>
        <translation>银行卡或扫码支付不能超过剩余应付金额</translation>
    </message>
</context>
<context>
    <name>PointsDialog</name>
    <message>
        <location filename="../../ui/qt/value.py" line="100"/>
        <source>Points and rewards</source>
        <translation>积分与兑换</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="106"/>
        <source>Points {points}; this sale can take up to {most} points = {value}</source>
        <translation>积分 {points}；本单最多可用 {most} 积分，抵 {value}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="117"/>
        <source>points, then Enter (0 = none)</source>
        <translation>输入积分后按回车（0 = 不用积分）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="119"/>
        <source>Pay with points</source>
        <translation>积分抵扣</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="121"/>
        <source>Rewards for points (Enter redeems)</source>
        <translation>积分兑换目录（回车兑换）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="130"/>
        <source>Redeem</source>
        <translation>兑换</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="143"/>
        <source>No rewards in the catalogue</source>
        <translation>暂无积分兑换项目</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="146"/>
        <source>{name}   {points} points</source>
        <translation>{name}   {points} 积分</translation>
    </message>
</context>
<context>
    <name>PrintTroubleBar</name>
    <message>
        <location filename="../../ui/qt/printing.py" line="177"/>
        <location filename="../../ui/qt/printing.py" line="199"/>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location filename="../../ui/qt/printing.py" line="199"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
</context>
<context>
    <name>ReceiptPreview</name>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="194"/>
        <source>Receipt preview</source>
        <translation>小票预览</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="212"/>
        <location filename="../../ui/qt/receipt_preview.py" line="249"/>
        <source>Drawing the receipt…</source>
        <translation>正在生成小票…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="229"/>
        <source>Reprint (marked REPRINT)</source>
        <translation>补打（标注“重印”）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="232"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="270"/>
        <source>printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="271"/>
        <source>not printed</source>
        <translation>未打印</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="272"/>
        <source>waiting to print</source>
        <translation>等待打印</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="273"/>
        <source>printing</source>
        <translation>打印中</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="319"/>
        <source>Reprint sent to the printer</source>
        <translation>补打已发送到打印机</translation>
    </message>
</context>
<context>
    <name>ReceiptsDialog</name>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="347"/>
        <source>Receipts</source>
        <translation>小票</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="353"/>
        <source>Scan or type a receipt number, Enter</source>
        <translation>扫描或输入小票号，回车</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="357"/>
        <source>Latest printouts:</source>
        <translation>最近打印：</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="367"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="370"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>RegisterMemberDialog</name>
    <message>
        <location filename="../../ui/qt/members/register.py" line="56"/>
        <source>New member</source>
        <translation>新会员</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="64"/>
        <source>MM-DD</source>
        <translation>月-日</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="66"/>
        <source>Mobile phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="67"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="68"/>
        <source>Birthday (optional)</source>
        <translation>生日（选填）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="69"/>
        <source>Referred by (optional)</source>
        <translation>推荐人（选填）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="75"/>
        <source>The member agrees to the text above (required)</source>
        <translation>会员同意以上条款（必填）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="80"/>
        <source>The member agrees to the text above (optional)</source>
        <translation>会员同意以上条款（选填）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="83"/>
        <source>Replace</source>
        <translation>更换</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="83"/>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="90"/>
        <source>Register</source>
        <translation>注册</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="92"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="200"/>
        <source>Registered as {member_no}. {why}</source>
        <translation>已注册为 {member_no}。{why}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="210"/>
        <source>Registered as {member_no}; the member already on the sale stays.</source>
        <translation>已注册为 {member_no}；本单保留原会员。</translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="317"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="318"/>
        <source>Business days:</source>
        <translation>营业日：</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="320"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="321"/>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="322"/>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="323"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="324"/>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="325"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="329"/>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="331"/>
        <source>Sales</source>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="332"/>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="333"/>
        <source>Tenders and tax</source>
        <translation>收款与税额</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="334"/>
        <source>Cashiers and promotions</source>
        <translation>收银员与促销</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="335"/>
        <source>Members</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="339"/>
        <location filename="../../ui/qt/reports/screen.py" line="441"/>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="340"/>
        <location filename="../../ui/qt/reports/screen.py" line="446"/>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="341"/>
        <source>Print X report</source>
        <translation>打印班次报表 (X)</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="342"/>
        <source>Take Z report</source>
        <translation>出日结报表 (Z)</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="343"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="386"/>
        <source>Adding up…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="421"/>
        <source>Net sales by hour (yuan)</source>
        <translation>各时段净销售额（元）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="422"/>
        <source>Daily net sales (yuan)</source>
        <translation>每日净销售额（元）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="424"/>
        <source>Paid by category (yuan)</source>
        <translation>各品类实收（元）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="426"/>
        <source>Tender mix</source>
        <translation>收款方式占比</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="460"/>
        <source>Could not write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="463"/>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="475"/>
        <source>Store reports</source>
        <translation>门店报表</translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="515"/>
        <source>{report} report queued for the receipt printer.</source>
        <translation>{report} 报表已排队，正在小票打印机打印。</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="132"/>
        <source>Restore a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="135"/>
        <source>A restore replaces the store with a backup. Close every other posterm program first. This till opens the restored store and everyone logs in again.</source>
        <translation>恢复会用备份替换本机数据库。请先关闭其他 posterm 程序。本机会打开恢复后的数据库，所有人需重新登录。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="139"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="140"/>
        <source>Keep what is newer in the current store (carry over)</source>
        <translation>保留当前数据库中较新的记录（带入）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="142"/>
        <source>The current store is damaged: replace it without comparing (force)</source>
        <translation>当前数据库已损坏：不比对直接替换（强制）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="144"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="145"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="146"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="147"/>
        <source>Restore…</source>
        <translation>恢复…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="154"/>
        <source>Choose a backup</source>
        <translation>选择备份</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="157"/>
        <source>Store backups (*.sqlite3)</source>
        <translation>数据库备份 (*.sqlite3)</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="165"/>
        <source>Choose the backup to restore first.</source>
        <translation>请先选择要恢复的备份。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="168"/>
        <source>Replace the store with {file}?</source>
        <translation>用 {file} 替换本机数据库？</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="205"/>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="229"/>
        <source>Restored {file}. Everyone logs in again.</source>
        <translation>已从 {file} 恢复。所有人需重新登录。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="234"/>
        <source>Carried over: {kept}.</source>
        <translation>已带入：{kept}。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="248"/>
        <source>The store could not be opened again: close posterm and start it again.</source>
        <translation>无法重新打开数据库：请关闭 posterm 后重新启动。</translation>
    </message>
</context>
<context>
    <name>ReturnsDialog</name>
    <message>
        <location filename="../../ui/qt/returns.py" line="76"/>
        <source>Returns</source>
        <translation>退货</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="84"/>
        <source>Scan the receipt or type its number, Enter</source>
        <translation>扫描小票或输入小票号，回车</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="88"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="92"/>
        <source>Show receipt</source>
        <translation>显示小票</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="105"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="106"/>
        <source>Bought</source>
        <translation>已购</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="107"/>
        <source>Returned</source>
        <translation>已退</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="108"/>
        <source>Left</source>
        <translation>可退</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="109"/>
        <source>Paid</source>
        <translation>实付</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="110"/>
        <source>Return now</source>
        <translation>立即退货</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="128"/>
        <source>Everything left</source>
        <translation>全部可退</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="130"/>
        <source>Nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="137"/>
        <source>Coupons bought with points to give back</source>
        <translation>退回的积分兑换券（券号）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="147"/>
        <source>Reason (required), then Enter to refund</source>
        <translation>原因（必填），回车退款</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="170"/>
        <source>Show refund slip</source>
        <translation>显示退货单</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="176"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="179"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="278"/>
        <source>Receipt {receipt}: {count} lines, paid {paid}</source>
        <translation>小票 {receipt}：{count} 行，实付 {paid}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="332"/>
        <source>Choose the units to return first</source>
        <translation>请先选择要退的数量</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="378"/>
        <location filename="../../ui/qt/returns.py" line="398"/>
        <source>Returned. Refund slip {receipt}</source>
        <translation>已退货。退货单 {receipt}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="407"/>
        <source>Refund {total}: {split}</source>
        <translation>退款 {total}：{split}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="410"/>
        <source>Points taken back: {points}</source>
        <translation>扣回积分：{points}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="414"/>
        <source>Points given back: {points}</source>
        <translation>退回积分：{points}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="418"/>
        <source>{points} points were already spent: {amount} kept from the refund</source>
        <translation>{points} 积分已被使用：退款中扣除 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="424"/>
        <source>Coupons back: {codes}</source>
        <translation>已退回的券：{codes}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="428"/>
        <source>Coupons taken back: {codes}</source>
        <translation>收回券：{codes}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="433"/>
        <source>A coupon it issued was already used: {amount} kept from the refund</source>
        <translation>本单返券已使用：退款扣减 {amount}</translation>
    </message>
</context>
<context>
    <name>SetPinDialog</name>
    <message>
        <location filename="../../ui/qt/value.py" line="257"/>
        <source>New payment PIN</source>
        <translation>设置支付密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="259"/>
        <source>Customer: choose a 6-digit payment PIN</source>
        <translation>请顾客设置 6 位支付密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="267"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="268"/>
        <source>Again</source>
        <translation>再输一次</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="285"/>
        <source>The two PINs differ: type them again</source>
        <translation>两次输入的密码不一致，请重新输入</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="302"/>
        <source>Settings</source>
        <translation>系统设置</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="304"/>
        <source>Store</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="305"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="306"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="307"/>
        <location filename="../../ui/qt/manager/settings.py" line="329"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="308"/>
        <source>HQ</source>
        <translation>总部</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="313"/>
        <source>Store code</source>
        <translation>门店编码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="314"/>
        <source>Terminal code</source>
        <translation>收银机编号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="315"/>
        <source>Store name</source>
        <translation>门店名称</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="316"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="317"/>
        <source>Receipt footer</source>
        <translation>小票页脚</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="318"/>
        <source>Connection</source>
        <translation>连接方式</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="319"/>
        <source>File or device</source>
        <translation>文件或设备</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="320"/>
        <source>Printer address</source>
        <translation>打印机地址</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="321"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="322"/>
        <source>USB vendor id</source>
        <translation>USB 厂商编号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="323"/>
        <source>USB product id</source>
        <translation>USB 产品编号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="324"/>
        <source>Serial port</source>
        <translation>串口设备</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="325"/>
        <source>Speed (baud)</source>
        <translation>波特率</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="326"/>
        <source>CUPS queue</source>
        <translation>CUPS 队列</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="327"/>
        <source>Paper</source>
        <translation>纸宽</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="328"/>
        <source>Camera source</source>
        <translation>摄像头来源</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="330"/>
        <source>HQ address</source>
        <translation>总部地址</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="331"/>
        <source>Enrolment code</source>
        <translation>登记码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="336"/>
        <source>File or device node</source>
        <translation>文件或设备节点</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="337"/>
        <source>Network (TCP 9100)</source>
        <translation>网络（TCP 9100）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="338"/>
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="339"/>
        <source>Serial</source>
        <translation>串口</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="340"/>
        <source>CUPS</source>
        <translation>CUPS</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="344"/>
        <location filename="../../ui/qt/manager/settings.py" line="349"/>
        <location filename="../../ui/qt/manager/settings.py" line="356"/>
        <location filename="../../ui/qt/manager/settings.py" line="362"/>
        <location filename="../../ui/qt/manager/settings.py" line="366"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="346"/>
        <source>Test print tries what the form says, saved or not; Save keeps it.</source>
        <translation>测试打印按表单设置打印（无论是否已保存）；保存后生效。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="348"/>
        <source>Test print</source>
        <translation>测试打印</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="350"/>
        <source>Scan codes with the camera</source>
        <translation>用摄像头扫码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="351"/>
        <source>0, a video file or rtsp://…</source>
        <translation>0、视频文件或 rtsp://…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="353"/>
        <source>Test camera opens what the form says for a few frames and shows one.</source>
        <translation>测试摄像头会按表单设置打开摄像头取几帧并显示一帧。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="355"/>
        <source>Test camera</source>
        <translation>测试摄像头</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="358"/>
        <source>No picture yet</source>
        <translation>尚无画面</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="360"/>
        <source>The new language shows at once, here and in the messages of the till.</source>
        <translation>新语言立即生效，包括收银机的提示信息。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="364"/>
        <source>The HQ address Enrol uses; Save keeps it in config.toml. Empty: no HQ.</source>
        <translation>登记时使用的总部地址；保存后写入 config.toml。留空：不连总部。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="369"/>
        <source>Enrol links this till to HQ at the address above with the one-time code HQ issued; then the till syncs by itself.</source>
        <translation>用总部发的一次性登记码把本机登记到上面的总部地址；之后本机会自动同步。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="373"/>
        <source>Enrol</source>
        <translation>登记</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="374"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="417"/>
        <source>Saved. Receipts from now on show it.</source>
        <translation>已保存。此后的小票会显示。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="459"/>
        <source>Saved. The till prints there from now on.</source>
        <translation>已保存。此后小票打印到该打印机。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="523"/>
        <source>Saved. The camera (F3) uses it from now on.</source>
        <translation>已保存。此后摄像头（F3）使用此设置。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="562"/>
        <source>No picture</source>
        <translation>无画面</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="591"/>
        <source>Language changed.</source>
        <translation>已切换语言。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="612"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="632"/>
        <source>Enrolled with HQ at {url} as store {store}, terminal {terminal}.</source>
        <translation>已登记到总部 {url}：门店 {store}，终端 {terminal}。</translation>
    </message>
</context>
<context>
    <name>TopUpDialog</name>
    <message>
        <location filename="../../ui/qt/value.py" line="316"/>
        <source>Stored value</source>
        <translation>储值</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="324"/>
        <source>Top up</source>
        <translation>充值</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="327"/>
        <source>amount, Enter shows the bonus</source>
        <translation>输入金额，回车显示赠送</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="330"/>
        <location filename="../../ui/qt/value.py" line="350"/>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="335"/>
        <source>Take the money</source>
        <translation>收款</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="342"/>
        <source>Refund a top-up (manager)</source>
        <translation>充值退款（店长）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="346"/>
        <source>empty = all unspent principal</source>
        <translation>留空 = 退还全部未消费本金</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="349"/>
        <source>Top-up receipt</source>
        <translation>充值小票号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="351"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="352"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="363"/>
        <source>Member sets a payment PIN…</source>
        <translation>会员设置支付密码…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="380"/>
        <source>No member: identify the member to top up (F2 or F3)</source>
        <translation>未识别会员：请先识别会员再充值（F2 或 F3）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="383"/>
        <source>Member {member}: balance {total} (paid {principal}, bonus {bonus})</source>
        <translation>会员 {member}：储值余额 {total}（本金 {principal}，赠送 {bonus}）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="405"/>
        <source>The amount {text} is not valid, e.g. 500</source>
        <translation>金额 {text} 无效，例如 500</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="419"/>
        <source>Identify the member first (F2 or F3)</source>
        <translation>请先识别会员（F2 或 F3）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="437"/>
        <source>{rule}: bonus {bonus}, the balance grows by {total}</source>
        <translation>{rule}：赠送 {bonus}，储值共增加 {total}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="441"/>
        <source>No bonus for {amount}</source>
        <translation>充值 {amount} 无赠送</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="442"/>
        <source>  — Enter takes the money</source>
        <translation>  — 回车收款</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="448"/>
        <source>Top-up payment</source>
        <translation>充值收款</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="477"/>
        <source>Topped up {principal}, bonus {bonus}. Receipt {receipt}. Change {change}. Balance {balance}</source>
        <translation>已充值 {principal}，赠送 {bonus}。小票号 {receipt}。找零 {change}。储值余额 {balance}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="493"/>
        <source>Payment PIN set</source>
        <translation>支付密码已设置</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="502"/>
        <source>Type the top-up&apos;s receipt number</source>
        <translation>请输入充值小票号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="526"/>
        <source>Top-up refund {receipt}: {principal} back, bonus {bonus} taken back</source>
        <translation>充值退款单 {receipt}：退本金 {principal}，扣回赠送 {bonus}</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="183"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="186"/>
        <location filename="../../ui/qt/manager/users.py" line="200"/>
        <source>Number</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="187"/>
        <location filename="../../ui/qt/manager/users.py" line="201"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="188"/>
        <location filename="../../ui/qt/manager/users.py" line="202"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="189"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="190"/>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="193"/>
        <source>Add a user…</source>
        <translation>添加用户…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="194"/>
        <source>New PIN…</source>
        <translation>重设密码…</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="195"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="196"/>
        <location filename="../../ui/qt/manager/users.py" line="215"/>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="203"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="204"/>
        <source>PIN again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="208"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="209"/>
        <location filename="../../ui/qt/manager/users.py" line="214"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="210"/>
        <source>Your current PIN</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="211"/>
        <source>New PIN</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="212"/>
        <source>New PIN again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="213"/>
        <source>Set PIN</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="216"/>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="217"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="238"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="238"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="281"/>
        <source>Select a user in the list first.</source>
        <translation>请先在列表中选择用户。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="331"/>
        <source>Added {number} ({role}).</source>
        <translation>已添加 {number}（{role}）。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="344"/>
        <source>New PIN for {number}</source>
        <translation>{number} 的新密码</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="376"/>
        <source>New PIN set for {number}.</source>
        <translation>已为 {number} 设置新密码。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="394"/>
        <source>{number} can log in again.</source>
        <translation>{number} 已解锁，可以登录。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="401"/>
        <source>Deactivate {number}? They can no longer log in.</source>
        <translation>停用 {number}？停用后无法登录。</translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="414"/>
        <source>{number} is deactivated.</source>
        <translation>{number} 已停用。</translation>
    </message>
</context>
<context>
    <name>WeightDialog</name>
    <message>
        <location filename="../../ui/qt/value.py" line="195"/>
        <source>Weight</source>
        <translation>称重</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="202"/>
        <source>grams off the scale, then Enter</source>
        <translation>输入秤上的克数，回车</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="204"/>
        <source>Weight (g)</source>
        <translation>重量（克）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="213"/>
        <source>Type the weight in grams, e.g. 532</source>
        <translation>请输入重量（克），例如 532</translation>
    </message>
</context>
<context>
    <name>XReportDialog</name>
    <message>
        <location filename="../../ui/qt/shift.py" line="338"/>
        <source>X report (shift so far)</source>
        <translation>当班报表（截至目前）</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="339"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="342"/>
        <source>Opened by {name} at {time}</source>
        <translation>{name} 于 {time} 开班</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="344"/>
        <source>Sales: {count}, {amount}</source>
        <translation>销售：{count} 笔，{amount}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="347"/>
        <source>  before discounts {gross}, discounts {discounts}</source>
        <translation>  原价 {gross}，优惠 {discounts}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="350"/>
        <source>Returns: {count}, {amount}</source>
        <translation>退货：{count} 笔，{amount}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="354"/>
        <source>Payments (net):</source>
        <translation>收款（净额）：</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="360"/>
        <source>Opening float: {amount}</source>
        <translation>备用金：{amount}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="361"/>
        <source>Cash in: {amount}</source>
        <translation>存入：{amount}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="362"/>
        <source>Cash out: {amount}</source>
        <translation>取出：{amount}</translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="363"/>
        <source>Expected cash: {amount}</source>
        <translation>应有现金：{amount}</translation>
    </message>
</context>
</TS>
