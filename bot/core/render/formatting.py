"""Short texts, numbers, dates and document labels: the pieces every reply is made of.

Facts (names, titles, tasks) stay in Vietnamese as the documents write them; the words around them
come from the gettext catalogs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from bot.app.i18n import Translator
from kb.ask.answers import Answer, ScoreView
from kb.model import Agency, Document, Measure, Rank

MAX_CHOICE_LABEL = 60


NAME_WIDTH = 90


TASK_WIDTH = 260


@lru_cache(maxsize=8192)  # called on the knowledge base's names and titles, a fixed vocabulary
def short(text: str, width: int) -> str:
    """At most ``width`` characters, cut between words (never inside one), "…" where it was cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    head = text[:cut] if cut > width // 2 else text[: width - 1]
    return head.rstrip(" ,;:-—(") + "…"


# Babel formatting of the knowledge base's own figures and dates costs tens of microseconds each
# and a score table shows dozens: the text depends only on the language and the exact value, so it
# is remembered. The value is keyed by its type and exact text (str() round-trips a Decimal's
# digits, sign and exponent, and a float or int exactly), so equal-but-different values never share
# a text.
_NUMBER_KINDS: dict[str, type[Decimal] | type[float] | type[int]] = {
    "Decimal": Decimal,
    "float": float,
    "int": int,
}


@lru_cache(maxsize=4096)
def _decimal_text(tr: Translator, kind: str, exact: str, decimals: int) -> str:
    # the kind by its name: mypy does not take a class for Hashable, and the name is as good a
    # cache key
    return tr.decimal(_NUMBER_KINDS[kind](exact), decimals)


@lru_cache(maxsize=4096)
def _date_text(tr: Translator, value: date) -> str:
    return tr.date(value)


def fmt_decimal(tr: Translator, value: Decimal | float, decimals: int = 0) -> str:
    if type(tr) is Translator and type(value) in (Decimal, float, int) and type(decimals) is int:
        return _decimal_text(tr, type(value).__name__, str(value), decimals)
    return tr.decimal(value, decimals)


def fmt_date(tr: Translator, value: date) -> str:
    if type(tr) is Translator and type(value) is date:
        return _date_text(tr, value)
    return tr.date(value)


def doc_label(doc: Document, tr: Translator) -> str:
    _ = tr.gettext
    if doc.kind in ("assignment_plan", "score_plan") and doc.number and doc.date:
        return _("Appendix to plan {number} of {date}, {issuer}").format(
            number=doc.number, date=fmt_date(tr, doc.date), issuer=doc.issuer
        )
    if doc.kind == "data_request":
        when = fmt_date(tr, doc.date) if doc.date else (doc.date_note or "").split(" (")[0]
        return _("Letter of {issuer} ({when}): {title}").format(
            issuer=doc.issuer, when=when, title=doc.title
        )
    return _("{title}, {issuer}").format(title=doc.title, issuer=doc.issuer)


def plan_short(doc: Document, tr: Translator) -> str:
    if doc.number:
        return tr.gettext("plan {number}").format(number=doc.number)
    return doc.title


def sources_line(docs: list[Document], tr: Translator) -> str:
    if not docs:
        return ""
    return tr.gettext("Source: {documents}").format(
        documents="; ".join(doc_label(d, tr) for d in docs)
    )


def since_text(agency: Agency, tr: Translator) -> str:
    if not agency.since:
        return ""
    parts = agency.since.split("-")
    return "/".join(reversed(parts))


def current_name(agency: Agency, agencies: dict[str, Agency]) -> str:
    seen = set()
    while agency.succeeded_by and agency.succeeded_by in agencies and agency.id not in seen:
        seen.add(agency.id)
        agency = agencies[agency.succeeded_by]
    return agency.name


def name_notes(ans: Answer, tr: Translator) -> list[str]:
    _ = tr.gettext
    out: list[str] = []
    named, cur = ans.named_as, ans.agency
    if named is None or cur is None:
        return out
    if named.type == "commune":
        out.append(
            _("{name} is one of “{group}”; the roles below are that group's.").format(
                name=named.name, group=cur.name
            )
            if cur.is_group
            else ""
        )
    elif named.id != cur.id:
        since = since_text(named, tr)
        if since:
            out.append(
                _("Note: {old} is now {new} (since {since}); answering for {new}.").format(
                    old=named.name, new=cur.name, since=since
                )
            )
        else:
            out.append(
                _("Note: {old} is now {new}; answering for {new}.").format(
                    old=named.name, new=cur.name
                )
            )
    return [o for o in out if o]


def measure_text(m: Measure | None, tr: Translator, points: bool) -> str | None:
    if m is None:
        return None
    text = fmt_decimal(tr, m.value, m.decimals) + m.unit
    if points and not m.unit:
        text = tr.gettext("{value} points").format(value=text)
    return text


def rank_text(r: Rank | None) -> str | None:
    if r is None:
        return None
    return f"{r.position}/{r.of}" if r.of else str(r.position)


def row_label(
    view: ScoreView, tr: Translator, plan_label: str, current: dict[str, str], width: int = 0
) -> str:
    """A score row as the table names it: the total, a component index, or one of the score
    plan's own rows by that plan's numbering ("Chỉ số 2.6 của Kế hoạch 86/KH-STNMT"), with the
    current plan's code of the same indicator where it has one; the name cut at ``width`` if
    given."""
    _ = tr.gettext
    if view.label == "total":
        return _("Total PGI")
    name = short(view.name, width) if width else view.name
    if "." not in view.label:
        return _("Component index {code} “{name}”").format(code=view.label, name=view.name)
    label = _("Indicator {code} of {plan} “{name}”").format(
        code=view.label, plan=plan_label, name=name
    )
    now = current.get(view.label)
    if now is None:
        return label
    if now == view.label:
        return label + " " + _("(the same code in the current plan)")
    return label + " " + _("(indicator {code} of the current plan)").format(code=now)
