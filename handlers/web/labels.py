"""Words the console shows for values stored in English: who loaded a knowledge-base version,
how much it holds, where a message went and how its delivery stands. Stored values stay as they
are (the audit log and the command line read them); the reader gets them in their language."""

from __future__ import annotations

from bot.app.i18n import N_, Translator, channel_name
from bot.core.knowledge import loaded_by
from storage.delivery import ledger

DELIVERY_LABELS = {
    ledger.PENDING: N_("waiting"),
    ledger.CLAIMED: N_("being sent"),
    ledger.IN_FLIGHT: N_("being sent"),
    ledger.SENT: N_("sent"),
    ledger.FAILED: N_("failed"),
    ledger.GONE: N_("unreachable"),
    ledger.UNCERTAIN: N_("uncertain (may have arrived)"),
    ledger.SKIPPED: N_("skipped"),
}


def channel(tr: Translator, name: str) -> str:
    return channel_name(tr, name)


def delivery(tr: Translator, status: str) -> str:
    label = DELIVERY_LABELS.get(status)
    return tr.gettext(label) if label else status


def kb_counts(tr: Translator, counts: dict[str, int]) -> str:
    """ "4 văn bản, 42 cơ quan, …" from a version's counts."""
    out = []
    for key, n in counts.items():
        if key == "documents":
            out.append(tr.ngettext("{n} document", "{n} documents", n))
        elif key == "agencies":
            out.append(tr.ngettext("{n} agency", "{n} agencies", n))
        elif key == "components":
            out.append(tr.ngettext("{n} component index", "{n} component indices", n))
        elif key == "indicators":
            out.append(tr.ngettext("{n} indicator", "{n} indicators", n))
        elif key == "tasks":
            out.append(tr.ngettext("{n} task", "{n} tasks", n))
        elif key == "deadlines":
            out.append(tr.ngettext("{n} deadline", "{n} deadlines", n))
        elif key == "data_items":
            out.append(tr.ngettext("{n} data item", "{n} data items", n))
        else:
            out.append("{n} " + key)
    return ", ".join(o.format(n=n) for o, n in zip(out, counts.values(), strict=True))


__all__ = ["DELIVERY_LABELS", "channel", "delivery", "kb_counts", "loaded_by"]
