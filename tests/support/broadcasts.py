"""A broadcast written into the delivery ledger and not yet sent: shared by the exactly-once
tests and the benchmark."""

from __future__ import annotations

from storage.delivery import broadcasts as broadcast_store
from storage.delivery import ledger
from storage.directory import groups, people

# the Telegram id of the focal department's official who sends it (and gets the delivery report)
SENDER = 1


def seed_broadcast(db, chats: list[int], text: str = "Thông báo cho {chat}") -> int:
    """Bind every Telegram group chat to Sở Xây dựng and write one broadcast row per chat;
    returns the broadcast id."""
    with db.session() as s:
        sender = people.identify(s, "telegram", str(SENDER), "Cán bộ đầu mối").id
        for chat in chats:
            b = groups.request_binding(
                s, "telegram", str(chat), f"Nhóm {chat}", "so-xay-dung", "Sở Xây dựng", sender
            )
            groups.decide_binding(s, b.id, True, sender)
        bc = broadcast_store.add(
            s, "Họp giao ban PGI", {"kind": "all"}, sender, "telegram", str(SENDER)
        )
        for chat in chats:
            ledger.enqueue(
                s,
                key=f"bc:{bc.id}:telegram:{chat}",
                kind="broadcast",
                channel="telegram",
                chat_id=str(chat),
                text=text.format(chat=chat),
                agency_id="so-xay-dung",
                broadcast_id=bc.id,
            )
    return bc.id
