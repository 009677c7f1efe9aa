"""Agencies' official e-mail addresses set in the web console (they take the place of
``agencies.yaml``'s).

Functions take a session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models.agencies import AgencyContact
from storage.models.base import utcnow


@dataclass(frozen=True)
class ContactInfo:
    agency_id: str
    email: str  # "" : the agency has no address, whatever the knowledge base says
    updated_at: datetime
    updated_by: int | None


def _info(c: AgencyContact) -> ContactInfo:
    return ContactInfo(c.agency_id, c.email, c.updated_at, c.updated_by)


def all_contacts(s: Session) -> dict[str, ContactInfo]:
    return {c.agency_id: _info(c) for c in s.scalars(select(AgencyContact))}


def get(s: Session, agency_id: str) -> ContactInfo | None:
    c = s.get(AgencyContact, agency_id)
    return _info(c) if c else None


def set_email(
    s: Session, agency_id: str, email: str, by: int | None, now: datetime | None = None
) -> ContactInfo:
    """Set (or, with "", withdraw) an agency's address; the caller has validated it."""
    c = s.get(AgencyContact, agency_id)
    if c is None:
        c = AgencyContact(agency_id=agency_id)
        s.add(c)
    c.email, c.updated_at, c.updated_by = email, now or utcnow(), by
    s.flush()
    return _info(c)


def reset(s: Session, agency_id: str) -> bool:
    """Forget the console's address: the knowledge base's applies again. True when one was set."""
    return bool(
        affected(s.execute(delete(AgencyContact).where(AgencyContact.agency_id == agency_id)))
    )
