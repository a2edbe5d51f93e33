"""The till's side of HQ's policy: member-number blocks from HQ.

HQ's offline redemption policy needs nothing here: it comes through the
feed (entity ``hq_policy``) into the store's ``hq_policy`` table like any
row HQ owns, and the core reads it there (``terminal/offline_policy.py``).

Member numbers: enrolment saves the block HQ gave with the credential, and
each sync round asks HQ for another when less than 20% of a block is left
(:func:`refill_member_ranges`), so a till that goes offline still has numbers
for its registrations. See ``terminal/member_ranges.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy.orm import Session

from sync import protocol
from sync.client import HqClient
from sync.errors import SyncError
from terminal import member_ranges
from terminal.store.database import Database

log = logging.getLogger(__name__)


def save_ranges(session: Session, ranges: Iterable[protocol.MemberRange]) -> int:
    """Keep the blocks HQ gave (in the caller's transaction); how many were new."""
    return member_ranges.save(session, [(r.first, r.last) for r in ranges])


def refill_member_ranges(db: Database, client: HqClient) -> int:
    """Ask HQ for member numbers when this till is running short; how many blocks came.

    HQ answers with the till's blocks above the highest it holds, so asking
    again after a lost answer gets the same block, not another. An HQ that
    does not hand out blocks (an older one) leaves the till numbering as
    before; any other failure is logged and tried again next round: the
    till registers from the numbers it still has.
    """
    with db.sessions() as session:
        if not member_ranges.needs_more(session):
            return 0
        after = member_ranges.highest_last(session)
    try:
        answer = client.member_range(after)
    except SyncError as exc:
        log.warning("could not get member numbers from HQ: %s", exc.text("en"))
        return 0
    with db.transaction() as session:
        new = save_ranges(session, answer.ranges)
        left = member_ranges.numbers_left(session)
    log.info("HQ gave %d block(s) of member numbers; %d numbers left", new, left)
    return new
