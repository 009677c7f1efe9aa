"""What a parsed question asks: one small predicate per kind, tried in order.

The first kind whose predicate holds is what is asked; kb/ask/executors/ answer it. A new kind of
question is one predicate here and one executor there, not a branch in a chain.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from kb.ask import understand as U
from kb.ask.executors.counts import role_count_asked
from kb.ask.intents import (
    COORD_WORDS,
    DATA_WORDS,
    DEADLINE_WORDS,
    INDICATOR_WORDS,
    LEAD_WORDS,
    PGI_CONTEXT,
    SCORE_WORDS,
    SUBMIT_WORDS,
    TASK_WORDS,
    Grams,
    has,
    named_month,
)
from kb.ask.parse import Parsed
from kb.normalize import fold
from kb.words import marks

if TYPE_CHECKING:
    from kb.ask.ports import EngineApi as Engine


def other_province(p: Parsed) -> str | None:
    """Another province named ("Bắc Giang", not "xã Bắc Giang"), as written, or None."""
    if p.grams.isdisjoint(U.PROVINCES):
        return None
    # Lạng Sơn itself is masked first: "… ở Lạng Sơn là bao nhiêu" holds "sơn là", not Sơn La
    text = f" {' '.join(p.toks)} ".replace(" lang son ", " _ ")
    for name in U.PROVINCES:
        if name not in p.grams:
            continue
        phrase = " ".join(name)
        pos = text.find(f" {phrase} ")
        if pos < 0:
            continue
        before = text[:pos].split()[-1:] or [""]
        if before[0] in ("xa", "phuong", "huyen", "ubnd"):
            continue
        return _as_written(p, name) or phrase.title()
    return None


def _as_written(p: Parsed, name: tuple[str, ...]) -> str | None:
    """The name as the question writes it ("Đà Nẵng", not "Da Nang"), if its words are found."""
    toks = list(p.toks)
    for i in range(len(toks) - len(name) + 1):
        if tuple(toks[i : i + len(name)]) == name:
            written = marks.aligned(p.question, toks)[i : i + len(name)]
            if all(written):
                return " ".join(w[:1].upper() + w[1:] for w in written if w)
    return None


def not_held_kind(p: Parsed) -> tuple[str, str] | None:
    """("other_province", name) | ("person", "") when the documents cannot hold the answer."""
    g = p.grams
    # another province's plan, scores or bodies: the documents are Lạng Sơn's alone
    other = other_province(p)
    if other:
        scored = p.is_score or has(g, U.RESULT_WORDS)
        return ("other_province" if scored else "other_province_plan"), other
    if (
        _asks_person(p.toks)
        and not has(g, DATA_WORDS)
        and not (has(g, U.DOC_SIGNED) or has(g, U.DOC_ISSUED))
    ):
        return "person", ""
    if (p.is_score and has(g, U.OTHER_RANKS) and not has(g, U.COMPONENT_SCOPE)) or has(
        g, U.WHICH_PROVINCE
    ):
        return "other_province", ""
    if p.is_score and has(g, U.WHICH_YEAR) and not p.named_docs:
        return "which_year", ""
    if _submitted(p):
        return "status", ""
    if _money(p):
        return "budget", ""
    if has(g, _COMMUNE_MAP):
        return "commune_map", ""
    # "cung cấp số liệu gì cho bộ chỉ số đánh giá kết quả BVMT": its data, not its score
    if p.is_score and has(g, BVMT_INDEX) and not has(g, _ITS_DATA):
        return "bvmt_score", ", ".join(str(y) for y in p.years)
    return None


# money asked for ("kinh phí thực hiện kế hoạch là bao nhiêu tỷ"): the documents state no amount;
# kept out of the cue words (kb/ask/coverage.py), which explain a word wherever it stands
_BUDGET = U._phrases(
    "kinh phí", "ngân sách", "tiền", "nguồn tiền", "tỷ đồng", "triệu đồng", "dự toán",
    "budget", "funding", "money",
)  # fmt: skip
_AMOUNT = U._phrases(
    "bao nhiêu", "mấy", "tổng", "mức", "tỷ đồng", "triệu đồng", "bố trí", "phân bổ",
    "được cấp", "how much", "amount", "allocated",
)  # fmt: skip


# which communes a former district became, or the district a commune was in: the list of the 65
# communes and wards (kb/data/places.yaml) does not say
_COMMUNE_MAP = U._phrases(
    "gồm những xã", "gồm các xã", "gồm xã nào", "là xã nào", "là những xã nào", "thành xã nào",
    "thành những xã nào", "nhập vào xã nào", "thuộc huyện nào", "huyện nào cũ",
    "trước thuộc huyện", "trước đây thuộc huyện", "từ những xã nào", "which communes",
    "which district", "former district of",
)  # fmt: skip


def _money(p: Parsed) -> bool:
    """Whether an amount of money is asked ("kinh phí thực hiện kế hoạch là bao nhiêu", "ngân sách
    cho chỉ số 3.3"): the plans state none. An indicator's subject ("thiếu kinh phí", "tiền … chiếm
    bao nhiêu %"), a data item ("số liệu chi ngân sách") or a task ("Sở Tài chính phải làm gì") is
    not asked so."""
    g = p.grams
    if has(g, _BUDGET) and has(g, _SUM):
        return True  # "bao nhiêu tỷ": a sum of money, whatever else the question says
    return has(g, _BUDGET) and has(g, _AMOUNT) and not any(has(g, words) for words in _NOT_MONEY)


# a sum of money asked in its own unit ("tỷ lệ" is a share: "bao nhiêu tỷ lệ" is not written)
_SUM = U._phrases(
    "bao nhiêu tỷ", "mấy tỷ", "bao nhiêu triệu", "mấy triệu", "bao nhiêu tiền", "bao nhiêu đồng",
    "how much money", "how many billion",
)  # fmt: skip


# the words of a data item, a task, a role, a ratio or a lack: "thiếu kinh phí" is 4.2's subject,
# "tiền đầu tư xanh chiếm bao nhiêu phần trăm" 3.7's
_NOT_MONEY = (
    DATA_WORDS,
    TASK_WORDS,
    LEAD_WORDS,
    COORD_WORDS,
    U._phrases("thiếu", "không đủ", "không có", "hết", "lack", "lacking", "shortage"),
    U._phrases("phần trăm", "tỷ lệ", "tỉ lệ", "chiếm", "percent", "percentage", "share"),
)


_PERSON_MAX = max(len(x) for x in U.PERSON)
# a person who asks, assigns or is reported to is no person asked about: "lãnh đạo hỏi …", "lãnh
# đạo có nhắc …", "tham mưu lãnh đạo", "báo cáo lãnh đạo", "họp giao ban lãnh đạo"
_PERSON_ACTS = frozenset("hoi giao yeu chi nhac co da muon can de dang vua noi bao nho".split())
_PERSON_SERVED = frozenset("muu cao cho ban hop gui xin".split())


# an introduction's first person and verb: the post after it is the asker's ("em là phó phòng")
_SELF_IS = frozenset((s, "la") for s in ("toi", "em", "minh", "anh", "chi"))


# words of a telecom service or of the device before "điện thoại" ("mất sóng", "mở điện thoại ra"):
# the network or the phone itself is meant, not a phone number
_SERVICE = frozenset("song mang vien mat internet wifi mo tren bang dung".split())


def _asks_person(toks: tuple[str, ...]) -> bool:
    """Whether a person, a phone number or an address is asked about."""
    for i in range(len(toks)):
        for k in range(_PERSON_MAX, 0, -1):
            if toks[i : i + k] not in U.PERSON:
                continue
            before = toks[i - 1 : i] if i else ()
            if toks[i : i + k] == ("dien", "thoai") and set(before) & _SERVICE:
                break  # "mất sóng điện thoại": the phone service, no number asked
            if toks[i - 2 : i] in _SELF_IS if i >= 2 else False:
                break  # "tôi là trưởng phòng …": the asker's own post
            if toks[i - 1 : i] in (("my",), ("our",)):
                break  # "my director asked me …": who sent the asker
            if toks[i : i + 2] == ("lanh", "dao"):
                # "lãnh đạo Sở yêu cầu rà soát": the leader who asked, one body word between
                ahead = set(toks[i + k : i + k + 3])
                if ahead & _PERSON_ACTS or set(before) & _PERSON_SERVED:
                    break
            return True
    return False


# the other index of the documents: the 2022 environmental-protection index, whose data was asked
# for
BVMT_INDEX = U._phrases(
    "bộ chỉ số bảo vệ môi trường",
    "chỉ số bảo vệ môi trường",
    "bộ chỉ số đánh giá kết quả bảo vệ môi trường",
    "đánh giá bảo vệ môi trường",
    "kết quả bảo vệ môi trường",  # the phrase checks hold six words at most
    "environmental protection index",
)
_ITS_DATA = U._phrases("số liệu", "dữ liệu", "biểu mẫu", "cung cấp", "data")
_SUBMIT = frozenset("nop gui cung bao hoan lam thuc submit submitted send sent".split())


def _submitted(p: Parsed) -> bool:
    """Whether someone has submitted ("Sở X đã nộp số liệu chưa"): progress no document records."""
    toks = p.toks
    if "chua" not in toks[-2:] or "da" not in toks:
        return False
    start = toks.index("da")
    return any(t in _SUBMIT for t in toks[start + 1 : start + 3])


_CAPITALS = re.compile(r"\b[A-ZĐ][A-ZĐ&]{1,9}\b")


def abbreviation_asked(p: Parsed) -> str | None:
    """The abbreviation whose meaning is asked ("PGI là viết tắt của gì", "VCCI là gì"), folded,
    or None. "… BVMT 2022 là gì" asks for an item, not for "BVMT": an abbreviation followed only
    by "là gì" is asked about only when it opens the question."""
    caps = _CAPITALS.findall(p.question)
    if not caps:
        return _typed_low(p) if has(p.grams, U.DOC_ABBREVIATION) else None
    if has(p.grams, U.DOC_ABBREVIATION):
        return fold(caps[0])
    words = fold(p.question).split()
    if has(p.grams, U.WHAT_IS) and words and words[0] == fold(caps[0]) and len(words) <= 4:
        return words[0]
    return None


_NOT_SHORT = frozenset("la cua gi j nghia co vay z the chu tu".split())


def _typed_low(p: Parsed) -> str | None:
    """The abbreviation of a question typed in lower case ("pgi la viet tat cua j"): the word
    before "(là) viết tắt", else the one after it, folded."""
    words = fold(p.question).split()
    at = next((i for i in range(len(words) - 1) if words[i : i + 2] == ["viet", "tat"]), None)
    if at is None:
        return None
    before = [w for w in words[:at] if w not in _NOT_SHORT][-1:]
    after = [w for w in words[at + 2 :] if w not in _NOT_SHORT][:1]
    found = before or after
    return found[0] if found and found[0].isalpha() else None


# what must be done by a day: "phải ban hành trước ngày nào", "hạn ban hành"
_BY_THEN = U._phrases("phải ban hành", "trước ngày nào", "hạn ban hành", "chậm nhất", "by when")
_DOC_NOUNS = U._phrases("văn bản", "công văn", "kế hoạch", "phụ lục", "document", "letter", "plan")


def document_kind(p: Parsed) -> str | None:
    """Which fact about the documents is asked ("signed", "issued", "count", …), or None."""
    g, toks = p.grams, p.toks
    if has(g, U.DOC_SIGNED) and (p.named_docs or has(g, _DOC_NOUNS)):
        return "signed"  # "văn bản … của Sở TN&MT do ai ký": the body named issued it
    if p.mention is not None:
        return None
    # "cơ quan nào chủ trì nhiều chỉ số nhất": a count over the assignments, no document's
    most = has(g, U.MOST_INDICATORS) and role_count_asked(p) is None
    if (p.premise is not None and p.premise.kind == "count") or most:
        return "count"
    if has(g, U.DOC_SIGNED):
        return "signed"
    for kind, words in (
        ("evaluator", U.DOC_EVALUATOR),
        ("count", U.DOC_COUNT),
        ("focal", U.DOC_FOCAL),
    ):
        if has(g, words) and not (
            (kind == "count" and p.is_score)  # "mấy CSTP dưới trung vị": a computation
            or (kind == "evaluator" and has(g, SCORE_WORDS))  # "what is the PGI score"
            # "trách nhiệm của đơn vị trong kế hoạch PGI là gì": the agency's tasks are asked
            or (
                kind == "evaluator"
                and p.agency is not None
                and (has(g, TASK_WORDS) or has(g, U.DUTY_WORDS))
            )
        ):
            # "cơ quan đầu mối … phải xong trước ngày nào": the deadline is asked, not the body
            return None if kind != "count" and has(g, DEADLINE_WORDS) else kind
    if abbreviation_asked(p) is not None:
        return "abbreviation"
    if has(g, U.UNITS_COUNT) and not p.codes and not p.found.mentions:
        return "units"
    if has(g, U.DOC_ISSUED) and has(g, _BY_THEN):
        return None  # "kế hoạch cụ thể phải ban hành trước ngày nào": a deadline to meet
    if has(g, U.DOC_ISSUED) or (
        has(g, U.DOC_OWNER) and p.named_docs and not has(g, DATA_WORDS) and not p.codes
    ):
        return "issued"
    if has(g, U.DOC_YEARS) and p.named_docs and not has(g, DEADLINE_WORDS) and not p.is_score:
        return "years"
    if has(g, U.DOC_CURRENT) and (
        has(g, INDICATOR_WORDS) or "ke" in toks or "plan" in toks or "van" in toks
    ):
        return "current"
    # "CSTP 2 giảm bao nhiêu điểm so với năm 2022": one component's change is a score question
    if (
        has(g, U.DOC_CHANGE)
        and (p.years or has(g, PGI_CONTEXT) or "diem" in toks)
        and not (p.component_code and p.is_score)
        # "chỉ số thành phần nào giảm điểm nhiều nhất so với 2022": the changes compared
        and not (p.is_score and has(p.superlative_grams, U.SUPERLATIVE))
    ):
        return "change"
    return None


_NEGATIONS = frozenset({"khong", "chang", "chua", "cha", "it", "hiem"})


def _without_never(toks: tuple[str, ...]) -> Grams:
    """The question's grams without "chẳng bao giờ", "chưa bao giờ" (never), "hạn hán" (drought):
    no time is asked."""
    out = list(toks)
    for i in range(1, len(out) - 1):
        if out[i - 1] in _NEGATIONS and out[i : i + 2] == ["bao", "gio"]:
            out[i - 1 : i + 2] = ["_", "_", "_"]
    for i in range(len(out) - 1):
        if out[i : i + 2] in (["han", "han"], ["han", "che"], ["han", "muc"]):
            out[i : i + 2] = ["_", "_"]  # "hạn hán" (drought), "hạn chế", "hạn mức": no deadline
    return Grams.of(out)


def _deadlines(p: Parsed) -> bool:
    """A deadline cue, or a month named with what is done by then ("tháng 12 phải nộp gì"); a
    month with the forms or data asked about ("gửi biểu nào theo công văn tháng 2") asks for the
    data, whose deadlines its answer carries."""
    cued = has(_without_never(p.toks), DEADLINE_WORDS) or (
        named_month(p.toks) is not None
        and has(p.grams, SUBMIT_WORDS)
        and not has(p.grams, DATA_WORDS)
    )
    # "hạn gửi kết quả", "deadline to send results": results to send are a deliverable, no score
    sent = has(p.grams, DEADLINE_WORDS) and has(p.grams, SUBMIT_WORDS)
    return cued and not p.codes and (sent or not has(p.grams, SCORE_WORDS))


def _data(p: Parsed) -> bool:
    if has(p.grams, _ASKED_OF_THE_BOT) and not has(p.grams, _DATA_ITSELF):
        return False  # "đề nghị cung cấp danh mục các chỉ số mà Sở … phối hợp": a list asked of us
    return has(p.grams, DATA_WORDS) or _asks_person(p.toks)


# "cung cấp" asked of the bot, of a list it holds, not of data an agency supplies
_ASKED_OF_THE_BOT = U._phrases(
    "cung cấp danh mục", "cung cấp danh sách", "cung cấp giúp", "cung cấp cho tôi",
    "cung cấp cho em", "cung cấp cho mình", "provide the list", "provide a list",
)  # fmt: skip
_DATA_ITSELF = U._phrases("số liệu", "dữ liệu", "biểu mẫu", "biểu số", "data")


# what the bot itself can do, asked of it: "bạn có thể giúp tôi những việc gì"
_ASKS_THE_BOT = U._phrases(
    "bạn có thể giúp", "bạn giúp được", "bạn giúp gì", "bạn làm được", "giúp được gì",
    "giúp được những gì", "giúp tôi những việc gì", "giúp em những việc gì", "can you help",
    "what can you",
)  # fmt: skip


def _tasks(p: Parsed) -> bool:
    # "trách nhiệm gì ở chỉ số 1.15": the plan's tasks are not by indicator; its role there is
    asks_the_bot = has(p.grams, _ASKS_THE_BOT) and not p.found.mentions
    return has(p.grams, TASK_WORDS) and not p.codes and not asks_the_bot


ROUTES: tuple[tuple[str, Callable[[Parsed], object]], ...] = (
    ("clarify_place", lambda p: p.found.unknown_place is not None),
    ("clarify_agencies", lambda p: bool(p.found.ambiguous)),
    ("clarify_self", lambda p: p.self_mismatch is not None),
    ("not_held", not_held_kind),
    ("documents", document_kind),
    ("deadlines", lambda p: _deadlines(p) or (p.premise is not None and p.premise.kind == "date")),
    ("data", _data),
    ("role_counts", role_count_asked),
    ("scores", lambda p: p.is_score),
    ("tasks", _tasks),
)


def asked(engine: Engine, p: Parsed) -> str:
    """The kind of question: the first route that holds, else "indicators" (roles and agencies)."""
    for kind, holds in ROUTES:
        if holds(p):
            return kind
    return "indicators"
