"""Enrolling a till with HQ: a one-time code traded for the till's own credential."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from sync import policy, protocol, state
from sync.client import HqClient, check_url
from sync.errors import SyncError
from terminal import __version__, auth
from terminal.pii import MemberVault
from terminal.store.database import Database

if TYPE_CHECKING:
    from terminal.home import TerminalHome


def enroll(
    db: Database,
    vault: MemberVault,
    url: str,
    code: str,
    *,
    store_code: str,
    terminal_code: str,
    terminal_id: str,
    actor: auth.Actor,
    ca_bundle: str | None = None,
) -> protocol.EnrollResponse:
    """Enrol this till (store ``store_code``, terminal ``terminal_code``) with HQ at ``url``.

    ``terminal_id`` is the id of the till's own Terminal row, which every
    record it pushes names: HQ refuses records naming another till.

    The credential HQ answers with is saved sealed (see :mod:`sync.state`);
    the feed cursor starts at zero, so the next sync bootstraps the store.
    Linking a till to HQ is a settings change: ``actor`` needs SETTINGS (admin).
    """
    auth.authorize(actor, auth.Permission.SETTINGS)
    url = check_url(url)
    try:
        request = protocol.EnrollRequest(
            code=code,
            store_code=store_code,
            terminal_code=terminal_code,
            terminal_id=terminal_id,
            program_version=__version__,
        )
    except ValidationError as exc:  # the code is what a person typed
        if any(error["loc"][:1] == ("code",) for error in exc.errors()):
            raise SyncError("hq_enrol_code_format") from exc
        raise
    client = HqClient(url, ca_bundle=ca_bundle)
    try:
        answer = client.enroll(request)
    finally:
        client.close()
    with db.transaction() as session:
        state.save_link(session, vault, state.Link(url, answer.credential, ca_bundle))
        policy.save_ranges(session, answer.member_ranges)
    return answer


def enroll_till(
    till: TerminalHome,
    code: str,
    *,
    actor: auth.Actor,
    url: str | None = None,
    ca_bundle: str | None = None,
) -> protocol.EnrollResponse:
    """Enrol the open ``till`` with ``url``, or with ``[hq] url`` of its config when None.

    What ``posterm enroll`` and the GUI's Settings both call: the store and
    terminal codes and the terminal id are the till's own.
    """
    url = url or till.config.hq.url
    if not url:
        raise SyncError("hq_no_url")
    with till.db.sessions() as session:
        terminal = till.terminal_row(session)
        terminal_id, terminal_code = terminal.id, terminal.code
        store_code = till.store_row(session).code
    return enroll(
        till.db,
        till.vault(),
        url,
        code.strip(),
        store_code=store_code,
        terminal_code=terminal_code,
        terminal_id=terminal_id,
        actor=actor,
        ca_bundle=ca_bundle,
    )
