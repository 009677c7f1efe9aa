"""The loop after launch: questions not understood are kept (text only, 90 days), admins see the
most frequent ones and turn one into an alias or everyday words in a new knowledge-base version."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.core.messages import Incoming
from storage.knowledge import unanswered as store
from storage.models.knowledge import UnansweredQuestion
from tests.support.web import ADMIN, MEMBER, sign_in
from tests.support.web_fixtures import client, clock, services  # noqa: F401 - fixtures


def _ask(services, text: str) -> str:
    """A question from a stranger in a private chat, through the conversation core."""
    reply = services.conversation.handle(
        Incoming(
            text=text, channel="telegram", chat_id="5001", user_id="9001", user_name="Nguyễn Văn A"
        )
    )
    assert reply is not None
    return reply.text


def test_a_question_not_understood_is_kept_without_its_asker(services):
    """A decline and a partial answer are recorded with what was understood; a full answer is
    not."""
    _ask(services, "chỉ số PCI 2023 của Lạng Sơn xếp thứ mấy")
    _ask(services, "giá vàng hôm nay")
    _ask(services, "Sở Xây dựng chủ trì chỉ số nào")
    with services.db.session() as s:
        rows = s.scalars(select(UnansweredQuestion).order_by(UnansweredQuestion.id)).all()
        got = [(r.text, r.outcome) for r in rows]
        assert [
            ("chỉ số PCI 2023 của Lạng Sơn xếp thứ mấy", "partial"),
            ("giá vàng hôm nay", "declined"),
        ] == got
        assert "not: pci" in rows[0].understood
        columns = set(UnansweredQuestion.__table__.columns.keys())
        assert not columns & {"user_id", "chat_id", "identity", "address", "agency_id"}


def test_questions_older_than_90_days_are_purged(services, clock):
    with services.db.session() as s:
        store.record(
            s,
            text="câu cũ",
            outcome="declined",
            understood="",
            now=clock() - timedelta(days=91),
            kb_version=1,
        )
        store.record(
            s, text="câu mới", outcome="declined", understood="", now=clock(), kb_version=1
        )
        assert ["câu mới"] == [f.text for f in store.frequent(s, clock())]


def test_the_most_frequent_come_first(services, clock):
    with services.db.session() as s:
        for text in ("a b", "x y", "X Y", "x  y"):
            store.record(
                s, text=text, outcome="declined", understood="", now=clock(), kb_version=1
            )
        assert [("x y", 3), ("a b", 1)] == [(f.key, f.count) for f in store.frequent(s, clock())]


def test_admins_see_the_page_and_members_are_refused(client, services):
    _ask(services, "giá vàng hôm nay")
    sign_in(client, services, MEMBER)
    assert 403 == client.get("/web/unanswered").status_code
    client.cookies.clear()
    sign_in(client, services, ADMIN)
    page = client.get("/web/unanswered")
    assert 200 == page.status_code and "giá vàng hôm nay" in page.text


def test_an_alias_added_from_the_page_becomes_a_new_version_to_activate(client, services):
    """The alias is staged as a version (not active), its diff names the agency; Activate makes
    it answer."""
    csrf = sign_in(client, services, ADMIN)
    before = services.knowledge.current.version.id
    response = client.post(
        "/web/unanswered/alias", data={"csrf": csrf, "agency": "dien-luc", "alias": "nhà đèn"}
    )
    assert 303 == response.status_code
    new_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert before == services.knowledge.current.version.id  # nothing activated yet
    diff = client.get(response.headers["location"]).text
    assert "Công ty Điện lực Lạng Sơn" in diff
    assert (
        303 == client.post(f"/web/kb/versions/{new_id}/activate", data={"csrf": csrf}).status_code
    )
    assert "Công ty Điện lực Lạng Sơn" in _ask(services, "nhà đèn phối hợp chỉ số nào")


def test_everyday_words_added_from_the_page_reach_the_lexicon(client, services):
    csrf = sign_in(client, services, ADMIN)
    response = client.post(
        "/web/unanswered/phrase", data={"csrf": csrf, "code": "1.2", "phrase": "khói bụi nhà máy"}
    )
    assert 303 == response.status_code
    diff = client.get(response.headers["location"]).text
    assert "khói bụi nhà máy" in diff


def test_a_bad_fix_is_refused_with_a_message_and_nothing_is_stored(client, services):
    csrf = sign_in(client, services, ADMIN)
    before = services.knowledge.current.version.id
    response = client.post(
        "/web/unanswered/phrase", data={"csrf": csrf, "code": "9.9", "phrase": "gì đó"}
    )
    assert 400 == response.status_code and "Chọn một chỉ số" in response.text
    response = client.post(
        "/web/unanswered/alias", data={"csrf": csrf, "agency": "dien-luc", "alias": "  "}
    )
    assert 400 == response.status_code
    assert before == services.knowledge.current.version.id
