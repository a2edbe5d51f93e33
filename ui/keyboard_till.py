"""A keyboard till in the terminal: every checkout use case, one line at a time.

It drives exactly the core calls the GUI will (Checkout, returns, shifts,
auth), so it doubles as a headless way to run the store. A handheld scanner
types a barcode followed by Enter, which is all this needs.

Input and output are injected (``ask`` / ``ask_secret`` / ``say``) so tests
can feed it lines and read what a cashier would see.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import UTC, datetime

from terminal import auth, members, print_jobs, shifts
from terminal.checkout import Checkout
from terminal.checkout_settings import CheckoutSettings
from terminal.classifier import classify
from terminal.errors import PosError
from terminal.money import format_yuan, parse_yuan
from terminal.pii import MemberVault
from terminal.pricing.model import PricedBasket
from terminal.receipts import z_report_document
from terminal.returns import process_return, returnable_lines
from terminal.store.database import Database
from terminal.tenders import Tender

HELP = """\
扫码或输入条码/SKU 加入商品；数量：3*条码
  m 会员号            识别会员          c 券号       使用优惠券
  p 积分              使用积分          void 行号    删除行（需主管）
  qty 行号 数量       改数量            price 行号 金额 原因   改价（需主管）
  disc 行号 金额 原因  单品折让（需主管）
  pay                 结账（现金/银行卡/微信/支付宝）
  hold [备注] / resume [编号]   挂单 / 取单
  return 小票号 [行号=数量 ...]  退货（需主管）
  x                   当班报表      close   交班
  cancel              清空本单      help    帮助      quit  退出"""


class KeyboardTill:
    """One cashier session at the keyboard."""

    def __init__(
        self,
        db: Database,
        settings: CheckoutSettings,
        *,
        ask: Callable[[str], str] = input,
        ask_secret: Callable[[str], str] | None = None,
        say: Callable[[str], None] = print,
        clock: Callable[[], datetime] | None = None,
        lockout: tuple[int, int] = (5, 5),
        vault: MemberVault | None = None,
        after_commit: Callable[[], list[str]] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.ask = ask
        self.ask_secret = ask_secret or ask
        self.say = say
        self.clock = clock or (lambda: datetime.now(UTC))
        self.max_attempts, self.lock_minutes = lockout
        self.vault = vault
        # run after every sale, return and shift close (e.g. print the receipt);
        # returns lines for the cashier, such as why the printer refused
        self.after_commit = after_commit or (lambda: [])
        self.checkout: Checkout | None = None
        self.cashier: auth.Actor | None = None

    # --- helpers ----------------------------------------------------------------------

    def _login(self, prompt: str) -> auth.Actor:
        username = self.ask(f"{prompt} 工号: ").strip()
        pin = self.ask_secret("密码: ")
        with self.db.transaction() as session:
            return auth.login(
                session,
                username,
                pin,
                now=self.clock(),
                terminal_id=self.settings.terminal_id,
                max_attempts=self.max_attempts,
                lock_minutes=self.lock_minutes,
            )

    def _approver(self, perm: auth.Permission) -> auth.Actor | None:
        """The cashier if allowed, else one supervisor override for this action."""
        assert self.cashier is not None
        if self.cashier.can(perm):
            return None
        self.say("需要主管授权 / supervisor approval needed")
        username = self.ask("主管工号: ").strip()
        pin = self.ask_secret("主管密码: ")
        with self.db.transaction() as session:
            return auth.supervisor_override(
                session,
                username=username,
                pin=pin,
                perm=perm,
                now=self.clock(),
                terminal_id=self.settings.terminal_id,
            )

    def show(self, priced: PricedBasket) -> None:
        for i, line in enumerate(priced.lines, start=1):
            gift = "（赠品）" if line.is_gift else ""
            self.say(
                f"{i:>2}. {line.product.name}{gift}  {line.qty} × "
                f"{format_yuan(line.unit_price)} = {format_yuan(line.net)}"
            )
        for text in priced.explanation:
            self.say(f"    {text}")
        self.say(
            f"合计 {format_yuan(priced.subtotal)}  优惠 {format_yuan(priced.discount_total)}"
            f"  应付 ¥{format_yuan(priced.payable)}"
        )

    def _member(self, text: str) -> None:
        """Identify a member by code, member number, phone, or the last 4 digits of it."""
        co = self.checkout
        assert co is not None
        digits = text.strip()
        if self.vault is not None and digits.isdigit() and len(digits) == 4:
            with self.db.sessions() as session:
                found = members.find_by_last4(session, self.vault, digits)
            for i, m in enumerate(found.matches, start=1):
                self.say(f"{i}. {m.member_no}  {m.masked_name}  {m.masked_phone}  {m.tier_name}")
            if not found.matches:
                self.say("没有尾号匹配的会员 / no member with these last digits")
                return
            pick = self.ask("选择序号: ").strip()
            self.show(co.attach_member(found.matches[int(pick) - 1].member_no))
            return
        if self.vault is not None and len(digits) >= 11 and digits.lstrip("+").isdigit():
            with self.db.sessions() as session:
                member_no = members.find_by_phone(session, self.vault, digits).member_no
            self.show(co.attach_member(member_no))
            return
        self.show(co.scan(text))

    def _open_shift(self) -> None:
        """Ask for the opening float until the shift opens."""
        assert self.cashier is not None
        while True:
            opening = self._ask_amount("开班备用金（元）: ")
            try:
                with self.db.transaction() as session:
                    shifts.open_shift(
                        session,
                        terminal_id=self.settings.terminal_id,
                        actor=self.cashier,
                        opening_float=opening,
                        now=self.clock(),
                    )
            except PosError as exc:
                self.say(f"！ {exc}")
                continue
            self.say("已开班")
            return

    def _ask_amount(self, prompt: str) -> int:
        """An amount in yuan (Enter = 0), asked again until it is one."""
        while True:
            try:
                return parse_yuan(self.ask(prompt).strip() or "0")
            except ValueError:
                self.say("！ 请输入金额，例如 500 或 500.00 / type an amount, e.g. 500.00")

    def _line_id(self, number: str) -> str:
        assert self.checkout is not None
        index = int(number) - 1
        if not 0 <= index < len(self.checkout.lines):
            raise PosError(f"没有第 {number} 行 / no line {number}")
        return self.checkout.lines[index].line_id

    # --- commands ---------------------------------------------------------------------

    def _pay(self) -> None:
        co = self.checkout
        assert co is not None
        priced = co.quote()
        tenders: list[Tender] = []
        due = priced.payable
        while sum(t.amount for t in tenders) < due or (due == 0 and not tenders):
            left = due - sum(t.amount for t in tenders)
            words = self.ask(
                f"还需 ¥{format_yuan(left)}，支付方式 [cash|card|wechat|alipay] 金额"
                " [流水号]（回车=现金付清）: "
            ).split()
            if not words:
                tenders.append(Tender("cash", left))
                break
            method = words[0]
            amount = parse_yuan(words[1]) if len(words) > 1 else left
            tenders.append(Tender(method, amount, words[2] if len(words) > 2 else ""))
        result = co.pay(tenders, expected_payable=due)
        self.say(f"已收款，小票号 {result.receipt_no}  找零 ¥{format_yuan(result.change)}")
        if result.points_balance is not None:
            self.say(f"本单积分 +{result.points_earned}，积分余额 {result.points_balance}")
        self._committed()

    def _committed(self) -> None:
        for line in self.after_commit():
            self.say(line)

    def _return(self, args: list[str]) -> None:
        receipt = args[0]
        lines = returnable_lines(self.db, receipt)
        for rl in lines:
            self.say(f"{rl.line_no:>2}. {rl.name}  已购 {rl.qty}  可退 {rl.remaining}")
        quantities = None
        if len(args) > 1:
            quantities = {int(k): int(v) for k, v in (a.split("=") for a in args[1:])}
        reason = self.ask("退货原因: ")
        approver = self._approver(auth.Permission.REFUND)
        assert self.cashier is not None
        result = process_return(
            self.db,
            self.settings,
            self.cashier,
            receipt_no=receipt,
            reason=reason,
            quantities=quantities,
            approver=approver,
            clock=self.clock,
            vault=self.vault,
        )
        refunds = "，".join(f"{m} ¥{format_yuan(v)}" for m, v in result.refunds.items())
        self.say(f"退货单 {result.receipt_no}，退款 ¥{format_yuan(result.refund)}（{refunds}）")
        self._committed()

    def _close(self) -> None:
        assert self.cashier is not None
        counts: dict[int, int] = {}
        for denom in (10000, 5000, 2000, 1000, 500, 100, 50, 10):
            n = self.ask(f"{format_yuan(denom)} 元 张/枚数: ").strip()
            if n:
                counts[denom] = int(n)
        approver = self._approver(auth.Permission.SHIFT_CLOSE)
        with self.db.transaction() as session:
            summary = shifts.close_shift(
                session,
                terminal_id=self.settings.terminal_id,
                actor=self.cashier,
                counts=counts,
                now=self.clock(),
                approver=approver,
            )
            print_jobs.enqueue(  # the Z summary, printed with the close
                session,
                z_report_document(session, summary, tz=self.settings.tz.key),
                kind="z_report",
                now=self.clock(),
            )
        self._committed()
        self.say(
            f"交班完成：应有现金 ¥{format_yuan(summary.expected_cash)}，"
            f"实点 ¥{format_yuan(summary.counted_cash or 0)}，"
            f"差异 ¥{format_yuan(summary.variance or 0)}"
        )

    def handle(self, line: str) -> bool:
        """Run one input line; returns False when the cashier quits."""
        co = self.checkout
        assert co is not None
        if classify(line).kind != "unknown":  # a scan: codes may hold spaces (Base45)
            self.show(co.scan(line))
            return True
        words = shlex.split(line)
        if not words:
            return True
        cmd, args = words[0].lower(), words[1:]
        if cmd in ("quit", "exit", "q"):
            return False
        if cmd == "help":
            self.say(HELP)
        elif cmd == "m":
            self._member(args[0])
        elif cmd == "c":
            self.show(co.apply_coupon(args[0]))
        elif cmd == "p":
            self.show(co.set_redeem_points(int(args[0])))
        elif cmd == "void":
            self.show(
                co.remove_line(self._line_id(args[0]), self._approver(auth.Permission.VOID_LINE))
            )
        elif cmd == "qty":
            line_id, qty = self._line_id(args[0]), int(args[1])
            current = next(ln.qty for ln in co.lines if ln.line_id == line_id)
            approver = self._approver(auth.Permission.VOID_LINE) if qty < current else None
            self.show(co.set_qty(line_id, qty, approver))
        elif cmd == "price":
            self.show(
                co.override_price(
                    self._line_id(args[0]),
                    parse_yuan(args[1]),
                    " ".join(args[2:]),
                    self._approver(auth.Permission.PRICE_OVERRIDE),
                )
            )
        elif cmd == "disc":
            self.show(
                co.discount_line(
                    self._line_id(args[0]),
                    parse_yuan(args[1]),
                    " ".join(args[2:]),
                    self._approver(auth.Permission.MANUAL_DISCOUNT),
                )
            )
        elif cmd == "pay":
            self._pay()
        elif cmd == "hold":
            self.say(f"已挂单 {co.suspend(' '.join(args))}")
        elif cmd == "resume":
            held = co.suspended()
            if not held:
                self.say("没有挂单 / nothing suspended")
            else:
                target = args[0] if args else held[-1].id
                self.show(co.resume(target))
        elif cmd == "return":
            self._return(args)
        elif cmd == "x":
            with self.db.sessions() as session:
                shift = shifts.require_open_shift(session, self.settings.terminal_id)
                s = shifts.shift_summary(session, shift)
            self.say(
                f"本班销售 {s.sales_count} 笔 ¥{format_yuan(s.net_sales)}，"
                f"退货 {s.returns_count} 笔 ¥{format_yuan(s.returns_total)}，"
                f"应有现金 ¥{format_yuan(s.expected_cash)}"
            )
        elif cmd == "close":
            self._close()
            return False
        elif cmd == "cancel":
            co.clear()
            self.say("本单已清空")
        else:
            qty, code = 1, words[0]
            if "*" in code:
                q, code = code.split("*", 1)
                qty = int(q)
            self.show(co.add(code, qty))
        return True

    def run(self) -> int:
        """Log in, make sure a shift is open, then sell until quit or end of input."""
        try:
            while self.cashier is None:
                try:
                    self.cashier = self._login("收银员")
                except PosError as exc:
                    self.say(f"！ {exc}")
            self.say(f"欢迎，{self.cashier.display_name}")
            with self.db.sessions() as session:
                shift_open = shifts.current_shift(session, self.settings.terminal_id) is not None
            if not shift_open:
                self._open_shift()
            self.checkout = Checkout(
                self.db, self.settings, self.cashier, clock=self.clock, vault=self.vault
            )
            self.say("输入 help 查看命令")
            while True:
                try:
                    if not self.handle(self.ask("扫码> ")):
                        return 0
                except PosError as exc:
                    self.say(f"！ {exc}")
                except (ValueError, IndexError):
                    self.say("！ 输入有误，输入 help 查看命令 / input not understood")
        except EOFError:
            return 0
