"""A keyboard till in the terminal: every checkout use case, one line at a time.

It drives exactly the core calls the GUI does (Checkout, returns, shifts,
auth) and holds no business rule of its own: the core validates, decides
who may do what and says why not; this front end asks for a supervisor's
approval when the core says one is needed (:class:`~terminal.auth.NeedsApproval`)
and calls again. A handheld scanner types a code followed by Enter, which is
all this needs.

Whatever is typed or fails underneath, the cashier reads one line, never a
traceback, and the basket survives: a refusal says why; text that cannot be
parsed says "input not understood"; anything unexpected is logged with its
traceback and reported as one line. Quitting or Ctrl-C with a basket open
parks it (挂单) so nothing rung up is lost.

Input and output are injected (``ask`` / ``ask_secret`` / ``say``) so tests
can feed it lines and read what a cashier would see.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from terminal import auth, events, members, messages, shift_close, shifts, topups
from terminal.checkout import Checkout
from terminal.checkout_settings import CheckoutSettings
from terminal.classifier import classify
from terminal.errors import PosError, StoreError
from terminal.money import format_kg, format_yuan, parse_yuan
from terminal.pii import MemberVault
from terminal.pricing.model import PricedBasket, PricedLine
from terminal.pricing.tax import VAT_LABEL
from terminal.returns import process_return, returnable_lines
from terminal.scan_input import split_quantity
from terminal.store.database import Database
from terminal.stored_value import Balance
from terminal.tenders import METHODS, NEEDS_REFERENCE, Tender, check_tender, method_name
from ui.till_login import ask_login, login_loop

log = logging.getLogger(__name__)

T = TypeVar("T")

HELP = """\
扫码或输入条码/SKU 加入商品（称重码自动读重量）；数量：3*条码；称重商品：w 克数 条码
  m 会员号/手机号/尾号4位/会员码   识别会员      c 券号         使用优惠券
  p 积分              使用积分          void 行号      删除行
  r                   积分兑换目录      r 兑换编号 [数量]   积分兑换商品或券
  qty 行号 数量       改数量            price 行号 金额 原因   改价
  disc 行号 金额 原因  单品折让
  pay                 结账（现金/银行卡/微信/支付宝/储值，可组合）
  sv                  储值余额          svpin [set]    会员输入（设置）支付密码
  topup 金额          储值充值          svrefund 充值小票号 [金额]   储值退款（店长）
  hold [备注] / resume [N]      挂单（给出编号 N）/ 取单
  return 小票号 [行号=数量 ...] [券号 ...]  退货（退兑换券：写券号）
  in 金额 原因 / out 金额 原因   存入 / 取出现金
  x                   当班报表（店长）  close   交班
  cancel              取消本单      help    帮助      quit  退出（未结账的单自动挂起）
