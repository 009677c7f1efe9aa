"""The ``ask --json`` contract and the clarifying choices every channel draws."""

from __future__ import annotations

from bot.core.messages import Choice, numbered
from bot.core.render.formatting import MAX_CHOICE_LABEL, current_name, short
from kb.ask.answers import Answer
from kb.model import Agency, Assignment, Indicator


def indicator_json(ind: Indicator, agencies: dict[str, Agency]) -> dict:
    def names(cell: tuple[Assignment, ...], skip: frozenset[str] = frozenset()) -> list[str]:
        out: list[str] = []
        for a in cell:
            if a.agency_id in skip:
                continue
            agency = agencies.get(a.agency_id)
            name = current_name(agency, agencies) if agency else a.written
            if name not in out:
                out.append(name)
        return out

    leads = frozenset(a.agency_id for a in ind.lead)
    return {
        "code": ind.code,
        "name": ind.name,
        "lead": names(ind.lead),
        "coordinate": names(ind.coordinate, leads),
    }


def choices_of(ans: Answer) -> list[Choice]:
    """The answer's clarifying choices, as every channel draws them (once, under the text)."""
    return [
        Choice(short(c.label, MAX_CHOICE_LABEL), f"pick:{i}") for i, c in enumerate(ans.choices)
    ]


def to_json(ans: Answer, text: str, agencies: dict[str, Agency]) -> dict:
    """The ``ask --json`` contract (see ../shared/eval/score.py)."""
    agency = ans.holder.name if ans.holder is not None else None  # who does what was found
    if ans.agency is not None:
        agency = (
            ans.named_as.name
            if ans.named_as is not None and ans.named_as.type == "commune"
            else ans.agency.name
        )
    return {
        "intent": ans.intent,
        "agency": agency,
        "indicators": (
            [
                {
                    "code": r.indicator.code,
                    "role": r.role,
                    "via": r.via.name if r.via is not None else None,
                }
                for r in ans.roles
            ]
            if ans.intent == "agency_indicators"
            else []
        ),
        "indicator": (
            indicator_json(ans.indicator, agencies) if ans.indicator is not None else None
        ),
        "deadlines": [
            {"date": v.deadline.date.isoformat(), "title": v.deadline.title, "status": v.status}
            for v in ans.deadlines
        ],
        "text": numbered(text, choices_of(ans)),  # as a channel without buttons shows it
        "understood": _understood_json(ans),
    }


def _understood_json(ans: Answer) -> dict | None:
    """For a question understood in part: what the answer given is about, and the words not
    understood."""
    inner = ans.understood
    if ans.problem != "partial" or inner is None:
        return None
    return {
        "intent": inner.intent,
        "indicator": inner.indicator.code if inner.indicator else None,
        "agency": inner.agency.name if inner.agency else None,
        "not_understood": ans.leftover,
    }
