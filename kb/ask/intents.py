"""The words that tell what a question asks: intents, roles, first person, deadline topics.

Every phrase is normalised like the questions (see kb/normalize.py), so one list serves text typed
with or without diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kb.normalize import normalize
from kb.words import mentions


def _phrases(*items: str) -> frozenset[tuple[str, ...]]:
    """Phrases as token tuples, in a set: ``has`` intersects it with a question's grams without
    rehashing."""
    return frozenset(tuple(normalize(i).split()) for i in items)


SCORE_EXTRA = (
    "kết quả",
    "phần trăm",
    "bao nhiêu phần trăm",
    "đạt bao nhiêu",
    "percent",
    "percentage",
)
LEAD_WORDS = _phrases(
    "chủ trì",
    "chu tri",
    "lead",
    "leads",
    "led",
    "leading",
    "in charge",
    "làm chính",
    "đơn vị chính",
    "cơ quan chính",
    "chịu trách nhiệm chính",
    "ai chính",
    "lo chính",
    "phụ trách chính",
    "main agency",
    "main responsibility",
)
COORD_WORDS = _phrases(
    "phối hợp",
    "coordinate",
    "coordinates",
    "coordinating",
    "support",
    "supports",
    "assist",
    "assists",
)
BOTH_WORDS = _phrases(
    "phụ trách", "liên quan", "trách nhiệm", "tham gia", "responsible", "involved", "involve"
)
DEADLINE_WORDS = _phrases(
    "hạn",
    "thời hạn",
    "hạn chót",
    "hạn nộp",
    "deadline",
    "deadlines",
    "khi nào",
    "bao giờ",
    "ngày nào",
    "due",
    # "when" asks a time at the head of a question, not inside a clause ("… when they invest")
    "when is",
    "when are",
    "when do",
    "when does",
    "when must",
    "when should",
    "when will",
    "when to",
    "when the deadline",
    "trước ngày",
    "chậm nhất",
    "hết hạn",
    "mấy giờ",
    "hạn hoàn thành",
    "thời gian hoàn thành",
    "hạn cuối",
    "khi nào xong",
    "bao lâu nữa",
    "còn bao lâu",
    "còn mấy ngày",
    "mấy ngày nữa",
    "how long until",
    "how many days",
    "by when",
    "tháng này",
    "tháng sau",
    "tháng tới",
    "tuần này",
    "tuần sau",
    "tuần tới",
    "this month",
    "next month",
    "this week",
    "next week",
)
DATA_WORDS = _phrases(
    "số liệu",
    "biểu mẫu",
    "dữ liệu",
    "data",
    "cung cấp thông tin",
    "thông tin số liệu",  # "được đề nghị gửi những thông tin, số liệu nào"
    "được đề nghị gửi",
    "đề nghị cung cấp",
    # supplying what: "Sở TN&MT đề nghị Ban … cung cấp gì" ("cung cấp nước sạch" supplies water)
    "cung cấp gì",
    "cung cấp những gì",
    "cung cấp cái gì",
    "bộ chỉ số bảo vệ môi trường",
    "bộ chỉ số đánh giá",
    "chỉ số bảo vệ môi trường",
    "environmental protection index",
    "forms",
    "biểu",
    "biểu số",
    "mẫu biểu",
    "biểu nào",
    "form",
)
SCORE_WORDS = _phrases(
    "điểm",
    "xếp hạng",
    "thứ hạng",
    "thứ mấy",
    "hạng mấy",
    "xếp thứ",
    "trung vị",
    "mục tiêu",
    "phấn đấu",
    "kết quả đánh giá",
    "bao nhiêu điểm",
    "tăng bao nhiêu",  # a change asks for a figure of the score table
    "giảm bao nhiêu",
    "tăng hay giảm",
    "tăng mấy",
    "giảm mấy",
    "score",
    "scores",
    "scored",
    "rank",
    "ranking",
    "ranked",
    "target",
    "targets",
    "median",
    "points",
    "result",
    "results",
)
# Words that make a score question only next to a PGI reference: "kết quả bóng đá" is not one.
SCORE_CONTEXT_WORDS = _phrases(*SCORE_EXTRA)
PGI_CONTEXT = _phrases(
    "pgi", "chỉ số", "chỉ số thành phần", "chỉ số xanh", "indicator", "component"
)
TASK_WORDS = _phrases(
    "nhiệm vụ",
    "giải pháp",
    "làm gì",
    "cần làm",
    "phải làm",
    "công việc",
    "việc gì",
    "mục đích",
    "yêu cầu",
    "trách nhiệm gì",
    "trách nhiệm những gì",
    "rà soát những gì",
    "rà soát gì",
    "phải rà soát",
    "vai trò gì trong kế hoạch",
    "vai trò trong kế hoạch",
    # what the plan has a body do: "phải tổ chức hoạt động gì để quảng bá …"
    "hoạt động gì",
    "tổ chức gì",
    "phải tổ chức",
    "task",
    "tasks",
    "duties",
    "duty",
    "what to do",
    "what should",
    "what must",
    "purpose",
)
HELP_WORDS = _phrases(
    "help",
    "giúp",
    "hướng dẫn",
    "trợ giúp",
    "làm được gì",
    "bạn là ai",
    "hỏi gì",
    "xin chào",
    "chào",
    "hello",
    "hi",
    "start",
    "menu",
    "what can you do",
)
INDICATOR_WORDS = _phrases("chỉ số", "chỉ tiêu", "tiêu chí", "indicator", "indicators", "pgi")
SELF_WORDS = _phrases(
    "tôi",
    "chúng tôi",
    "mình",
    "chúng mình",
    "đơn vị mình",
    "cơ quan mình",
    "bên mình",
    "chúng em",
    "em",
    "đơn vị tôi",
    "cơ quan tôi",
    "i",
    "we",
    "my",
    "our",
    "us",
    "me",
)
# Words that carry no topic: removed before matching indicator names or deadline titles.
STOP = frozenset(
    normalize(
        "chỉ số chỉ tiêu tiêu chí nào gì ai là của có không được những các cho về do thì này trong"
        " kế hoạch pgi năm cần phải làm và với tại đâu bao nhiêu nhiêu mấy hỏi xin cho biết hãy"
        " vui lòng ạ nhé hiện nay what which who is are the of for in on to a an does do did was"
        " were which how many much plan tỉnh lạng sơn hiện hành thuộc theo đã sẽ đang một số nội"
        " dung liên quan phụ trách chủ trì phối hợp hạn thời chót nộp gửi khi nào bao giờ ngày"
        " deadline when due trước chậm nhất tôi chúng mình em đơn vị cơ quan bên i we my our us me"
        " xanh green index"
        # English function words ("firms benefiting from … when they invest")
        " from they them their it its this that these those with by at if as be been has have had"
        " there about was s score scores component components get got gets"
        # "khác nhau", "với nhau": other, each other
        " khác nhau"
        # a classifier: "cái này thuộc chỉ số nào"; a matter, a moment: "chuyện này", "lúc có lúc
        # không", "có hôm còn …"
        " cái chuyện lúc hôm còn từ tuần đấy chẳng"
    ).split()
)
# Deadline topics use their own stop list: "nộp/gửi/báo cáo" are topic words there.
DEADLINE_STOP = (STOP - frozenset(normalize("báo cáo kế hoạch").split())) | frozenset(
    # every deadline's title is a task: "có nhiệm vụ tổng hợp …"; "cho tôi xem hạn"
    normalize("nhiệm vụ xem").split()
)
# "bao" of a question word ("bao giờ", "bao lâu", "bao nhiêu") is no "báo" of "báo cáo"
_ASKS_WITH_BAO = frozenset(normalize("giờ lâu nhiêu").split())

_DOC_NUMBER = re.compile(
    r"(\d{1,4})\s*/\s*(?:KH|QĐ|QD|CV|VP|BTNMT|STNMT|TB)[-\s]*[A-Za-zĐđ&]*", re.I
)
# First person, written with diacritics: "tôi" is me, "tối" is evening; without diacritics "toi" is
# taken as me.
_SELF_EXACT = (
    "tôi",
    "chúng tôi",
    "mình",
    "chúng mình",
    "chúng em",
    "em",
    "đơn vị tôi",
    "cơ quan tôi",
)
_RECIPIENT_BEFORE = frozenset({"cho", "gui", "ve", "den"})

NAME_MATCH_MIN = 0.6
NAME_MATCH_MARGIN = 0.08


MAX_PHRASE = 6


class Grams(frozenset):
    """Every run of up to MAX_PHRASE tokens of a question, for constant-time phrase checks."""

    @classmethod
    def of(cls, toks: list[str]) -> Grams:
        t = tuple(toks)
        n = len(t)
        return cls([t[i : i + k] for k in range(1, MAX_PHRASE + 1) for i in range(n - k + 1)])


def has(grams: Grams | list[str], phrases: Iterable[tuple[str, ...]]) -> bool:
    if not isinstance(grams, Grams):
        grams = Grams.of(grams)
    return not grams.isdisjoint(phrases)  # any(p in grams for p in phrases), in C


def self_reference(question: str, grams: Grams) -> bool:
    if not has(grams, SELF_WORDS):
        return False
    if not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", question)):
        return True  # typed without diacritics: "toi" is taken as "tôi"
    words = re.findall(r"\w+", question.lower())
    text = f" {' '.join(words)} "
    english = {"i", "we", "my", "our", "us", "me"}
    return any(f" {w} " in text for w in _SELF_EXACT) or bool(english & set(words))


_DOC_WORDS = frozenset({"pgi", "nay", "so"})


def deadline_topic(toks: list[str]) -> list[str]:
    """Words of a deadline question that say which deadline; none when all deadlines are asked
    for."""
    text = " ".join(toks)
    if (
        " cac thoi han" in f" {text}"
        or " cac han" in f" {text}"
        or "tat ca" in text
        or "all deadlines" in text
    ):
        return []
    out = []
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 2] if i + 2 < len(toks) else ""
        if (
            t == "ke"
            and i + 1 < len(toks)
            and toks[i + 1] == "hoach"
            and (nxt in _DOC_WORDS or nxt.isdigit())
        ):
            i += 3 if nxt else 2  # "kế hoạch PGI", "kế hoạch 86": the document, not a topic
            continue
        if t == "bao" and toks[i + 1 : i + 2] and toks[i + 1] in _ASKS_WITH_BAO:
            i += 2
            continue
        if t not in DEADLINE_STOP and not t.isdigit() and not mentions.YEAR.match(t):
            out.append(t)
        i += 1
    return out


_MONTHS_EN = {
    m: n
    for n, m in enumerate(
        (
            "january february march april may june july august september october november december"
        ).split(),
        start=1,
    )
}
_BEFORE_MONTH = frozenset("in by of end before until".split())
# what one does by a month's end: a month named with one of these asks for that month's deadlines
SUBMIT_WORDS = _phrases(
    "nộp", "gửi", "báo cáo", "hoàn thành", "xong", "submit", "send", "report", "due"
)


def named_month(toks: tuple[str, ...] | list[str]) -> tuple[int, int | None] | None:
    """(month, year or None) of "tháng 12", "tháng 12/2024", "tháng 12 năm 2024", "in December";
    None when no month is named. "10/12/2024" is a date, not a month: its month follows a day."""
    for i, t in enumerate(toks):
        month = None
        if t == "thang" and i + 1 < len(toks) and toks[i + 1].isdigit():
            month, rest = int(toks[i + 1]), toks[i + 2 : i + 4]
        elif t in _MONTHS_EN and (
            (toks[i - 1] if i else "") in _BEFORE_MONTH
            or any(mentions.YEAR.match(w) for w in toks[i + 1 : i + 2])
        ):  # "in May", "May 2024": not the "mấy" of "biểu mấy"
            month, rest = _MONTHS_EN[t], toks[i + 1 : i + 2]
        if month is None or not 1 <= month <= 12:
            continue
        rest = [w for w in rest if w != "nam"]
        year = int(rest[0]) if rest and mentions.YEAR.match(rest[0]) else None
        return month, year
    return None
