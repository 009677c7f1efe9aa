"""The verdict on a value the question stated ("hạn là 15/3/2023 à?"): right or not, and the
documents' figure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.app.i18n import Translator
from kb.ask.answers import Answer


def _actual(ans: Answer, tr: Translator) -> str:
    premise = ans.premise
    assert premise is not None
    if premise.kind == "date":
        return tr.date(date.fromisoformat(premise.actual))
    if premise.kind == "measure":
        value = Decimal(premise.actual)
        exponent = (
            value.as_tuple().exponent
        )  # a letter for NaN and infinities, which have no decimals
        return tr.decimal(value, max(0, -exponent) if isinstance(exponent, int) else 0) + (
            "%" if premise.stated.endswith("%") else ""
        )
    return premise.actual


def premise_lines(ans: Answer, tr: Translator) -> list[str]:
    _ = tr.gettext
    premise = ans.premise
    if premise is None or premise.holds is None or not premise.actual:
        return []
    if premise.holds:
        return [_("Yes, that is right: {actual}.").format(actual=_actual(ans, tr))]
    return [
        _("No: the documents say {actual}, not {stated}.").format(
            actual=_actual(ans, tr), stated=premise.stated
        )
    ]
