<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../../ui/qt/approval.py" line="42"/>
        <source>Approval needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/approval.py" line="54"/>
        <source>User number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/approval.py" line="55"/>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <location filename="../../ui/qt/camera.py" line="371"/>
        <source>Camera scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="376"/>
        <source>Hold the code in front of the camera. The scanner and the keyboard keep working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="383"/>
        <source>Starting the camera…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="389"/>
        <source>Close (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="507"/>
        <source>Member code read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="509"/>
        <source>Coupon read: {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="511"/>
        <source>Receipt number read: {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/camera.py" line="512"/>
        <source>Product code read: {code}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CashDialog</name>
    <message>
        <location filename="../../ui/qt/shift.py" line="98"/>
        <source>Cash in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="99"/>
        <source>Cash put into the drawer, e.g. more change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="101"/>
        <source>Cash out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="102"/>
        <source>Cash taken out of the drawer, e.g. a safe drop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="103"/>
        <source>Amount (¥)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="104"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="105"/>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="106"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="112"/>
        <source>Type an amount, e.g. 100 or 100.00</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckoutScreen</name>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="163"/>
        <source>Scan or type a barcode, member or coupon code, Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="171"/>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="172"/>
        <source>Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="173"/>
        <source>Unit price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="174"/>
        <source>Discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="175"/>
        <source>Net</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="211"/>
        <source>Subtotal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="213"/>
        <source>You save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="215"/>
        <source>To pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="233"/>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="234"/>
        <source>Camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="235"/>
        <location filename="../../ui/qt/checkout_screen.py" line="449"/>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="236"/>
        <location filename="../../ui/qt/checkout_screen.py" line="459"/>
        <source>Coupon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="237"/>
        <source>Points / rewards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="238"/>
        <source>Hold / resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="239"/>
        <source>Returns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="240"/>
        <source>Manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="241"/>
        <source>Void line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="242"/>
        <source>Cancel sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="243"/>
        <source>Top up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="244"/>
        <source>Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="245"/>
        <source>Pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="345"/>
        <source> (gift)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="347"/>
        <source> (reward, {points} points)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="380"/>
        <source>Change {change}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="437"/>
        <location filename="../../ui/qt/checkout_screen.py" line="444"/>
        <source>Select a line first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="450"/>
        <source>New quantity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="459"/>
        <source>Coupon code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="467"/>
        <source>Identify the member first (F2 or F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="487"/>
        <source>held at the till</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="502"/>
        <source>Sale held; F7 brings it back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CloseShiftDialog</name>
    <message>
        <location filename="../../ui/qt/shift.py" line="231"/>
        <source>Close the shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="233"/>
        <source>Type how many of each note and coin are in the drawer. Enter checks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="235"/>
        <source>Expected cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="236"/>
        <source>Counted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="237"/>
        <source>Variance (over + / short −)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="238"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="239"/>
        <source>Check count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="240"/>
        <source>Close shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="269"/>
        <source>Check the figures, then close the shift.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="281"/>
        <source>+{amount} over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="283"/>
        <source>−{amount} short</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="285"/>
        <source>{amount}, exact</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="26"/>
        <source>Welcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="68"/>
        <source>Welcome!</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="75"/>
        <source>You save {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="79"/>
        <source>To pay {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="83"/>
        <source>Change {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="85"/>
        <source>Thank you!</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="87"/>
        <source>You earned {points} points.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="16"/>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="20"/>
        <source>Code + Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="21"/>
        <source>product, member, coupon or receipt (one reader decides)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="23"/>
        <source>quantity before a code, e.g. 3*6901234567892</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="24"/>
        <source>find a member (number, phone, last 4 digits)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="25"/>
        <source>scan with the camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="26"/>
        <source>quantity of the selected line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="27"/>
        <source>coupon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="28"/>
        <source>pay with points, or a reward for points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="29"/>
        <source>hold / resume the sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="30"/>
        <source>returns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="31"/>
        <source>manager menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="32"/>
        <source>find a receipt, preview and reprint it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="33"/>
        <source>stored value: top up, refund a top-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="34"/>
        <source>void the selected line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="35"/>
        <source>pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="36"/>
        <source>close a dialog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="37"/>
        <source>In payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="37"/>
        <source>digits = amount, Enter = cash (empty = exact)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="38"/>
        <source>C bank card, W WeChat Pay, A Alipay, Backspace takes back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="39"/>
        <source>S stored value (the member&apos;s app code or payment PIN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="46"/>
        <source>Press any key to close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="105"/>
        <source>Import data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="107"/>
        <source>Products (CSV or JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="108"/>
        <source>Members (CSV or JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="109"/>
        <source>Promotions (JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="110"/>
        <source>Coupons (JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="111"/>
        <source>Rewards catalogue (JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="115"/>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="116"/>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="117"/>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="120"/>
        <source>Check the file first: every bad row is listed and nothing is written. Existing items are updated. Formats: docs/imports.md.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="124"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="125"/>
        <source>Check file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="126"/>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="138"/>
        <source>Choose a file to import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="141"/>
        <source>CSV or JSON files (*.csv *.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="152"/>
        <source>Choose the file to import first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="156"/>
        <source>Check the file first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="179"/>
        <source>Checking every row…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="179"/>
        <source>Importing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="201"/>
        <source>{created} new, {updated} updated, {unchanged} unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="206"/>
        <source>{rows} rows are good; importing would give: {counts}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/imports.py" line="212"/>
        <source>Imported {rows} rows: {counts}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="71"/>
        <source>User number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="72"/>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="77"/>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="91"/>
        <source>Locked. {name}, type your PIN to go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="134"/>
        <source>Only this shift&apos;s cashier or a supervisor can unlock</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../ui/qt/login.py" line="61"/>
        <source>Operator no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/login.py" line="62"/>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/login.py" line="67"/>
        <source>Log in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/qt/main_window.py" line="109"/>
        <source>Receipts F10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="118"/>
        <source>Printing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="150"/>
        <source>Printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="150"/>
        <source>Camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="150"/>
        <source>HQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="199"/>
        <source>Paid. Receipt {receipt}. Change {change}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="203"/>
        <source>  Points +{earned}, balance {balance}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="207"/>
        <source>  Stored value left {balance}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="211"/>
        <source>  Coupon {code} issued, valid {start} to {end}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="247"/>
        <source>parked when the till closed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ManagerMenu</name>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="114"/>
        <source>Manager menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="116"/>
        <source>Logged in: {name} ({role})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="121"/>
        <source>Cash in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="122"/>
        <source>Cash out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="123"/>
        <source>X report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="124"/>
        <source>Close shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="125"/>
        <source>Reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="126"/>
        <source>Refused by HQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="127"/>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="128"/>
        <source>Import data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="129"/>
        <source>Back up now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="130"/>
        <source>Restore a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="131"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="132"/>
        <source>Log out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="137"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="170"/>
        <source>Cash in {amount} recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="172"/>
        <source>Cash out {amount} recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="184"/>
        <source>Shift closed; the Z slip is printing. The next cashier opens a new shift.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="256"/>
        <source>Backing up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="262"/>
        <source>Backup written: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="274"/>
        <source>Finish or hold the sale first: a restore replaces it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/menu.py" line="318"/>
        <source>held when the cashier left</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberDataDialog</name>
    <message>
        <location filename="../../ui/qt/members/data.py" line="53"/>
        <source>Member data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="61"/>
        <source>Member number, phone or last 4 digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="67"/>
        <source>Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="70"/>
        <source>Show data report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="85"/>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="85"/>
        <source>Stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="96"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="100"/>
        <source>e.g. the member asked to be erased</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="103"/>
        <source>Erase member…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="107"/>
        <source>Erase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="107"/>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="114"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="160"/>
        <location filename="../../ui/qt/members/data.py" line="232"/>
        <source>Find the member first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="190"/>
        <source>Data processing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="191"/>
        <source>Marketing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="196"/>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="196"/>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="205"/>
        <source>Member number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="206"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="207"/>
        <source>Mobile phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="208"/>
        <source>Birthday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="209"/>
        <source>Referred by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="210"/>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="211"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="212"/>
        <source>Registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="213"/>
        <source>Last changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="214"/>
        <source>Consents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="216"/>
        <source>Points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="217"/>
        <source>balance {balance}, {entries} entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="222"/>
        <source>Coupons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="223"/>
        <source>Sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="224"/>
        <source>Internal id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="236"/>
        <source>Erase member {member_no}? Name, phone and birthday are removed for good; points and sales stay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/data.py" line="274"/>
        <source>Member {member_no} erased.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberLookupDialog</name>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="50"/>
        <source>Find a member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="54"/>
        <source>Member number, phone number or the last 4 digits of the phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="64"/>
        <source>Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="74"/>
        <source>More members match: type the whole phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="79"/>
        <source>Line no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="88"/>
        <source>Choose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="100"/>
        <source>Replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="100"/>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="106"/>
        <source>New member…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="108"/>
        <source>Member data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="110"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="164"/>
        <source>Ask the customer which one is theirs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/lookup.py" line="179"/>
        <source>Choose a line from 1 to {count} in the list.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberPanel</name>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="82"/>
        <source>No member (F2 to find, F3 to scan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="90"/>
        <source>Points {points} (as of {time})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="97"/>
        <source>Can pay {points} points = {value} now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="103"/>
        <source>{points} points expire within {days} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="108"/>
        <source>Stored value {total} (paid {principal}, bonus {bonus})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="114"/>
        <source>, offline {can} usable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="119"/>
        <source>Stored value: none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="122"/>
        <source>Coupons: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="126"/>
        <source>🎂 Birthday month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="128"/>
        <source>Usually buys:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberPinDialog</name>
    <message>
        <location filename="../../ui/qt/value.py" line="226"/>
        <source>Member payment PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="228"/>
        <source>Customer: please type your 6-digit payment PIN</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OpenShiftDialog</name>
    <message>
        <location filename="../../ui/qt/login.py" line="161"/>
        <source>Open the shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/login.py" line="163"/>
        <source>Count the float into the drawer and type it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/login.py" line="170"/>
        <source>Float (¥)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/login.py" line="194"/>
        <source>Type an amount, e.g. 500 or 500.00</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ParkedDialog</name>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="83"/>
        <source>Sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="84"/>
        <source>Stored value top-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="85"/>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="86"/>
        <source>Member erasure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="91"/>
        <source>Records HQ refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="94"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="98"/>
        <source>Record id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="95"/>
        <source>Receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="97"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="96"/>
        <source>Recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="108"/>
        <source>HQ refused these records; they stay on this till and are not sent again. Tell HQ the record id and the reason.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="113"/>
        <source>HQ has refused no record of this till.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/parked.py" line="114"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../../ui/qt/payment.py" line="73"/>
        <source>Payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="113"/>
        <source>Take back last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="175"/>
        <source>Due {due}   still to pay {left}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="187"/>
        <source>Change {change}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="208"/>
        <source>The amount {text} is not valid, e.g. 35.50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="232"/>
        <source>{method} reference, then Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="244"/>
        <source>A card or app payment cannot be more than what is left</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PointsDialog</name>
    <message>
        <location filename="../../ui/qt/value.py" line="100"/>
        <source>Points and rewards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="106"/>
        <source>Points {points}; this sale can take up to {most} points = {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="117"/>
        <source>points, then Enter (0 = none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="119"/>
        <source>Pay with points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="121"/>
        <source>Rewards for points (Enter redeems)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="130"/>
        <source>Redeem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="143"/>
        <source>No rewards in the catalogue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="146"/>
        <source>{name}   {points} points</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrintTroubleBar</name>
    <message>
        <location filename="../../ui/qt/printing.py" line="177"/>
        <location filename="../../ui/qt/printing.py" line="199"/>
        <source>Reprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/printing.py" line="199"/>
        <source>Printing…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReceiptPreview</name>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="194"/>
        <source>Receipt preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="212"/>
        <location filename="../../ui/qt/receipt_preview.py" line="249"/>
        <source>Drawing the receipt…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="229"/>
        <source>Reprint (marked REPRINT)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="232"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="270"/>
        <source>printed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="271"/>
        <source>not printed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="272"/>
        <source>waiting to print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="273"/>
        <source>printing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="319"/>
        <source>Reprint sent to the printer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReceiptsDialog</name>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="347"/>
        <source>Receipts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="353"/>
        <source>Scan or type a receipt number, Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="357"/>
        <source>Latest printouts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="367"/>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/receipt_preview.py" line="370"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RegisterMemberDialog</name>
    <message>
        <location filename="../../ui/qt/members/register.py" line="56"/>
        <source>New member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="64"/>
        <source>MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="66"/>
        <source>Mobile phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="67"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="68"/>
        <source>Birthday (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="69"/>
        <source>Referred by (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="75"/>
        <source>The member agrees to the text above (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="80"/>
        <source>The member agrees to the text above (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="83"/>
        <source>Replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="83"/>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="90"/>
        <source>Register</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="92"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="200"/>
        <source>Registered as {member_no}. {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/members/register.py" line="210"/>
        <source>Registered as {member_no}; the member already on the sale stays.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="317"/>
        <source>Reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="318"/>
        <source>Business days:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="320"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="321"/>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="322"/>
        <source>This week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="323"/>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="324"/>
        <source>Last month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="325"/>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="329"/>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="331"/>
        <source>Sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="332"/>
        <source>Products</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="333"/>
        <source>Tenders and tax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="334"/>
        <source>Cashiers and promotions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="335"/>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="339"/>
        <location filename="../../ui/qt/reports/screen.py" line="441"/>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="340"/>
        <location filename="../../ui/qt/reports/screen.py" line="446"/>
        <source>Export PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="341"/>
        <source>Print X report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="342"/>
        <source>Take Z report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="343"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="386"/>
        <source>Adding up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="421"/>
        <source>Net sales by hour (yuan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="422"/>
        <source>Daily net sales (yuan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="424"/>
        <source>Paid by category (yuan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="426"/>
        <source>Tender mix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="460"/>
        <source>Could not write {path}: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="463"/>
        <source>Exported {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="475"/>
        <source>Store reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/reports/screen.py" line="515"/>
        <source>{report} report queued for the receipt printer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="132"/>
        <source>Restore a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="135"/>
        <source>A restore replaces the store with a backup. Close every other posterm program first. This till opens the restored store and everyone logs in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="139"/>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="140"/>
        <source>Keep what is newer in the current store (carry over)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="142"/>
        <source>The current store is damaged: replace it without comparing (force)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="144"/>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="145"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="146"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="147"/>
        <source>Restore…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="154"/>
        <source>Choose a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="157"/>
        <source>Store backups (*.sqlite3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="165"/>
        <source>Choose the backup to restore first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="168"/>
        <source>Replace the store with {file}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="205"/>
        <source>Restoring…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="229"/>
        <source>Restored {file}. Everyone logs in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="234"/>
        <source>Carried over: {kept}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/backup.py" line="248"/>
        <source>The store could not be opened again: close posterm and start it again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnsDialog</name>
    <message>
        <location filename="../../ui/qt/returns.py" line="76"/>
        <source>Returns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="84"/>
        <source>Scan the receipt or type its number, Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="88"/>
        <source>Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="92"/>
        <source>Show receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="105"/>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="106"/>
        <source>Bought</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="107"/>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="108"/>
        <source>Left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="109"/>
        <source>Paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="110"/>
        <source>Return now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="128"/>
        <source>Everything left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="130"/>
        <source>Nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="137"/>
        <source>Coupons bought with points to give back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="147"/>
        <source>Reason (required), then Enter to refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="170"/>
        <source>Show refund slip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="176"/>
        <source>Refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="179"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="278"/>
        <source>Receipt {receipt}: {count} lines, paid {paid}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="332"/>
        <source>Choose the units to return first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="378"/>
        <location filename="../../ui/qt/returns.py" line="398"/>
        <source>Returned. Refund slip {receipt}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="407"/>
        <source>Refund {total}: {split}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="410"/>
        <source>Points taken back: {points}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="414"/>
        <source>Points given back: {points}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="418"/>
        <source>{points} points were already spent: {amount} kept from the refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="424"/>
        <source>Coupons back: {codes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="428"/>
        <source>Coupons taken back: {codes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/returns.py" line="433"/>
        <source>A coupon it issued was already used: {amount} kept from the refund</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetPinDialog</name>
    <message>
        <location filename="../../ui/qt/value.py" line="257"/>
        <source>New payment PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="259"/>
        <source>Customer: choose a 6-digit payment PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="267"/>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="268"/>
        <source>Again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="285"/>
        <source>The two PINs differ: type them again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="302"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="304"/>
        <source>Store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="305"/>
        <source>Printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="306"/>
        <source>Camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="307"/>
        <location filename="../../ui/qt/manager/settings.py" line="329"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="308"/>
        <source>HQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="313"/>
        <source>Store code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="314"/>
        <source>Terminal code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="315"/>
        <source>Store name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="316"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="317"/>
        <source>Receipt footer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="318"/>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="319"/>
        <source>File or device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="320"/>
        <source>Printer address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="321"/>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="322"/>
        <source>USB vendor id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="323"/>
        <source>USB product id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="324"/>
        <source>Serial port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="325"/>
        <source>Speed (baud)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="326"/>
        <source>CUPS queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="327"/>
        <source>Paper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="328"/>
        <source>Camera source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="330"/>
        <source>HQ address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="331"/>
        <source>Enrolment code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="336"/>
        <source>File or device node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="337"/>
        <source>Network (TCP 9100)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="338"/>
        <source>USB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="339"/>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="340"/>
        <source>CUPS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="344"/>
        <location filename="../../ui/qt/manager/settings.py" line="349"/>
        <location filename="../../ui/qt/manager/settings.py" line="356"/>
        <location filename="../../ui/qt/manager/settings.py" line="362"/>
        <location filename="../../ui/qt/manager/settings.py" line="366"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="346"/>
        <source>Test print tries what the form says, saved or not; Save keeps it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="348"/>
        <source>Test print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="350"/>
        <source>Scan codes with the camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="351"/>
        <source>0, a video file or rtsp://…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="353"/>
        <source>Test camera opens what the form says for a few frames and shows one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="355"/>
        <source>Test camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="358"/>
        <source>No picture yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="360"/>
        <source>The new language shows at once, here and in the messages of the till.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="364"/>
        <source>The HQ address Enrol uses; Save keeps it in config.toml. Empty: no HQ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="369"/>
        <source>Enrol links this till to HQ at the address above with the one-time code HQ issued; then the till syncs by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="373"/>
        <source>Enrol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="374"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="417"/>
        <source>Saved. Receipts from now on show it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="459"/>
        <source>Saved. The till prints there from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="523"/>
        <source>Saved. The camera (F3) uses it from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="562"/>
        <source>No picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="591"/>
        <source>Language changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="612"/>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/settings.py" line="632"/>
        <source>Enrolled with HQ at {url} as store {store}, terminal {terminal}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TopUpDialog</name>
    <message>
        <location filename="../../ui/qt/value.py" line="316"/>
        <source>Stored value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="324"/>
        <source>Top up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="327"/>
        <source>amount, Enter shows the bonus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="330"/>
        <location filename="../../ui/qt/value.py" line="350"/>
        <source>Amount (yuan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="335"/>
        <source>Take the money</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="342"/>
        <source>Refund a top-up (manager)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="346"/>
        <source>empty = all unspent principal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="349"/>
        <source>Top-up receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="351"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="352"/>
        <source>Refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="363"/>
        <source>Member sets a payment PIN…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="380"/>
        <source>No member: identify the member to top up (F2 or F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="383"/>
        <source>Member {member}: balance {total} (paid {principal}, bonus {bonus})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="405"/>
        <source>The amount {text} is not valid, e.g. 500</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="419"/>
        <source>Identify the member first (F2 or F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="437"/>
        <source>{rule}: bonus {bonus}, the balance grows by {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="441"/>
        <source>No bonus for {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="442"/>
        <source>  — Enter takes the money</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="448"/>
        <source>Top-up payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="477"/>
        <source>Topped up {principal}, bonus {bonus}. Receipt {receipt}. Change {change}. Balance {balance}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="493"/>
        <source>Payment PIN set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="502"/>
        <source>Type the top-up&apos;s receipt number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="526"/>
        <source>Top-up refund {receipt}: {principal} back, bonus {bonus} taken back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="183"/>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="186"/>
        <location filename="../../ui/qt/manager/users.py" line="200"/>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="187"/>
        <location filename="../../ui/qt/manager/users.py" line="201"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="188"/>
        <location filename="../../ui/qt/manager/users.py" line="202"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="189"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="190"/>
        <source>Locked until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="193"/>
        <source>Add a user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="194"/>
        <source>New PIN…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="195"/>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="196"/>
        <location filename="../../ui/qt/manager/users.py" line="215"/>
        <source>Deactivate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="203"/>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="204"/>
        <source>PIN again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="208"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="209"/>
        <location filename="../../ui/qt/manager/users.py" line="214"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="210"/>
        <source>Your current PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="211"/>
        <source>New PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="212"/>
        <source>New PIN again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="213"/>
        <source>Set PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="216"/>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="217"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="238"/>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="238"/>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="281"/>
        <source>Select a user in the list first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="331"/>
        <source>Added {number} ({role}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="344"/>
        <source>New PIN for {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="376"/>
        <source>New PIN set for {number}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="394"/>
        <source>{number} can log in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="401"/>
        <source>Deactivate {number}? They can no longer log in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/manager/users.py" line="414"/>
        <source>{number} is deactivated.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeightDialog</name>
    <message>
        <location filename="../../ui/qt/value.py" line="195"/>
        <source>Weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="202"/>
        <source>grams off the scale, then Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="204"/>
        <source>Weight (g)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/value.py" line="213"/>
        <source>Type the weight in grams, e.g. 532</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>XReportDialog</name>
    <message>
        <location filename="../../ui/qt/shift.py" line="338"/>
        <source>X report (shift so far)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="339"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="342"/>
        <source>Opened by {name} at {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="344"/>
        <source>Sales: {count}, {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="347"/>
        <source>  before discounts {gross}, discounts {discounts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="350"/>
        <source>Returns: {count}, {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="354"/>
        <source>Payments (net):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="360"/>
        <source>Opening float: {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="361"/>
        <source>Cash in: {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="362"/>
        <source>Cash out: {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/shift.py" line="363"/>
        <source>Expected cash: {amount}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
