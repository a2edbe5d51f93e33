"""``posterm-hq``: run the reference HQ server and administer it.

Every command takes ``--db URL`` (or ``$POSTERM_HQ_DB``; default: the SQLite
file ``posterm-hq.sqlite3`` in the current folder). ``postgresql://user@host/db``
selects PostgreSQL. Refusals print one line and exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import InterfaceError, OperationalError

from sync.hq import admin, auth, loyalty, personal, policy, value
from sync.hq.db import HqDatabase, normalise_url
from terminal.money import format_yuan

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy.orm import Session

ENV_DB = "POSTERM_HQ_DB"
DEFAULT_DB = "posterm-hq.sqlite3"
SKEW_WARN_S = 120


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posterm-hq",
        description="posterm reference HQ: sync server for the store terminals, and its admin.",
    )
    parser.add_argument(
        "--db",
        default=os.environ.get(ENV_DB, DEFAULT_DB),
        help=f"database URL or SQLite file (default: ${ENV_DB} or {DEFAULT_DB})",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the HQ server (HTTPS with --tls-cert/--tls-key)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--tls-cert", type=Path, help="certificate chain (PEM)")
    serve.add_argument("--tls-key", type=Path, help="private key (PEM)")
    serve.add_argument(
        "--workers", type=int, default=1, help="server processes (each with its own connections)"
    )

    store = sub.add_parser("store", help="stores").add_subparsers(dest="action", required=True)
    store_add = store.add_parser("add", help="add a store")
    store_add.add_argument("code")
    store_add.add_argument("name")

    term = sub.add_parser("terminal", help="terminals").add_subparsers(dest="action", required=True)
    term_add = term.add_parser("add", help="add a terminal to a store")
    term_add.add_argument("store")
    term_add.add_argument("code")

    code = sub.add_parser("enroll-code", help="issue a one-time enrolment code for a terminal")
    code.add_argument("store")
    code.add_argument("terminal")

    revoke = sub.add_parser("revoke", help="revoke a terminal's credential")
    revoke.add_argument("store")
    revoke.add_argument("terminal")

    sub.add_parser("status", help="sync status per terminal")
    sub.add_parser(
        "conflicts",
        help="double spending found across stores, with both sales (coupons, points, "
        "stored value, 限量 quotas and member limits, dynamic member codes) and sales "
        "whose figures do not add up",
        description="One line a conflict: id, kind, subject, the sale, the earlier sale, "
        "when found. Kinds: "
        + "; ".join(f"{kind}: {what}" for kind, what in value.CONFLICT_KINDS.items())
        + ". Every sale is kept.",
    )
    member = sub.add_parser(
        "member", help="members: balance MEMBER_NO, show MEMBER_NO | --phone PHONE"
    ).add_subparsers(dest="action", required=True)
    balance = member.add_parser(
        "balance", help="a member's chain-wide points and stored value (principal, bonus)"
    )
    balance.add_argument("member", metavar="MEMBER_NO", help="member number (or member id)")
    show = member.add_parser(
        "show",
        help="a member with name and phone masked (138****5678, 张*); --phone finds members "
        "by phone through HQ's keyed index (needs the data key, $POSTERM_HQ_DATA_KEY)",
    )
    show.add_argument("member", metavar="MEMBER_NO", nargs="?", help="member number (or id)")
    show.add_argument("--phone", help="find the member(s) with this mobile number")
    coupons = sub.add_parser(
        "coupons", help="a coupon from issue to use: status and the sales that moved it"
    )
    coupons.add_argument("code", metavar="CODE")

    imp = sub.add_parser(
        "import-store", help="publish catalogue, members and rules from a till's store file"
    )
    imp.add_argument("file", type=Path)

    loyalty.add_commands(sub)
    pol = sub.add_parser(
        "policy",
        help="what HQ decides for every till: offline redemption caps, member-number blocks",
        description="Policy values reach every till with its next sync. "
        + "; ".join(f"{n}: {what}" for n, what in policy.NAMES.items())
        + ". Unset: no cap.",
    ).add_subparsers(dest="action", required=True)
    pol_set = pol.add_parser("set", help="set a value, e.g. 'policy set daily_cap_points 2000'")
    pol_set.add_argument("name", choices=sorted(policy.NAMES))
    pol_set.add_argument("value", type=int)
    pol_unset = pol.add_parser("unset", help="remove a value (no cap)")
    pol_unset.add_argument("name", choices=sorted(policy.NAMES))
    pol.add_parser("show", help="the values set now")
    pol.add_parser("ranges", help="member-number blocks handed to each terminal")
    zrep = sub.add_parser(
        "zreports",
        help="Z reports the tills took: store, terminal, Z number, business day, totals (yuan)",
    )
    zrep.add_argument("--store", help="only this store's")

    hq_import = sub.add_parser(
        "import",
        help="import products, categories, members, tiers, promotions, coupons, rewards or "
        "member app keys from CSV or JSON (the till's importer; all rows or none)",
        description=(
            "Import a file with the till's own importer (formats: docs/imports.md; "
            "categories, tiers and member-keys: docs/sync.md). Every row is checked first: "
            "if any is bad, each problem is listed (row, field, reason) and HQ is not changed. "
            "Otherwise the rows created or changed are published to the tills' feed, together."
        ),
    )
    hq_import.add_argument("kind", choices=hq_imports_kinds(), help="what the file holds")
    hq_import.add_argument("file", type=Path, help="a .csv or .json file")
    hq_import.add_argument(
        "--dry-run", action="store_true", help="check and count, publish nothing"
    )

    spec = sub.add_parser("openapi", help="write the API's OpenAPI spec (JSON)")
    spec.add_argument("--out", type=Path, help="file to write (default: stdout)")
    return parser


def hq_imports_kinds() -> tuple[str, ...]:
    from sync.hq.imports import KINDS

    return KINDS


def app_from_env() -> FastAPI:
    """The app of one ``serve --workers N`` process, on ``$POSTERM_HQ_DB`` (already migrated)."""
    from sync.hq.app import create_app

    return create_app(HqDatabase(os.environ[ENV_DB], migrate=False))


def openapi_json() -> str:
    """The OpenAPI document of the API, as kept in ``docs/hq-openapi.json``."""
    from sync.hq.app import create_app

    app = create_app(HqDatabase("sqlite://", migrate=False))
    return json.dumps(app.openapi(), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def _skew(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    flag = "  CLOCK OFF" if abs(seconds) > SKEW_WARN_S else ""
    return f"{seconds:+d}s{flag}"


def _member_balance(session: Session, member: str) -> int:
    found = value.member_balance(session, member)
    if found is None:
        print(f"posterm-hq: HQ knows no member {member}", file=sys.stderr)
        return 2
    sv = found.stored_value
    print(f"member {found.member_no} ({found.member_id})")
    print(f"points        {found.points}")
    print(
        f"stored value  {format_yuan(sv.total)} (principal {format_yuan(sv.principal)}, "
        f"bonus {format_yuan(sv.bonus)})" + ("  OVERDRAWN" if sv.total < 0 else "")
    )
    return 0


def _member_show(session: Session, args: argparse.Namespace) -> int:
    """``member show``: masked, never in clear (the personal data stays sealed at HQ)."""
    if (args.member is None) == (args.phone is None):
        print("posterm-hq: member show: give MEMBER_NO or --phone, one of them", file=sys.stderr)
        return 2
    if args.phone is not None:
        views = personal.find_by_phone(session, args.phone)
        if not views:
            print("posterm-hq: HQ knows no member with that phone", file=sys.stderr)
            return 2
    else:
        found = personal.find_member(session, args.member)
        if found is None:
            print(f"posterm-hq: HQ knows no member {args.member[:20]}", file=sys.stderr)
            return 2
        views = [found]
    for n, v in enumerate(views):
        if n:
            print()
        print(f"member {v.member_no} ({v.member_id})")
        print(f"status        {v.status}, tier {v.tier_code}")
        if v.personal == "kept":
            print(f"name          {v.name or '-'}")
            print(f"phone         {v.phone or '-'}")
            print(f"birthday      {'kept (sealed)' if v.birthday else '-'}")
        elif v.personal == "none":
            print("personal data none kept at HQ")
        else:
            print(
                f"personal data sealed, not readable with this key ({personal.KEY_ENV} "
                f"{personal.key_state()})"
            )
    return 0


def _key_line(session: Session) -> str:
    state = personal.key_state()
    if state == "set":
        return (
            f"HQ data key ({personal.KEY_ENV}): set; members with personal data kept "
            f"(sealed): {personal.kept_count(session)}"
        )
    return (
        f"HQ data key ({personal.KEY_ENV}): {state}: members' personal data from tills is not kept"
    )


def _coupon(session: Session, code: str) -> int:
    life = value.coupon_life(session, code)
    if life is None:
        print(f"posterm-hq: HQ knows no coupon {code}", file=sys.stderr)
        return 2
    print(f"coupon {life.code}: {life.status}")
    print(f"definition    {life.definition_id or '-'}")
    print(f"member        {life.member_id or '-'}")
    print(f"issued by     {life.issued or '- (imported or issued at HQ, or not arrived yet)'}")
    print(f"redeemed by   {life.redeemed or '-'}")
    print(f"cancelled by  {life.void or '-'}")
    for record, restored in life.uses:
        print(f"  {'given back by' if restored else 'used by'} {record}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "openapi":
        text = openapi_json()
        if args.out:
            try:
                args.out.write_text(text, encoding="utf-8")
            except OSError as exc:
                print(f"posterm-hq: cannot write {args.out} ({exc.strerror})", file=sys.stderr)
                return 2
        else:
            sys.stdout.write(text)
        return 0
    db = HqDatabase(normalise_url(args.db))
    try:
        if args.command == "serve":
            import uvicorn

            from sync.hq.app import create_app

            if personal.key_state() != "set":
                print(
                    f"posterm-hq: HQ data key ({personal.KEY_ENV}) {personal.key_state()}: "
                    "members' personal data from tills will not be kept",
                    file=sys.stderr,
                )
            cert = str(args.tls_cert) if args.tls_cert else None
            key = str(args.tls_key) if args.tls_key else None
            if args.workers > 1:  # each worker process opens the database itself, migrated
                os.environ[ENV_DB] = normalise_url(args.db)
                uvicorn.run(
                    "sync.hq.cli:app_from_env",
                    factory=True,
                    workers=args.workers,
                    host=args.host,
                    port=args.port,
                    log_level="info",
                    ssl_certfile=cert,
                    ssl_keyfile=key,
                )
            else:
                uvicorn.run(
                    create_app(db),
                    host=args.host,
                    port=args.port,
                    log_level="info",
                    ssl_certfile=cert,
                    ssl_keyfile=key,
                )
            return 0
        with db.transaction() as session:
            if args.command == "store":
                admin.add_store(session, args.code, args.name)
                print(f"store {args.code} added")
            elif args.command == "terminal":
                admin.add_terminal(session, args.store, args.code)
                print(f"terminal {args.code} added to store {args.store}")
            elif args.command == "enroll-code":
                code = admin.enroll_code(session, args.store, args.terminal)
                print(code)
                print(
                    f"one-time code for {args.store}/{args.terminal}, valid "
                    f"{int(auth.CODE_LIFETIME.total_seconds() // 3600)} h: "
                    "posterm enroll URL CODE",
                    file=sys.stderr,
                )
            elif args.command == "revoke":
                admin.revoke(session, args.store, args.terminal)
                print(f"terminal {args.store}/{args.terminal} revoked")
            elif args.command == "status":
                print(
                    f"{'store':<6} {'terminal':<9} {'state':<13} {'last contact':<21} "
                    f"{'waiting':>7}  {'received':>8}  {'skew':<7} version"
                )
                for s in admin.status(session):
                    contact = (
                        s.last_contact.strftime("%Y-%m-%d %H:%M:%S") if s.last_contact else "never"
                    )
                    print(
                        f"{s.store:<6} {s.terminal:<9} {s.state:<13} {contact:<21} "
                        f"{s.records_waiting:>7}  {s.records_received:>8}  "
                        f"{_skew(s.clock_skew_s):<7} {s.program_version}"
                    )
                print(_key_line(session))
            elif args.command == "conflicts":
                for c in value.conflict_views(session):
                    print(
                        f"{c.id}\t{c.kind}\t{c.subject}\tsale {c.record}\t"
                        f"earlier sale {c.other or '-'}\t{c.detected_at:%Y-%m-%d %H:%M}"
                    )
            elif args.command in loyalty.COMMANDS:
                loyalty.run_command(session, args)
            elif args.command == "member" and args.action == "show":
                return _member_show(session, args)
            elif args.command == "member":
                return _member_balance(session, args.member)
            elif args.command == "coupons":
                return _coupon(session, args.code)
            elif args.command == "policy":
                policy.run_cli(session, args.action, getattr(args, "name", ""), args)
            elif args.command == "zreports":
                print_z_reports(session, args.store)
            elif args.command == "import":
                return run_import(session, args)
            elif args.command == "import-store":
                counts = admin.import_store(session, args.file)
                print(", ".join(f"{k} {v}" for k, v in counts.items() if v))
        return 0
    finally:
        db.close()


def print_z_reports(session: Session, store: str | None) -> None:
    from sync.hq.zreports import z_reports

    print(
        f"{'store':<6} {'terminal':<9} {'Z':>4}  {'day':<10} {'sales':>5} {'returns':>7} "
        f"{'amount':>10} {'refunds':>9} {'net':>10} {'cash var.':>9}  tenders (net)"
    )
    for z in z_reports(session, store):
        tenders = ", ".join(f"{m} {format_yuan(v)}" for m, v in sorted(z.tenders.items()))
        print(
            f"{z.store:<6} {z.terminal:<9} {z.z_no:>4}  {z.business_day.isoformat():<10} "
            f"{z.sales_count:>5} {z.returns_count:>7} {format_yuan(z.amount):>10} "
            f"{format_yuan(z.refunds):>9} {format_yuan(z.net):>10} "
            f"{format_yuan(z.variance):>9}  {tenders}"
        )


def run_import(session: Session, args: argparse.Namespace) -> int:
    """``import KIND FILE``: every bad row on stderr and HQ unchanged (exit 2), or the counts."""
    from sync.hq.imports import import_file
    from terminal.errors import PosError
    from terminal.imports import ImportRefused

    try:
        with session.begin_nested():  # a refusal leaves HQ as it was
            result = import_file(session, args.kind, args.file, dry_run=args.dry_run)
    except ImportRefused as exc:
        for problem in exc.problems:
            print(f"posterm-hq: {exc.source}: {problem.text('en')}", file=sys.stderr)
        print(f"posterm-hq: {exc.text('en')}", file=sys.stderr)
        return 2
    except PosError as exc:
        print(f"posterm-hq: {exc.text('en')}", file=sys.stderr)
        return 2
    counts = f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged"
    counts += "".join(f", {n} {k.replace('_', ' ')}" for k, n in result.extra.items())
    if result.dry_run:
        print(f"dry run of {result.source} ({result.rows} rows), nothing published: {counts}")
    else:
        sent = ", ".join(f"{k} {n}" for k, n in result.published.items()) or "nothing"
        print(f"imported {result.source} ({result.rows} rows): {counts}; published: {sent}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except auth.Refusal as exc:
        print(f"posterm-hq: {exc.message}", file=sys.stderr)
        return 2
    except (OperationalError, InterfaceError) as exc:  # down, refused, or a file it cannot open
        detail = str(exc.orig or exc).strip().splitlines()
        print(
            f"posterm-hq: HQ's database is unavailable ({detail[0] if detail else '?'})",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
