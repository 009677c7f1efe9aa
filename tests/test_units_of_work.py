"""One unit of work per update: processed once even by two processes at the same moment, one
user per identity, and the choices offered kept in the database (a restart loses nothing)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from bot.app.services import build_services
from bot.core.messages import Incoming
from storage.directory import people


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_processes(request, settings):
    """Two sets of services (as two bot processes) on one database."""
    if request.param == "postgres":
        settings = replace(settings, database_url=request.getfixturevalue("postgres_url"))
    first, second = build_services(settings), build_services(settings)
    yield first, second
    first.close()
    second.close()


def _at_once(*calls):
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i, fn):
        barrier.wait()
        results[i] = fn()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_the_same_update_in_two_processes_is_handled_once(two_processes):
    """A webhook retried to two processes behind a load balancer: one reply, one user."""
    first, second = two_processes
    msg = Incoming("/start", "zalo", "u-1", "u-1", user_name="Lan", update_id="m-1", bot_id="b1")
    results = _at_once(
        lambda: first.conversation.handle(msg), lambda: second.conversation.handle(msg)
    )
    with first.db.session() as s:
        users = [people.find_identity(s, "zalo", "u-1")]
    assert 1 == sum(r is not None for r in results)
    assert users[0] is not None


def test_a_new_persons_first_messages_at_once_make_one_user(two_processes):
    """Two different first messages of one new person, handled at the same moment: one user."""
    first, second = two_processes
    a = Incoming("xin chào", "zalo", "u-2", "u-2", user_name="Minh", update_id="m-2", bot_id="b1")
    b = Incoming(
        "chỉ số 1.5", "zalo", "u-2", "u-2", user_name="Minh", update_id="m-3", bot_id="b1"
    )
    results = _at_once(lambda: first.conversation.handle(a), lambda: second.conversation.handle(b))
    with first.db.session() as s:
        ids = {
            i.user_id for i in people.identities_of(s, people.find_identity(s, "zalo", "u-2").id)
        }
    assert all(r is not None for r in results)
    assert 1 == len(ids)


def test_the_same_update_id_of_another_bot_is_a_new_update(two_processes):
    """Processed marks are kept per channel and bot: a new token (or an id reset) skips no real
    message."""
    first, _ = two_processes
    one = Incoming("xin chào", "telegram", "7", "7", update_id="100", bot_id="111")
    other_bot = replace(one, bot_id="222")
    other_channel = replace(one, channel="zalo")
    assert [True, False, True, True] == [
        first.conversation.handle(m) is not None for m in (one, one, other_bot, other_channel)
    ]


def test_choices_offered_survive_a_restart(settings):
    """The numbered choices live in the database: after a restart the typed number still picks
    one."""
    services = build_services(settings)
    ask = Incoming("/ngonngu", "zalo", "u-3", "u-3", update_id="m-10", bot_id="b1")
    offered = services.conversation.handle(ask)
    services.close()
    restarted = build_services(settings)
    picked = restarted.conversation.handle(replace(ask, text="2", update_id="m-11"))
    restarted.close()
    assert ["Tiếng Việt", "English"] == [c.label for c in offered.choices]
    assert "I will answer you in English from now on." == picked.text


def test_hanchot_shows_what_is_coming_and_counts_what_has_passed(services):
    """/hanchot with only past deadlines: none listed, their number and how to see them;
    /hanchot cu lists them."""
    plain = services.conversation.handle(
        Incoming("/hanchot", "zalo", "u-9", "u-9", update_id="m-20", bot_id="b1")
    )
    past = services.conversation.handle(
        Incoming("/hanchot cu", "zalo", "u-9", "u-9", update_id="m-21", bot_id="b1")
    )
    assert "20/12/2024" not in plain.text and "/hanchot cu" in plain.text
    assert "20/12/2024" in past.text and "10/12/2024" in past.text
