"""Child process for the restore tests: a till that sells a burst, then waits to be let go.

Run as ``python -m tests.terminal.restore_till_child STORE SEED SALES``. Prints
``loaded`` once imported and waits for a line (so a test can start it early),
then opens the store as ``posterm till`` (holding its lock), prints
``ready <pid>``, commits SALES sales printing one receipt number per committed
sale, prints ``done``, and keeps the store open until its stdin closes. A
store it cannot open is answered with ``refused <code>``.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

from sqlalchemy import select

from terminal.auth import Actor
from terminal.checkout import Checkout, Tender
from terminal.errors import StoreError
from terminal.store import lock
from terminal.store.database import Database
from terminal.store.models import Member, User
from tests.terminal.tillkit import till_settings


def main() -> None:
    path, seed, sales = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    lock.set_program("posterm till")
    print("loaded", flush=True)
    sys.stdin.readline()
    try:
        db = Database(path)
    except StoreError as exc:
        print(f"refused {exc.code}", flush=True)
        return
    with db.sessions() as s:
        user = s.scalars(select(User).where(User.role == "cashier")).first()
        members = s.scalars(select(Member.member_no).limit(50)).all()
    assert user is not None
    cashier = Actor(user.id, user.username, user.display_name, user.role)
    co = Checkout(db, till_settings(db), cashier)
    print(f"ready {os.getpid()}", flush=True)
    for _ in range(sales):
        for _ in range(rng.randint(1, 4)):
            co.add(f"SKU{rng.randint(1, 500):06d}", rng.randint(1, 3))
        if rng.random() < 0.5:
            co.attach_member(rng.choice(members))
        due = co.quote().payable
        result = co.pay([Tender("cash", due + rng.randint(0, 5000))])
        print(result.receipt_no, flush=True)
    print("done", flush=True)
    sys.stdin.read()
    db.close()


if __name__ == "__main__":
    main()
