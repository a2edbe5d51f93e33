"""The till's side of its link to HQ, kept in the local store (``sync_state``).

The credential HQ issued at enrolment is sealed with the member-data key
(AES-GCM through :class:`~terminal.pii.MemberVault`, bound to this purpose),
so it is as safe at rest as members' personal data: a copy of the store file
without the key file (or keyring entry) yields no usable credential.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from sqlalchemy.orm import Session

from terminal import offline_policy
from terminal.pii import MemberVault
from terminal.store.carry import FEED_CURSOR_KEY
from terminal.store.models import SyncState

# the core reads these three (enrolled? synced lately?): one spelling, in terminal/
URL = offline_policy.HQ_URL_KEY
CREDENTIAL = offline_policy.CREDENTIAL_KEY
LAST_SUCCESS = offline_policy.LAST_SUCCESS_KEY
CURSOR = FEED_CURSOR_KEY  # the restore reads it too
CA_BUNDLE = "ca_bundle"
LAST_ERROR = "last_error"
_SEAL_FIELD = "hq_credential"
_SEAL_ID = "terminal"


def get(session: Session, key: str) -> str | None:
    row = session.get(SyncState, key)
    return None if row is None else row.value


def put(session: Session, key: str, value: str) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value))
    else:
        row.value = value


def cursor(session: Session) -> int:
    return int(get(session, CURSOR) or 0)


@dataclass(frozen=True)
class Link:
    """Where HQ is and how this till proves who it is."""

    url: str
    credential: str
    ca_bundle: str | None = None


def save_link(session: Session, vault: MemberVault, link: Link) -> None:
    sealed = vault.encrypt_field(_SEAL_FIELD, _SEAL_ID, link.credential)
    put(session, URL, link.url)
    put(session, CREDENTIAL, base64.b64encode(sealed).decode("ascii"))
    put(session, CA_BUNDLE, link.ca_bundle or "")


def load_link(session: Session, vault: MemberVault) -> Link | None:
    """The saved link, or None when this till was never enrolled."""
    url, sealed = get(session, URL), get(session, CREDENTIAL)
    if not url or not sealed:
        return None
    credential = vault.decrypt_field(_SEAL_FIELD, _SEAL_ID, base64.b64decode(sealed))
    assert credential is not None
    return Link(url, credential, get(session, CA_BUNDLE) or None)
