"""The command menu: every command a chat offers, in menu order, with its description (through
gettext)."""

from __future__ import annotations

from bot.app.i18n import N_

# (command, description) for the command menu, in menu order; descriptions go through gettext.
COMMANDS: list[tuple[str, str]] = [
    ("start", N_("Start and sign up")),
    ("help", N_("What I can answer")),
    ("chiso", N_("My indicators")),
    ("hanchot", N_("My deadlines")),
    ("capnhat", N_("Post a progress update")),
    ("tiendo", N_("Progress of my indicators")),
    ("diem", N_("PGI scores and targets")),
    ("nhiemvu", N_("My tasks in the plan")),
    ("dangky", N_("Sign up (or bind a group) to an agency")),
    ("lienket", N_("Link your accounts on other channels")),
    ("ngonngu", N_("Language: Tiếng Việt / English")),
    ("themhan", N_("Focal department: add a deadline")),
    ("dshan", N_("Focal department: list, edit or cancel deadlines")),
    ("thongbao", N_("Focal department: broadcast to agencies")),
    ("xetduyet", N_("Focal department: review progress updates")),
    ("giaitrinh", N_("Requests for explanation: ask, or answer")),
    ("giahan", N_("Ask for a deadline extension (focal department: decide)")),
    ("phutrach", N_("Responsible officials of an agency's indicators")),
    ("lanhdao", N_("Agency leaders (admins grant the role)")),
    ("nguongtre", N_("Focal department: when leaders are told of overdue items")),
    ("baocao", N_("Focal department: the consolidated report")),
    ("web", N_("Sign-in link to the web console")),
    ("email", N_("Your e-mail address, for when no chat reaches you")),
    ("quyenriengtu", N_("Privacy: what the bot keeps about you, and erasure")),
]
