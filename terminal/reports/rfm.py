"""Member segments by recency, frequency and spend (RFM), and who to call back.

Over the members who bought in the period: recency is the days from their
last sale to the period's last day, frequency their number of sales, spend
what those sales came to. Each is scored 1–3 by terciles among those members
(3 = most recent / most frequent / highest spend; equal values score the
same). Segments, the first that fits:

* champions: R 3 and F 3
* loyal: F 3 (R 2)
* new: R 3 and a single sale
* promising: R 3
* at_risk: R 1 and (F 3 or M 3) — valuable members who have stopped coming
* need_attention: R 2
* lost: R 1

The call-back list is the ``at_risk`` members, highest spend first, with the
member number and phone masked (138****5678) as on every screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal.auth import Actor
from terminal.members import mask_phone
from terminal.pii import MemberVault
from terminal.receipts import mask_member_no
from terminal.reports.base import Column, Period, Table, require_reports
from terminal.store.models import Member, Sale

SEGMENTS = ("champions", "loyal", "new", "promising", "at_risk", "need_attention", "lost")


@dataclass(frozen=True)
class Buyer:
    member_id: str
    last_day: date
    visits: int
    spend: int


def _score(value: int, cuts: tuple[int, int]) -> int:
    return 3 if value >= cuts[1] else 2 if value >= cuts[0] else 1


def _cuts(values: list[int]) -> tuple[int, int]:
    ranked = sorted(values)
    n = len(ranked)
    return ranked[n // 3], ranked[(2 * n) // 3]


def segment_of(r: int, f: int, m: int, visits: int) -> str:
    """The segment of a member scored ``r``, ``f``, ``m`` (see the module's rules)."""
    if r == 3 and f == 3:
        return "champions"
    if f == 3 and r == 2:
        return "loyal"
    if r == 3:
        return "new" if visits == 1 else "promising"
    if r == 1 and (f == 3 or m == 3):
        return "at_risk"
    return "need_attention" if r == 2 else "lost"


def segments_of(buyers: list[Buyer], as_of: date) -> dict[str, str]:
    """member id -> segment, for the members who bought."""
    if not buyers:
        return {}
    recency = [-(as_of - b.last_day).days for b in buyers]
    r_cuts = _cuts(recency)
    f_cuts = _cuts([b.visits for b in buyers])
    m_cuts = _cuts([b.spend for b in buyers])
    return {
        b.member_id: segment_of(
            _score(rec, r_cuts), _score(b.visits, f_cuts), _score(b.spend, m_cuts), b.visits
        )
        for b, rec in zip(buyers, recency, strict=True)
    }


def period_buyers(session: Session, period: Period) -> list[Buyer]:
    """The members who bought in ``period``: last day, number of sales, what they came to.

    One pass over the period's member sales, shared by the member measures and RFM.
    """
    rows = session.execute(
        select(Sale.member_id, func.max(Sale.business_day), func.count(), func.sum(Sale.payable))
        .where(
            Sale.business_day.between(period.first, period.last),
            Sale.kind == "sale",
            Sale.member_id.is_not(None),
        )
        .group_by(Sale.member_id)
    ).all()
    return [Buyer(str(m), d, int(n), int(s or 0)) for m, d, n, s in rows]


def rfm(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    vault: MemberVault | None = None,
    limit: int = 50,
    bought: list[Buyer] | None = None,
) -> tuple[Table, Table]:
    """The segments (members and spend in each) and the call-back list of valuable lapsers.

    ``bought``: :func:`period_buyers` of the period, when the caller has read them.
    """
    require_reports(actor)
    buyers = period_buyers(session, period) if bought is None else bought
    segments = segments_of(buyers, period.last)
    counts = dict.fromkeys(SEGMENTS, 0)
    spend = dict.fromkeys(SEGMENTS, 0)
    for b in buyers:
        counts[segments[b.member_id]] += 1
        spend[segments[b.member_id]] += b.spend
    seg_table = Table(
        "rfm",
        "rpt_title_rfm",
        (
            Column("segment", "rpt_col_segment", "code"),
            Column("members", "rpt_col_members"),
            Column("spend", "rpt_col_spend", "fen"),
        ),
        [
            {"segment": f"rpt_seg_{s}", "key": s, "members": counts[s], "spend": spend[s]}
            for s in SEGMENTS
        ],
        period,
    )
    lapsed = sorted(
        (b for b in buyers if segments[b.member_id] == "at_risk"),
        key=lambda b: (-b.spend, b.member_id),
    )[:limit]
    members = {
        m.id: m
        for m in session.scalars(select(Member).where(Member.id.in_([b.member_id for b in lapsed])))
    }
    rows: list[dict[str, Any]] = []
    for b in lapsed:
        member = members[b.member_id]
        phone = ""
        if vault is not None and member.phone_enc is not None:
            phone = mask_phone(vault.decrypt_field("phone", member.id, member.phone_enc) or "")
        rows.append(
            {
                "member": mask_member_no(member.member_no),
                "phone": phone,
                "last_visit": b.last_day.isoformat(),
                "visits": b.visits,
                "spend": b.spend,
            }
        )
    callback = Table(
        "callback",
        "rpt_title_callback",
        (
            Column("member", "rpt_col_member", "text"),
            Column("phone", "rpt_col_phone", "text"),
            Column("last_visit", "rpt_col_last_visit", "text"),
            Column("visits", "rpt_col_visits"),
            Column("spend", "rpt_col_spend", "fen"),
        ),
        rows,
        period,
    )
    return seg_table, callback
