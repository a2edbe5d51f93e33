<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../../ui/qt/approval.py" line="43"/>
        <source>Approval needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/approval.py" line="55"/>
        <source>User number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/approval.py" line="56"/>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckoutScreen</name>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="144"/>
        <source>Scan or type a barcode, member or coupon code, Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="152"/>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="153"/>
        <source>Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="154"/>
        <source>Unit price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="155"/>
        <source>Discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="156"/>
        <source>Net</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="190"/>
        <source>Subtotal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="192"/>
        <source>You save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="194"/>
        <source>To pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="208"/>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="209"/>
        <source>Camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="210"/>
        <location filename="../../ui/qt/checkout_screen.py" line="376"/>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="211"/>
        <location filename="../../ui/qt/checkout_screen.py" line="386"/>
        <source>Coupon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="212"/>
        <source>Points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="213"/>
        <source>Hold / resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="214"/>
        <source>Returns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="215"/>
        <source>Manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="216"/>
        <source>Void line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="217"/>
        <source>Cancel sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="218"/>
        <source>Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="219"/>
        <source>Pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="292"/>
        <source> (gift)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="364"/>
        <location filename="../../ui/qt/checkout_screen.py" line="371"/>
        <source>Select a line first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="377"/>
        <source>New quantity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="386"/>
        <source>Coupon code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="393"/>
        <source>Identify the member first (F2 or F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="396"/>
        <source>Pay with points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="396"/>
        <source>Points to use:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="406"/>
        <source>held at the till</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="421"/>
        <source>Sale held; F7 brings it back</source>
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
        <location filename="../../ui/qt/customer_display.py" line="74"/>
        <source>You save {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="78"/>
        <source>To pay {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="82"/>
        <source>Change {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="84"/>
        <source>Thank you!</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/customer_display.py" line="86"/>
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
        <source>pay with points</source>
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
        <source>void the selected line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="33"/>
        <source>pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="34"/>
        <source>close a dialog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="35"/>
        <source>In payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="35"/>
        <source>digits = amount, Enter = cash (empty = exact)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="36"/>
        <source>C bank card, W WeChat Pay, A Alipay, Backspace takes back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/help_overlay.py" line="43"/>
        <source>Press any key to close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="62"/>
        <source>User number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="63"/>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="68"/>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="82"/>
        <source>Locked. {name}, type your PIN to go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/idle_lock.py" line="125"/>
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
        <location filename="../../ui/qt/main_window.py" line="98"/>
        <source>Printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="98"/>
        <source>Camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="98"/>
        <source>HQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="133"/>
        <source>Paid. Receipt {receipt}. Change {change}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="137"/>
        <source>  Points +{earned}, balance {balance}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/main_window.py" line="155"/>
        <source>parked when the till closed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberPanel</name>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="78"/>
        <source>No member (F2 to find, F3 to scan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="86"/>
        <source>Points {points} (as of {time})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="92"/>
        <source>Can pay {points} points = {value} now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="98"/>
        <source>{points} points expire within {days} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="102"/>
        <source>Stored value: none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="105"/>
        <source>Coupons: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="109"/>
        <source>🎂 Birthday month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/checkout_screen.py" line="111"/>
        <source>Usually buys:</source>
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
    <name>PaymentDialog</name>
    <message>
        <location filename="../../ui/qt/payment.py" line="67"/>
        <source>Payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="113"/>
        <source>Take back last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="147"/>
        <source>Due {due}   still to pay {left}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="159"/>
        <source>Change {change}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="180"/>
        <source>The amount {text} is not valid, e.g. 35.50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="198"/>
        <source>{method} reference, then Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/qt/payment.py" line="210"/>
        <source>A card or app payment cannot be more than what is left</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
