"""Linking two channels of one person: a one-time code (/lienket) asked for on one channel and
redeemed on another merges the second user into the first.

Functions take a session and never commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.directory import leaders
from storage.directory.people import ROLES, active_membership
from storage.models.agencies import Membership
from storage.models.base import utcnow
from storage.models.conversation import DialogState, OpenChoices
from storage.models.deadlines import Acknowledgement, CustomDeadline
from storage.models.delivery import Broadcast
from storage.models.people import Identity, LinkCode, User
from storage.models.progress import ProgressUpdate

_ROLE_RANK = {r: i for i, r in enumerate(ROLES)}


def add_link_code(s: Session, user_id: int, code_hash: str, expires_at: datetime) -> None:
    s.execute(delete(LinkCode).where(LinkCode.user_id == user_id, LinkCode.used_at.is_(None)))
    s.add(LinkCode(code_hash=code_hash, user_id=user_id, expires_at=expires_at))
    s.flush()


def redeem_link_code(
    s: Session, code_hash: str, user_id: int, now: datetime
) -> tuple[str, int | None]:
    """Merge ``user_id`` into the user who asked for the code: "ok", "unknown", "expired",
    "used" or "same"."""
    code = s.get(LinkCode, code_hash, with_for_update=True)
    if code is None:
        return "unknown", None
    if code.used_at is not None:
        return "used", None
    if code.expires_at <= now:
        return "expired", None
    if code.user_id == user_id:
        return "same", code.user_id
    code.used_at = now
    merge_users(s, keep=code.user_id, gone=user_id)
    return "ok", code.user_id


def merge_users(s: Session, keep: int, gone: int) -> None:
    """One person, two user rows: everything of ``gone`` moves to ``keep``; the higher role
    stays."""
    kept, old = s.get(User, keep), s.get(User, gone)
    if kept is None or old is None:
        return
    if _ROLE_RANK.get(old.role, 0) > _ROLE_RANK.get(kept.role, 0):
        kept.role = old.role
    kept.language = kept.language or old.language
    if (
        active_membership(s, keep) is not None
    ):  # the linked account's own requests give way to the kept membership
        s.execute(
            update(Membership)
            .where(Membership.user_id == gone, Membership.status.in_(("pending", "approved")))
            .values(status="revoked", decided_at=utcnow())
        )
    for model, column in (
        (Identity, Identity.user_id),
        (Membership, Membership.user_id),
        (ProgressUpdate, ProgressUpdate.author_id),
        (CustomDeadline, CustomDeadline.created_by),
        (Broadcast, Broadcast.created_by),
    ):
        s.execute(update(model).where(column == gone).values({column.key: keep}))
    for ack in s.scalars(select(Acknowledgement).where(Acknowledgement.user_id == gone)):
        dup = s.scalars(
            select(Acknowledgement.id).where(
                Acknowledgement.user_id == keep,
                Acknowledgement.deadline_key == ack.deadline_key,
                Acknowledgement.agency_id == ack.agency_id,
            )
        ).first()
        if dup is None:
            ack.user_id = keep
        else:
            s.delete(ack)
    leaders.merge(s, keep, gone)
    s.execute(delete(DialogState).where(DialogState.user_id == gone))
    s.execute(delete(OpenChoices).where(OpenChoices.user_id == gone))
    s.execute(delete(LinkCode).where(LinkCode.user_id == gone))
    s.flush()
    s.delete(old)
    s.flush()
