"""A broadcast written into the delivery ledger and not yet sent: shared by the exactly-once tests and the benchmark."""

from __future__ import annotations

from storage import deadlines as deadline_store
from storage import groups, ledger


def seed_broadcast(db, chats: list[int], text: str = "Thông báo cho {chat}") -> int:
    """Bind every chat to Sở Xây dựng and write one broadcast row per chat; returns the broadcast id."""
    with db.session() as s:
        for chat in chats:
            b = groups.request_binding(s, chat, f"Nhóm {chat}", "so-xay-dung", "Sở Xây dựng", 1)
            groups.decide_binding(s, b.id, True, 1)
        bc = deadline_store.add_broadcast(s, "Họp giao ban PGI", {"kind": "all"}, 1, 1)
        for chat in chats:
            ledger.enqueue(s, key=f"bc:{bc.id}:{chat}", kind="broadcast", chat_id=chat, text=text.format(chat=chat),
                           broadcast_id=bc.id)
    return bc.id
