"""Queries on deadlines: the knowledge base's and those the focal department added in chat."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kb.ask.answers import Answer, DeadlineView
from kb.model import Agency, Assignment, Deadline, Document
from kb.queries.roles import RoleQueries


@dataclass(frozen=True)
class ExtraDeadline:
    """A deadline the focal department added in chat, as the bot passes it to the engine.

    ``audience`` holds the agency ids it is for (empty: everyone); ``applies`` is the bot's own
    verdict for the asker when the audience is a rule (an indicator's lead agencies, …): when it is
    not None it wins over ``audience``.
    """

    title: str
    date: date
    audience: tuple[str, ...] = ()
    applies: bool | None = None
    id: str = ""


CHAT_DOCUMENT = Document(
    id="chat", kind="chat", number=None, date=None, issuer="", title="", source="chat"
)


class DeadlineQueries(RoleQueries):
    """``/hanchot``: the deadlines an agency is given, upcoming and past."""

    def belongs(self, agency: Agency, audience: Iterable[Assignment]) -> str | None:
        """Whether an audience includes the agency: None, or the name of the entry that covers
        it."""
        ids, groups = self.ids_and_groups(agency)
        group_ids = {g.id for g in groups}
        audience = list(audience)
        for a in audience:
            if a.agency_id in ids:
                return a.written
        for a in audience:
            if a.agency_id in group_ids:
                return a.written
        return None

    def _extra(
        self, extra: Iterable[ExtraDeadline | tuple[Deadline, Document]]
    ) -> list[tuple[Deadline, Document, bool | None]]:
        out = []
        for x in extra:
            if isinstance(x, ExtraDeadline):
                audience = tuple(
                    Assignment(a, self.index.agencies[a].name)
                    for a in x.audience
                    if a in self.index.agencies
                )
                d = Deadline(
                    id=x.id or f"chat-{x.date.isoformat()}",
                    doc_id=CHAT_DOCUMENT.id,
                    date=x.date,
                    title=x.title,
                    audience=audience,
                    source="chat",
                )
                out.append((d, CHAT_DOCUMENT, x.applies))
            else:
                d, doc = x
                out.append((d, doc, None))
        return out

    def deadlines_for(
        self,
        agency: Agency | str | None,
        today: date,
        extra_deadlines: Iterable[ExtraDeadline | tuple[Deadline, Document]] = (),
        ans: Answer | None = None,
        show_past: bool = False,
    ) -> Answer:
        """``/hanchot``: the knowledge base's deadlines and the chat's, for an agency (all when
        None).

        Upcoming first (soonest first) with days left, then past ones (latest first); the renderer
        folds the past ones into a count unless ``show_past``.
        """
        ans = ans or self._answer("deadlines", today)
        ans.intent = "deadlines"
        ans.today = today
        ans.show_past = show_past
        items: list[tuple[Deadline, Document, bool | None]] = [
            (d, self.index.documents[d.doc_id], None) for d in self.index.kb.deadlines
        ]
        items.extend(self._extra(extra_deadlines))
        if agency is not None:
            cur = self._set_agency(ans, self._resolve(agency))
            mine = [
                (d, doc, ok)
                for d, doc, ok in items
                if (
                    ok
                    if ok is not None
                    else (not d.audience and doc.kind == "chat")
                    or bool(self.belongs(cur, d.audience))
                )
            ]
            items = mine
            ans.deadlines_filtered = True
        ans.deadlines = self._views(ans, items)
        return ans

    def _views(self, ans: Answer, items: list) -> list[DeadlineView]:
        today = ans.today or date.today()
        views = []
        for d, doc, _ok in items:
            days = (d.date - today).days
            note = self.belongs(ans.agency, d.audience) if ans.agency else None
            views.append(DeadlineView(d, doc, "upcoming" if days >= 0 else "past", days, note))
        upcoming = sorted(
            (v for v in views if v.status == "upcoming"), key=lambda v: v.deadline.date
        )
        past = sorted(
            (v for v in views if v.status == "past"), key=lambda v: v.deadline.date, reverse=True
        )
        ans.sources = list(
            {
                v.document.id: v.document for v in upcoming + past if v.document.kind != "chat"
            }.values()
        )
        with_deadlines = {d.doc_id for d in self.index.kb.deadlines}
        ans.undated_plans = [
            p for p in self.index.plans if p.current and p.id not in with_deadlines
        ]
        return upcoming + past