需要授权时，系统会提示输入主管工号和密码。"""

COMMITS: tuple[events.Event, ...] = ("sale_committed", "return_committed", "shift_closed")
"""The core events after which the ``after_commit`` hook runs (sales and top-ups, returns
and top-up refunds, a closed shift's Z slip)."""

# What a cashier may type for each tender method at the payment prompt.
TENDER_WORDS: dict[str, str] = {
    "cash": "cash",
    "现金": "cash",
    "c": "cash",
    "card": "card",
    "卡": "card",
    "银行卡": "card",
    "k": "card",
    "wechat": "wechat",
    "微信": "wechat",
    "w": "wechat",
    "alipay": "alipay",
    "支付宝": "alipay",
    "a": "alipay",
    "sv": "stored_value",
    "储值": "stored_value",
    "s": "stored_value",
}


class NotUnderstood(ValueError):
    """What the cashier typed could not be parsed (the only "input not understood")."""


class StopSelling(Exception):
    """The till must stop (its store was replaced or cannot be written)."""


def _int(text: str) -> int:
    if not (text.isascii() and text.lstrip("-").isdigit()):
        raise NotUnderstood(text)
    return int(text)


def _yuan(text: str) -> int:
    try:
        return parse_yuan(text)
    except ValueError as exc:
        raise NotUnderstood(text) from exc


def _tender(method: str) -> str:
    """A tender method's name in the language of the till (现金, 微信支付 …)."""
    return messages.render(method_name(method).code)


def _zh(exc: PosError) -> str:
    return f"！ {exc}"


def line_text(line: PricedLine) -> str:
    """A basket line as the cashier reads it: name, quantity or weight, price, and why."""
    name = line.product.name
    if line.is_gift:
        name += "（赠品）"
    if line.reward_id is not None:
        name += f"（积分兑换 {line.reward_points} 积分）"
    if line.product.weighed:
        return f"{name}  {format_kg(line.qty)}kg × {format_yuan(line.unit_price)}/kg"
    return f"{name}  {line.qty} × {format_yuan(line.unit_price)}"


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
        after_cash_sale: Callable[[], list[str]] | None = None,
        idle_lock_minutes: int = 0,
        cashier: auth.Actor | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.ask = ask
        self.ask_secret = ask_secret or ask
        self.say = say
        self.clock = clock or (lambda: datetime.now(UTC))
        self.max_attempts, self.lock_minutes = lockout
        self.vault = vault
        # run after a line that committed a sale, return or shift close (e.g. print the
        # receipt): a subscriber of the core's events (:data:`COMMITS`) while the till
        # runs; returns lines for the cashier, such as why the printer refused
        self.after_commit = after_commit or (lambda: [])
        self._commits: list[str] = []  # core events seen during the current line
        # run first after a sale that took cash (open the drawer)
        self.after_cash_sale = after_cash_sale or (lambda: [])
        self.idle = timedelta(minutes=idle_lock_minutes) if idle_lock_minutes > 0 else None
        self.checkout: Checkout | None = None
        self.cashier: auth.Actor | None = cashier  # already logged in, or asked in run()
        self._last_input: datetime | None = None

    # --- asking -----------------------------------------------------------------------

    def _login(self, prompt: str) -> auth.Actor:
        return ask_login(
            self.db,
            self.settings.terminal_id,
            ask=self.ask,
            ask_secret=self.ask_secret,
            clock=self.clock,
            lockout=(self.max_attempts, self.lock_minutes),
            prompt=prompt,
        )

    def _approval(self, need: auth.NeedsApproval) -> auth.Actor:
        """Ask for the approval the core said is needed; one approval, one action."""
        self.say(_zh(need))
        username = self.ask("授权人工号: ").strip()
        pin = self.ask_secret("授权人密码: ")
        with self.db.transaction() as session:
            return auth.supervisor_override(
                session,
                username=username,
                pin=pin,
                perm=need.perm,
                now=self.clock(),
                terminal_id=self.settings.terminal_id,
                max_attempts=self.max_attempts,
                lock_minutes=self.lock_minutes,
                min_role=need.role,
            )

    def approved(self, action: Callable[[auth.Actor | None], T]) -> T:
        """Run ``action`` as the cashier; if the core asks for an approval, get one and retry."""
        try:
            return action(None)
        except auth.NeedsApproval as need:
            return action(self._approval(need))

    def _ask_amount(self, prompt: str) -> int:
        """An amount in yuan (Enter = 0), asked again until it is one."""
        while True:
            try:
                return parse_yuan(self.ask(prompt).strip() or "0")
            except ValueError:
                self.say("！ 请输入金额，例如 500 或 500.00 / type an amount, e.g. 500.00")

    # --- showing ----------------------------------------------------------------------

    def show(self, priced: PricedBasket) -> None:
        for i, line in enumerate(priced.lines, start=1):
            self.say(f"{i:>2}. {line_text(line)} = {format_yuan(line.net)}")
        for text in priced.explain():
            self.say(f"    {text}")
        self.say(
            f"合计 {format_yuan(priced.subtotal)}  优惠 {format_yuan(priced.discount_total)}"
            f"  应付 ¥{format_yuan(priced.payable)}"
        )
        if priced.taxes:
            taxes = "  ".join(
                f"{VAT_LABEL[t.vat]} {format_yuan(t.tax)}" for t in priced.taxes if t.tax
            )
            if taxes:
                self.say(f"    其中税额 {taxes}")

    def show_member(self) -> None:
        """The attached member as the cashier needs to see them (masked)."""
        co = self._co()
        if co.member_no is None:
            return
        if self.vault is None:  # no personal data to show: the member's value only
            sv = co.stored_value()
            if sv is not None and sv[0].total:
                self.say(self._value_line(*sv))
            return
        with self.db.sessions() as session:
            member = members.find_member(session, co.member_no)
            panel = members.member_panel(session, self.vault, member, co.today)
        points, value = co.redeemable_points()
        self.say(
            f"会员 {panel.member_no}  {panel.masked_name}  {panel.masked_phone}  "
            f"{panel.tier.name}（{panel.benefits}）"
        )
        line = f"    积分 {panel.points_balance}"
        if points:
            line += f"，本单最多可用 {points} 积分抵 ¥{format_yuan(value)}"
        if panel.points_expiring:
            line += f"，{panel.expiring_days}天内到期 {panel.points_expiring}"
        if panel.birthday_month:
            line += "，本月生日"
        self.say(line)
        if panel.coupons:
            held = "，".join(f"{c.code} {c.name}" for c in panel.coupons[:5])
            self.say(f"    可用券：{held}")
        sv = co.stored_value()
        if sv is not None and sv[0].total:
            self.say(self._value_line(*sv))

    def _value_line(self, held: Balance, can: int) -> str:
        total = held.total
        line = (
            f"    储值余额 ¥{format_yuan(total)}（本金 {format_yuan(held.principal)}，"
            f"赠送 {format_yuan(held.bonus)}）"
        )
        if can < total:
            line += f"，离线可用 ¥{format_yuan(can)}"
        return line

    # --- commands ---------------------------------------------------------------------

    def _co(self) -> Checkout:
        assert self.checkout is not None
        return self.checkout

    def _member(self, text: str) -> None:
        """Identify a member by card/app code, phone or the last 4 digits (the core's rule)."""
        co = self._co()
        found = co.find_member(text, replace=self._confirm_replace(text))
        if found.choices is not None:
            for i, m in enumerate(found.choices.matches, start=1):
                self.say(f"{i}. {m.member_no}  {m.masked_name}  {m.masked_phone}  {m.tier_name}")
            if found.choices.more:
                self.say("（只显示前几位，请输入完整手机号）")
            pick = self.ask("选择序号（回车取消）: ").strip()
            if not pick:
                return
            number = _int(pick)
            if not 1 <= number <= len(found.choices.matches):
                self.say(f"！ 请输入 1 到 {len(found.choices.matches)} 之间的序号")
                return
            chosen = found.choices.matches[number - 1].member_no
            priced = co.attach_member(chosen, replace=self._confirm_replace(chosen))
        else:
            assert found.priced is not None
            priced = found.priced
        self.show(priced)
        self.show_member()

    def _confirm_replace(self, text: str) -> bool:
        """Ask before another member replaces the one on the sale (never for the same one)."""
        co = self._co()
        if co.member_no is None or text.strip().upper() == co.member_no:
            return False
        answer = self.ask(f"本单已有会员 {co.member_no}，更换吗？(y/N) ").strip().lower()
        return answer in ("y", "yes", "是")

    def _pay(self) -> None:
        co = self._co()
        priced = co.quote()
        due = priced.payable
        tenders: list[Tender] = []
        while True:
            paid = sum(t.amount for t in tenders)
            if tenders and paid >= due:
                break
            if due == 0:
                break
            for t in tenders:
                self.say(f"    已收 {_tender(t.method)} ¥{format_yuan(t.amount)}")
            words = self.ask(
                f"还需 ¥{format_yuan(due - paid)}：现金/卡/微信/支付宝 金额"
                "（回车=现金付清，undo=撤回上一笔，cancel=返回）: "
            ).split()
            if not words:
                tenders.append(Tender("cash", due - paid))
                break
            word = words[0].lower()
            if word == "cancel":
                self.say("已返回购物车，本单未结账")
                return
            if word == "undo":
                if tenders:
                    taken = tenders.pop()
                    name = _tender(taken.method)
                    self.say(f"已撤回 {name} ¥{format_yuan(taken.amount)}")
                continue
            method = TENDER_WORDS.get(word)
            if method is None:
                self.say(f"！ 不认识的支付方式「{words[0][:10]}」，可用：{'、'.join(METHODS)}")
                continue
            try:
                amount = parse_yuan(words[1]) if len(words) > 1 else due - paid
            except ValueError:
                self.say(f"！ 金额「{words[1][:12]}」无效，例如 35.50")
                continue
            reference = " ".join(words[2:])
            if method in NEEDS_REFERENCE and not reference:
                name = _tender(method)
                reference = self.ask(f"{name}流水号: ").strip()
            if method == "stored_value" and co.member_id is not None and co.member_auth is None:
                try:  # the member types their own PIN (or shows the app code first)
                    co.verify_payment_pin(self.ask_secret("请会员输入支付密码: "))
                except PosError as exc:
                    self.say(_zh(exc))
                    continue
            tender = Tender(method, amount, reference)
            try:
                check_tender(tender)
            except PosError as exc:
                self.say(_zh(exc))
                continue
            tenders.append(tender)
        result = co.pay(tenders, expected_payable=due)
        self.say(f"已收款，小票号 {result.receipt_no}  找零 ¥{format_yuan(result.change)}")
        if result.points_balance is not None:
            self.say(f"本单积分 +{result.points_earned}，积分余额 {result.points_balance}")
        for issued in result.coupons_issued:
            until = issued.valid_to.astimezone(self.settings.tz)
            start = issued.valid_from.astimezone(self.settings.tz)
            self.say(f"赠券 {issued.code}（{start:%Y-%m-%d} 至 {until:%Y-%m-%d} 有效，已打印）")
        if any(t.method == "stored_value" for t in tenders):
            self.say(f"储值余额 ¥{format_yuan(result.stored_value_balance or 0)}")
        if result.cash_tendered:
            for line in self.after_cash_sale():
                self.say(line)

    def _committed(self, event: str, **_details: object) -> None:
        """A core event of :data:`COMMITS`: the hook runs once the line that caused it ends."""
        self._commits.append(event)

    def _return(self, args: list[str]) -> None:
        if not args:
            raise NotUnderstood("return")
        receipt = args[0]
        lines = returnable_lines(self.db, receipt)
        for rl in lines:
            self.say(f"{rl.line_no:>2}. {rl.name}  已购 {rl.qty}  可退 {rl.remaining}")
        quantities: dict[int, int] | None = None
        coupons = [a.upper() for a in args[1:] if classify(a).kind == "coupon"]
        pairs = [a for a in args[1:] if classify(a).kind != "coupon"]
        if pairs or coupons:
            quantities = {}
            for arg in pairs:
                number, _, qty = arg.partition("=")
                quantities[_int(number)] = _int(qty)
        reason = self.ask("退货原因: ")
        cashier = self.cashier
        assert cashier is not None
        result = self.approved(
            lambda approver: process_return(
                self.db,
                self.settings,
                cashier,
                receipt_no=receipt,
                reason=reason,
                quantities=quantities,
                approver=approver,
                clock=self.clock,
                vault=self.vault,
                reward_coupons=coupons,
            )
        )
        refunds = "，".join(f"{_tender(m)} ¥{format_yuan(v)}" for m, v in result.refunds.items())
        self.say(
            f"退货单 {result.receipt_no}，退款 ¥{format_yuan(result.refund)}"
            + (f"（{refunds}）" if refunds else "")
        )
        if result.coupons_cancelled:
            self.say(f"    收回券：{'，'.join(result.coupons_cancelled)}")
        if result.coupon_deduction:
            self.say(f"    返券已使用，退款扣减 ¥{format_yuan(result.coupon_deduction)}")
        if result.coupons_restored:
            self.say(f"    退回券：{'，'.join(result.coupons_restored)}")
        if result.points_restored:  # points paid (as money or for rewards) come back
            self.say(f"    退回积分 {result.points_restored}")
        if result.points_reversed:  # points the returned lines had earned
            self.say(f"    扣回积分 {result.points_reversed}")
        if result.points_shortfall:
            self.say(
                f"    积分 {result.points_shortfall} 已使用，退款扣减 "
                f"¥{format_yuan(result.shortfall_charged)}"
            )

    # --- member value ------------------------------------------------------------------

    def _rewards(self, args: list[str]) -> None:
        """``r`` lists the rewards catalogue; ``r ID [qty]`` redeems one."""
        co = self._co()
        if not args:
            with self.db.sessions() as session:
                catalogue = co.rules.rewards(session)
            if not catalogue:
                self.say("暂无积分兑换项目 / no rewards")
            for reward in catalogue.values():
                money = getattr(reward, "money", 0)
                cash = f" + ¥{format_yuan(money)}" if money else ""
                self.say(f"  {reward.id}  {reward.name}  {reward.points} 积分{cash}")
            return
        qty = _int(args[1]) if len(args) > 1 else 1
        self.show(co.add_reward(args[0], qty))

    def _weighed(self, args: list[str]) -> None:
        if len(args) != 2:
            raise NotUnderstood("w")
        self.show(self._co().add_weighed(args[1], _int(args[0])))

    def _stored_value(self, args: list[str]) -> None:
        co = self._co()
        if args and args[0] == "set":
            first = self.ask_secret("会员设置 6 位支付密码: ")
            if self.ask_secret("请再输入一次: ") != first:
                self.say("！ 两次输入不一致 / the two PINs differ")
                return
            co.set_payment_pin(first)
            self.say("支付密码已设置")
            return
        co.verify_payment_pin(self.ask_secret("请会员输入支付密码: "))
        self.say("支付密码正确，可用储值支付")

    def _show_value(self) -> None:
        value = self._co().stored_value()
        if value is None:
            self.say("！ 请先识别会员 / identify the member first")
            return
        self.say(self._value_line(*value).strip())

    def _topup(self, args: list[str]) -> None:
        co = self._co()
        if not args:
            raise NotUnderstood("topup")
        if co.member_no is None:
            self.say("！ 请先识别会员 / identify the member first")
            return
        amount = _yuan(args[0])
        offer = topups.offer(self.db, self.settings, co.member_no, amount, at=self.clock())
        if offer.bonus:
            self.say(f"{offer.label}：赠送 ¥{format_yuan(offer.bonus)}")
        tenders = self._ask_tenders(amount, allow_stored_value=False)
        if tenders is None:
            return
        cashier = self.cashier
        assert cashier is not None
        result = topups.top_up(
            self.db,
            self.settings,
            cashier,
            member_no=co.member_no,
            amount=amount,
            tenders=tenders,
            clock=self.clock,
            vault=self.vault,
        )
        self.say(
            f"已充值 ¥{format_yuan(result.principal)}，赠送 ¥{format_yuan(result.bonus)}，"
            f"小票号 {result.receipt_no}  找零 ¥{format_yuan(result.change)}"
        )
        self.say(f"储值余额 ¥{format_yuan(result.balance.total)}")
        if any(t.method == "cash" for t in tenders):
            for line in self.after_cash_sale():
                self.say(line)

    def _ask_tenders(self, due: int, *, allow_stored_value: bool) -> list[Tender] | None:
        """Ask how ``due`` is paid; None when the cashier goes back."""
        tenders: list[Tender] = []
        while sum(t.amount for t in tenders) < due:
            paid = sum(t.amount for t in tenders)
            words = self.ask(
                f"还需 ¥{format_yuan(due - paid)}：现金/卡/微信/支付宝 金额"
                "（回车=现金，cancel=返回）: "
            ).split()
            if not words:
                tenders.append(Tender("cash", due - paid))
                break
            if words[0].lower() == "cancel":
                self.say("已返回，未收款")
                return None
            method = TENDER_WORDS.get(words[0].lower())
            if method is None or (method == "stored_value" and not allow_stored_value):
                self.say(f"！ 不认识的支付方式「{words[0][:10]}」")
                continue
            try:
                amount = parse_yuan(words[1]) if len(words) > 1 else due - paid
            except ValueError:
                self.say(f"！ 金额「{words[1][:12]}」无效，例如 35.50")
                continue
            reference = " ".join(words[2:])
            if method in NEEDS_REFERENCE and not reference:
                reference = self.ask(f"{_tender(method)}流水号: ").strip()
            tender = Tender(method, amount, reference)
            try:
                check_tender(tender)
            except PosError as exc:
                self.say(_zh(exc))
                continue
            tenders.append(tender)
        return tenders

    def _svrefund(self, args: list[str]) -> None:
        if not args:
            raise NotUnderstood("svrefund")
        amount = _yuan(args[1]) if len(args) > 1 else None
        reason = self.ask("退款原因: ")
        cashier = self.cashier
        assert cashier is not None
        result = self.approved(
            lambda approver: topups.refund_topup(
                self.db,
                self.settings,
                cashier,
                receipt_no=args[0],
                reason=reason,
                amount=amount,
                approver=approver,
                clock=self.clock,
                vault=self.vault,
            )
        )
        refunds = "，".join(f"{_tender(m)} ¥{format_yuan(v)}" for m, v in result.refunds.items())
        self.say(
            f"储值退款单 {result.receipt_no}，退本金 ¥{format_yuan(result.principal)}（{refunds}）"
            + (
                f"，扣回赠送 ¥{format_yuan(result.bonus_taken_back)}"
                if result.bonus_taken_back
                else ""
            )
        )

    def _cash(self, kind: str, args: list[str]) -> None:
        if not args:
            raise NotUnderstood(kind)
        amount = _yuan(args[0])
        reason = " ".join(args[1:])
        move = shifts.cash_in if kind == "in" else shifts.cash_out
        cashier = self.cashier
        assert cashier is not None

        def act(approver: auth.Actor | None) -> None:
            with self.db.transaction() as session:
                move(
                    session,
                    terminal_id=self.settings.terminal_id,
                    actor=cashier,
                    amount=amount,
                    reason=reason,
                    now=self.clock(),
                    approver=approver,
                    min_role=self.settings.cash_movement_role,
                )

        self.approved(act)
        self.say(f"已{'存入' if kind == 'in' else '取出'}现金 ¥{format_yuan(amount)}")

    def _x_report(self) -> None:
        cashier = self.cashier
        assert cashier is not None

        def report(approver: auth.Actor | None) -> shifts.ShiftSummary:
            with self.db.sessions() as session:
                return shifts.x_report(session, self.settings.terminal_id, approver or cashier)

        try:
            s = report(None)
        except auth.NeedsApproval as need:
            approver = self._approval(need)
            s = report(approver)
        self.say(
            f"本班销售 {s.sales_count} 笔 ¥{format_yuan(s.net_sales)}，"
            f"退货 {s.returns_count} 笔 ¥{format_yuan(s.returns_total)}，"
            f"应有现金 ¥{format_yuan(s.expected_cash)}"
            + (
                f"，储值充值 {s.topups_count} 笔 ¥{format_yuan(s.topups)}（不计销售）"
                if s.topups_count
                else ""
            )
        )

    def _close(self) -> None:
        counts: dict[int, int] = {}
        for denom in shifts.DENOMINATIONS:
            while True:
                n = self.ask(f"{shifts.denomination_label(denom)} 张/枚数: ").strip()
                try:
                    if n:
                        counts[denom] = _int(n)
                    break
                except NotUnderstood:
                    self.say("！ 请输入张数，例如 3（回车=0）")
        cashier = self.cashier
        assert cashier is not None
        summary = self.approved(
            lambda approver: shift_close.close_shift(
                self.db,
                terminal_id=self.settings.terminal_id,
                actor=cashier,
                counts=counts,
                now=self.clock(),
                approver=approver,
            )
        )
        self.say(
            f"交班完成：应有现金 ¥{format_yuan(summary.expected_cash)}，"
            f"实点 ¥{format_yuan(summary.counted_cash or 0)}，"
            f"差异 ¥{format_yuan(summary.variance or 0)}"
        )

    def _line(self, text: str) -> str:
        return self._co().line_id(_int(text))

    def handle(self, line: str) -> bool:
        """Run one input line; returns False when the cashier quits."""
        co = self._co()
        if classify(line).kind != "unknown":  # a scan: codes may hold spaces (Base45)
            self.show(co.scan(line))
            if co.member_no is not None and classify(line).kind.startswith("member"):
                self.show_member()
            return True
        try:
            words = shlex.split(line)
        except ValueError as exc:
            raise NotUnderstood(line) from exc
        if not words:
            return True
        cmd, args = words[0].lower(), words[1:]
        if cmd in ("quit", "exit", "q"):
            return False
        if cmd == "help":
            self.say(HELP)
        elif cmd == "m":
            rest = line.strip()[1:].strip()  # the whole rest: app codes hold spaces
            if not rest:
                raise NotUnderstood(line)
            self._member(rest)
        elif cmd == "c":
            if not args:
                raise NotUnderstood(line)
            self.show(co.apply_coupon(args[0]))
        elif cmd == "p":
            self.show(co.set_redeem_points(_int(args[0]) if args else -1))
        elif cmd == "r":
            self._rewards(args)
        elif cmd == "w":
            self._weighed(args)
        elif cmd == "sv":
            self._show_value()
        elif cmd == "svpin":
            self._stored_value(args)
        elif cmd == "topup":
            self._topup(args)
        elif cmd == "svrefund":
            self._svrefund(args)
        elif cmd == "void":
            line_id = self._line(args[0] if args else "")
            self.show(self.approved(lambda a: co.remove_line(line_id, a)))
        elif cmd == "qty":
            if len(args) != 2:
                raise NotUnderstood(line)
            line_id, qty = self._line(args[0]), _int(args[1])
            self.show(self.approved(lambda a: co.set_qty(line_id, qty, a)))
        elif cmd in ("price", "disc"):
            if len(args) < 2:
                raise NotUnderstood(line)
            line_id, amount, reason = self._line(args[0]), _yuan(args[1]), " ".join(args[2:])
            act = co.override_price if cmd == "price" else co.discount_line
            self.show(self.approved(lambda a: act(line_id, amount, reason, a)))
        elif cmd == "pay":
            self._pay()
        elif cmd == "hold":
            co.suspend(" ".join(args))
            number = len(co.suspended())
            self.say(f"已挂单 第 {number} 单（resume {number} 取回）/ held as {number}")
        elif cmd == "resume":
            held = co.suspended()
            if not held:
                self.say("没有挂单 / nothing suspended")
            elif args and args[0].isdigit() and 1 <= int(args[0]) <= len(held):
                self.show(co.resume(held[int(args[0]) - 1].id))  # the number hold gave
            else:
                self.show(co.resume(args[0] if args else held[-1].id))
        elif cmd == "return":
            self._return(args)
        elif cmd in ("in", "out"):
            self._cash(cmd, args)
        elif cmd == "x":
            self._x_report()
        elif cmd == "close":
            self._close()
            return False
        elif cmd == "cancel":
            if co.lines:
                self.approved(lambda a: co.cancel(a))
                self.say("本单已取消")
            else:
                co.clear()
        else:
            qty, code = split_quantity(words[0])  # "3*code", read as the GUI reads it
            if not code:
                raise NotUnderstood(line)
            self.show(co.add(code, qty))
        return True

    def _park(self, why: str) -> None:
        """Park an open basket so that leaving the till never loses it."""
        co = self.checkout
        if co is None or not co.lines:
            return
        try:
            co.suspend("退出时自动挂单" if why == "quit" else "中断时自动挂单", why=why)
            number = len(co.suspended())
        except PosError as exc:
            self.say(_zh(exc))
            return
        self.say(f"未结账的单已挂起（第 {number} 单），可用 resume {number} 取回")

    def _idle_check(self) -> None:
        """After the idle time without input, the same cashier (or a supervisor) unlocks."""
        now = self.clock()
        last, self._last_input = self._last_input, now
        if self.idle is None or last is None or now - last < self.idle:
            return
        self.say("屏幕已锁定，请输入本班收银员或主管的工号和密码 / locked")
        cashier = self.cashier
        assert cashier is not None
        while True:
            try:
                who = self._login("解锁")
            except PosError as exc:
                self.say(_zh(exc))
                continue
            if auth.may_unlock(who, cashier):
                self.say("已解锁")
                self._last_input = self.clock()
                return
            self.say("！ 只有本班收银员或主管可以解锁")

    def _step(self, line: str) -> bool:
        """One line, with every failure turned into one line for the cashier.

        After a line that committed something (the core announced it), the
        ``after_commit`` hook runs; a line that failed part-way skips it, as its
        failure was already shown (what it queued prints with the next commit).
        """
        self._commits.clear()
        try:
            going_on = self.handle(line)
            if self._commits:
                self._commits.clear()
                for said in self.after_commit():
                    self.say(said)
            return going_on
        except StoreError as exc:
            self.say(_zh(exc))
            if exc.code in ("store_replaced", "store_corrupt"):
                raise StopSelling from exc
        except PosError as exc:
            self.say(_zh(exc))
        except NotUnderstood:
            self.say(_zh(PosError("input_not_understood")))
        except (KeyboardInterrupt, EOFError):
            raise
        except Exception:
            log.exception("unexpected error at the keyboard till")
            self.say(_zh(PosError("unexpected_error")))
        return True

    def run(self) -> int:
        """Log in, make sure a shift is open, then sell until quit or end of input.

        Returns 0, or 130 after Ctrl-C; an open basket is parked either way.
        """
        listening = [
            events.subscribe(event, lambda event=event, **kw: self._committed(event, **kw))
            for event in COMMITS
        ]
        try:
            if self.cashier is None:  # ``posterm till`` logs in before loading this module
                self.cashier = login_loop(
                    self.db,
                    self.settings.terminal_id,
                    ask=self.ask,
                    ask_secret=self.ask_secret,
                    say=self.say,
                    clock=self.clock,
                    lockout=(self.max_attempts, self.lock_minutes),
                )
            self.say(f"欢迎，{self.cashier.display_name}")
            with self.db.sessions() as session:
                shift_open = shifts.current_shift(session, self.settings.terminal_id) is not None
            if not shift_open:
                self._open_shift()
            self.checkout = Checkout(
                self.db, self.settings, self.cashier, clock=self.clock, vault=self.vault
            )
            self.say("输入 help 查看命令")
            self._last_input = self.clock()
            while True:
                line = self.ask("扫码> ")
                self._idle_check()
                if not self._step(line):
                    self._park("quit")
                    return 0
        except EOFError:
            self._park("quit")
            return 0
        except KeyboardInterrupt:
            self._park("interrupted")
            return 130
        except StopSelling:
            self.say("本机已停止销售，请联系店长 / this till has stopped selling")
            return 2
        finally:
            for unsubscribe in listening:
                unsubscribe()

    def _open_shift(self) -> None:
        """Ask for the opening float until the shift opens."""
        cashier = self.cashier
        assert cashier is not None
        while True:
            opening = self._ask_amount("开班备用金（元）: ")

            def open_with(approver: auth.Actor | None, opening: int = opening) -> object:
                return shift_close.open_shift(
                    self.db,
                    terminal_id=self.settings.terminal_id,
                    actor=cashier,
                    opening_float=opening,
                    now=self.clock(),
                    approver=approver,
                )

            try:
                self.approved(open_with)
            except PosError as exc:
                self.say(_zh(exc))
                continue
            self.say("已开班")
            return
