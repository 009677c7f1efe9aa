"""Turns the engine's structured answers into short replies in the user's language: one renderer
per intent."""

from __future__ import annotations

from bot.app.i18n import Translator
from bot.core.render.data_requests import data_request_lines
from bot.core.render.deadlines import deadline_lines
from bot.core.render.declines import more_lines, not_held_lines
from bot.core.render.documents import document_lines
from bot.core.render.formatting import plan_short
from bot.core.render.partial import partial_lines
from bot.core.render.premise import premise_lines
from bot.core.render.roles import agency_indicator_lines, indicator_agency_lines
from bot.core.render.scores import score_lines
from bot.core.render.tasks import task_lines
from kb.ask.answers import Answer
from kb.model import Agency


def render(ans: Answer, tr: Translator, agencies: dict[str, Agency] | None = None) -> str:
    """The whole answer: each channel splits a long one within its own message limit."""
    renderer = _RENDERERS.get(ans.intent, unknown_lines)
    lines = premise_lines(ans, tr) + [
        line for line in renderer(ans, tr, agencies or {}) if line is not None
    ]
    return "\n".join(lines).strip()


def examples(tr: Translator) -> list[str]:
    _ = tr.gettext
    return [
        _("• “Sở Xây dựng chủ trì chỉ số nào?” — an agency's indicators"),
        _("• “Ai chủ trì chỉ số 1.5?” — who leads or coordinates an indicator"),
        _("• “Hạn nộp báo cáo khi nào?” — deadlines"),
        _("• “Điểm PGI 2023 của tỉnh?” — scores and targets"),
        _("• “Sở Công Thương có nhiệm vụ gì?” — tasks in the plan"),
        _("• “Sở Y tế cần cung cấp số liệu gì?” — data requests"),
    ]


def help_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    return [
        _(
            "I answer questions about Lạng Sơn's plans to improve the Provincial Green Index"
            " (PGI), from the plan documents. You can ask, even without diacritics:"
        ),
        *examples(tr),
    ]


def document_answer_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    return document_lines(ans, tr)


def clarify_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    """The question only: the candidates travel as the reply's choices, drawn once by each
    channel."""
    _ = tr.gettext
    if ans.problem == "partial":
        return partial_lines(ans, tr, lambda inner: render(inner, tr, agencies))
    if ans.problem == "unknown_place":
        return [
            _(
                "Lạng Sơn has no commune or ward called “{name}” since 1/7/2025 (65 communes and"
                " wards). Which one do you mean? Write its current name."
            ).format(name=ans.problem_detail)
        ]
    if ans.problem == "which_deadline":
        return [
            _(
                "The plans set several deadlines, for different bodies and tasks. Which one do you"
                " mean? (Or name your agency, or sign up with /dangky, to see yours.)"
            )
        ]
    if ans.problem in ("unlisted_or_registered", "did_you_mean"):
        return [_("Which body do you mean? I will not answer for another agency without asking.")]
    return [_("Which one do you mean?")]


def unknown_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    if ans.problem == "unknown_code" and ans.plan is not None:
        return [
            _("There is no indicator {code} in {plan}.").format(
                code=ans.problem_detail, plan=plan_short(ans.plan, tr)
            ),
            _("Its indicators are numbered {ranges}.").format(ranges=ranges_text(ans)),
        ]
    if ans.problem == "unknown_component" and ans.plan is not None:
        return [
            _("There is no component index {code} in {plan}.").format(
                code=ans.problem_detail, plan=plan_short(ans.plan, tr)
            ),
            _("Its indicators are numbered {ranges}.").format(ranges=ranges_text(ans)),
        ]
    more = more_lines(
        ans,
        tr,
        lambda: score_lines(ans, tr, agencies),
        lambda: document_answer_lines(ans, tr, agencies),
    )
    if more:
        return more
    if ans.problem == "not_held":
        return not_held_lines(ans, tr)
    if ans.problem == "not_named":
        return [
            _(
                "The plans do not name {agency} anywhere, and it is not a provincial body: no"
                " indicator or task of the plans is assigned to it. Ask with the name of a"
                " provincial agency."
            ).format(agency=ans.problem_detail)
        ]
    if ans.problem == "no_such_body":
        return [
            _(
                "I know of no provincial body called {agency}: the plans do not name it, and it"
                " is none of the departments a province has. Check the name, or ask with the"
                " name of a provincial agency."
            ).format(agency=ans.problem_detail)
        ]
    if ans.problem == "need_agency":
        return [
            _(
                "Which agency do you mean? Ask with its name, e.g. “Sở Xây dựng chủ trì chỉ số"
                " nào?”, or sign up with /dangky so I know your agency."
            )
        ]
    return [
        _("I can't answer that from the plan documents I have. I can tell you:"),
        *examples(tr),
    ]


def ranges_text(ans: Answer) -> str:
    """ "1.1–1.15, 2.1–2.11, …": the first and last code of each component index."""
    by_component: dict[str, list[str]] = {}
    for code in ans.valid_codes:
        by_component.setdefault(code.split(".")[0], []).append(code)
    return ", ".join(
        f"{codes[0]}–{codes[-1]}" if len(codes) > 1 else codes[0]
        for codes in by_component.values()
    )


_RENDERERS = {
    "agency_indicators": agency_indicator_lines,
    "indicator_agencies": indicator_agency_lines,
    "scores": score_lines,
    "deadlines": deadline_lines,
    "tasks": task_lines,
    "data_requests": data_request_lines,
    "help": help_lines,
    "clarify": clarify_lines,
    "unknown": unknown_lines,
    "documents": document_answer_lines,
}
