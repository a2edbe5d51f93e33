"""Child process for the crash test: commits sales until it is killed.

Run as ``python -m tests.terminal.crash_child STORE SEED``. Prints ``ready``
once it is about to start selling, then one receipt number per committed sale.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from sqlalchemy import select

from terminal.auth import Actor
from terminal.checkout import Checkout
from terminal.store.database import Database
from terminal.store.models import Member, User
from terminal.tenders import Tender
from tests.terminal.tillkit import till_settings


def main() -> None:
    path, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    db = Database(path)
    with db.sessions() as s:
        user = s.scalars(select(User).where(User.role == "cashier")).first()
        members = s.scalars(select(Member.member_no).limit(50)).all()
    cashier = Actor(user.id, user.username, user.display_name, user.role)
    co = Checkout(db, till_settings(db), cashier)
    print("ready", flush=True)
    while True:
        for _ in range(rng.randint(1, 6)):
            co.add(f"SKU{rng.randint(1, 500):06d}", rng.randint(1, 3))
        if rng.random() < 0.6:
            co.attach_member(rng.choice(members))
            if rng.random() < 0.5:
                co.set_redeem_points(rng.choice([100, 500, 1000]))
        due = co.quote().payable
        result = co.pay([Tender("cash", due + rng.randint(0, 5000))])
        print(result.receipt_no, flush=True)


if __name__ == "__main__":
    main()
