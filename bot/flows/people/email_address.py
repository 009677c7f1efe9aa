"""/email: a person gives the bot an e-mail address, where messages go when no chat of theirs is
reachable (storage.directory.people.reachable_identities). The address is personal data:
/quyenriengtu xoa erases it with the rest, and ``/email xoa`` removes it at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.app.i18n import Translator
from bot.core.messages import Reply
from kb.email_address import BadAddress, parse_email
from kb.normalize import fold
from storage.directory import people

if TYPE_CHECKING:
    from bot.core.turn import Turn

REMOVE_WORDS = {"xoa", "remove", "delete", "erase"}


def address_problem(tr: Translator, exc: BadAddress) -> str:
    """What is wrong with a typed address, in the reader's language (the chat's and the
    console's rule)."""
    why = {
        "empty": tr.gettext("no address was given"),
        "long": tr.gettext("it is longer than 64 characters"),
        "at": tr.gettext("an address has exactly one “@”"),
        "local": tr.gettext(
            "the part before “@” may hold only letters without accents, digits and . _ - +"
        ),
        "domain": tr.gettext("the part after “@” must be a domain such as langson.gov.vn"),
    }.get(exc.code, str(exc))
    return tr.gettext(
        "This is not an e-mail address: {why}. Write it as name@domain, e.g."
        " vanthu.snnmt@langson.gov.vn."
    ).format(why=why)


def command(turn: Turn, args: str) -> Reply:
    """/email (what is kept), /email <address> (set it), /email xoa (remove it)."""
    tr, user = turn.tr, turn.user
    if user is None or not turn.msg.private:
        return Reply(
            tr.gettext(
                "Give your e-mail address in a private chat with the bot, from your own account."
            )
        )
    words = args.strip()
    if not words:
        current = people.email_of(turn.s, user.id)
        head = (
            tr.gettext("Your e-mail address: {address}.").format(address=current)
            if current
            else tr.gettext("You have given no e-mail address.")
        )
        return Reply(
            head
            + "\n"
            + tr.gettext(
                "When no chat with you can be reached, the bot's messages go there. Set it with"
                " /email name@domain, remove it with /email xoa."
            )
        )
    if fold(words) in REMOVE_WORDS:
        done = people.set_email(turn.s, user.id, None)
        return Reply(
            tr.gettext("Your e-mail address was removed.")
            if done == "removed"
            else tr.gettext("You have given no e-mail address.")
        )
    try:
        address = parse_email(words)
    except BadAddress as exc:
        return Reply(address_problem(tr, exc))
    done = people.set_email(turn.s, user.id, address)
    if done == "taken":
        return Reply(
            tr.gettext(
                "{address} is another person's address here; give your own, or ask an admin."
            ).format(address=address)
        )
    return Reply(
        tr.gettext(
            "Saved: when no chat with you can be reached, messages go to {address}."
        ).format(address=address)
    )
