"""The member screens of the desktop till: lookup (F2), registration, member data."""

from __future__ import annotations

from ui.qt.members.data import MemberDataDialog, open_member_data
from ui.qt.members.lookup import MemberLookupDialog, open_member_lookup
from ui.qt.members.register import RegisterMemberDialog

__all__ = [
    "MemberDataDialog",
    "MemberLookupDialog",
    "RegisterMemberDialog",
    "open_member_data",
    "open_member_lookup",
]
