"""Property tests of the question engine: whatever a user types, the engine answers within the
contract.

* arbitrary text (any Unicode), and mixtures of Vietnamese words of the knowledge base with
  punctuation, digits and emoji, never raise, always give one of the 9 intents and a non-empty
  reply under 4096 characters (one Telegram message);
* only agency/indicator answers carry indicators;
* questions made only of words the documents never use are not answered with indicators, deadlines
  or an agency;
* answers do not depend on case, diacritics or surrounding whitespace, and are deterministic.
"""

import re
import unicodedata
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb.ask.answers import INTENTS as ANSWER_INTENTS
from tests.support.engine_ask import _engine, ask

INTENTS = set(ANSWER_INTENTS)
TELEGRAM_LIMIT = 4096
PROPERTY = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def strip_diacritics(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(
        ch for ch in unicodedata.normalize("NFD", s) if unicodedata.category(ch) != "Mn"
    )


def fold(s):
    return " ".join(re.sub(r"[^0-9a-z]+", " ", strip_diacritics(s).casefold()).split())


def fold_tokens(s):
    return set(fold(s).split())


def fits_each_channel(text: str) -> bool:
    from handlers.textsplit import split_text
    from handlers.zalo.sender import draw

    return all(len(p) < TELEGRAM_LIMIT for p in split_text(text)) and all(
        len(p) <= 2000 for p in draw(text, [], "")
    )


def check_contract(r, length=True):
    """The invariants every answer must satisfy; returns the list of violations (empty when
    fine)."""
    problems = []
    if r["intent"] not in INTENTS:
        problems.append(f"intent {r['intent']!r}")
    if not r["text"].strip():
        problems.append("empty text")
    if length and not fits_each_channel(r["text"]):
        problems.append(
            f"text of {len(r['text'])} characters does not split within the channels' limits"
        )
    if r["intent"] not in ("agency_indicators", "indicator_agencies") and (
        r["indicators"] or r["indicator"]
    ):
        problems.append("indicators outside an agency/indicator answer")
    for d in r["deadlines"]:
        if d["status"] not in ("upcoming", "past"):
            problems.append(f"deadline status {d['status']!r}")
    for i in r["indicators"]:
        if i["role"] not in ("lead", "coordinate"):
            problems.append(f"role {i['role']!r}")
    return problems


# --- vocabularies
# ---------------------------------------------------------------------------------------


def _kb_words():
    engine, agencies, _ = _engine()
    kb = engine.index.kb
    texts = (
        [a.name for a in agencies.values()]
        + [i.name for i in kb.indicators]
        + [c.name for c in kb.components]
    )
    words = sorted({w for t in texts for w in re.findall(r"\w+", t) if not w.isdigit()})
    return words


KB_WORDS = _kb_words()
QUESTION_WORDS = [
    "chủ trì",
    "phối hợp",
    "phụ trách",
    "liên quan",
    "chỉ số",
    "chỉ tiêu",
    "CSTP",
    "nào",
    "gì",
    "ai",
    "hạn",
    "khi nào",
    "điểm",
    "xếp hạng",
    "mục tiêu",
    "nhiệm vụ",
    "số liệu",
    "biểu mẫu",
    "tôi",
    "chúng tôi",
    "đơn vị mình",
    "năm",
    "kế hoạch",
    "Sở",
    "UBND",
    "xã",
    "phường",
    "huyện",
    "help",
    "lead",
    "coordinate",
    "who",
    "which",
    "indicator",
    "deadline",
]
PUNCT = list(".,;:!?…-–—/\\()[]{}\"'“”‘’«»@#$%^&*+=<>|~`_") + ["\n", "\t", "  "]
EMOJI = ["😀", "🌿", "🔥", "👍🏽", "🇻🇳", "🤔", "✅", "❤️", "🙏", "📅"]
DIGITS = [
    "1",
    "1.5",
    "2.11",
    "3,7",
    "4.6",
    "5.1",
    "0",
    "17,33",
    "62/63",
    "2023",
    "2024",
    "2026",
    "28/02/2023",
    "99999",
]

kb_mixture = st.lists(
    st.one_of(
        st.sampled_from(KB_WORDS),
        st.sampled_from(QUESTION_WORDS),
        st.sampled_from(PUNCT),
        st.sampled_from(EMOJI),
        st.sampled_from(DIGITS),
    ),
    min_size=0,
    max_size=25,
).map(" ".join)


def _document_tokens():
    """Every folded token the knowledge base and the engine's keyword lists contain."""
    from kb.ask import engine as engine_module

    data = Path(engine_module.__file__).resolve().parent.parent / "data"
    tokens = set()
    for p in data.glob("*.yaml"):
        tokens |= fold_tokens(p.read_text(encoding="utf-8"))
    tokens |= fold_tokens(Path(engine_module.__file__).read_text(encoding="utf-8"))
    return tokens


_CANDIDATE_OFF_TOPIC = [
    "bóng",
    "vàng",
    "phở",
    "bún",
    "chả",
    "cà",
    "phê",
    "mèo",
    "chó",
    "gà",
    "nhạc",
    "phim",
    "ca",
    "sĩ",
    "mưa",
    "nắng",
    "bão",
    "biển",
    "núi",
    "tình",
    "yêu",
    "bạn",
    "gái",
    "trai",
    "học",
    "bài",
    "toán",
    "thi",
    "đấu",
    "trận",
    "cầu",
    "thủ",
    "đô",
    "Pháp",
    "Mỹ",
    "Nhật",
    "bitcoin",
    "chứng",
    "khoán",
    "giá",
    "xăng",
    "ô",
    "tô",
    "xe",
    "máy",
    "bay",
    "vé",
    "tàu",
    "lửa",
    "đi",
    "chơi",
    "ăn",
    "uống",
    "ngủ",
    "sáng",
    "trưa",
    "chiều",
    "hôm",
    "qua",
    "mai",
    "ngày",
    "football",
    "weather",
    "gold",
    "price",
    "movie",
    "music",
    "pizza",
    "capital",
    "France",
    "cat",
    "dog",
]
OFF_TOPIC_WORDS = sorted(
    w for w in _CANDIDATE_OFF_TOPIC if not (fold_tokens(w) & _document_tokens())
)

off_topic = st.lists(st.sampled_from(OFF_TOPIC_WORDS), min_size=1, max_size=8).map(" ".join)


# --- properties
# -----------------------------------------------------------------------------------------


@PROPERTY
@given(st.text())
def test_arbitrary_text_always_gets_a_valid_answer(question):
    """Any Unicode text: no exception, a known intent, a non-empty reply under 4096 characters."""
    assert [] == check_contract(ask(question))


@PROPERTY
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400), st.sampled_from(["vi", "en"]))
def test_arbitrary_text_in_both_languages(question, lang):
    """The contract holds in Vietnamese and in English replies."""
    assert [] == check_contract(ask(question, lang=lang))


@PROPERTY
@given(kb_mixture)
def test_mixtures_of_kb_words_punctuation_digits_and_emoji(question):
    """Vietnamese words of the knowledge base mixed with punctuation, digits and emoji never break
    the engine (intent, non-empty text, indicators only where they belong; the length is checked
    separately below).
    """
    assert [] == check_contract(ask(question), length=False)


@PROPERTY
@given(kb_mixture)
@example("nhiệm vụ Số nông")
def test_mixtures_of_kb_words_split_within_each_channels_limit(question):
    """Whatever the mixture, the reply splits into Telegram pieces under 4096 and Zalo pieces
    under 2000 characters."""
    assert fits_each_channel(ask(question)["text"])


@PROPERTY
@given(
    kb_mixture,
    st.sampled_from(
        [
            "Sở Xây dựng",
            "Công an tỉnh",
            "UBND phường Đông Kinh",
            "Sở Giao thông vận tải",
            "Hiệp hội doanh nghiệp tỉnh",
            "không có cơ quan này",
            "",
        ]
    ),
    st.dates(min_value=date(2022, 1, 1), max_value=date(2030, 12, 31)),
    st.sampled_from(["vi", "en"]),
)
def test_mixtures_with_an_asker_a_date_and_a_language(question, as_agency, today, lang):
    """With any registered (or unknown) asker, any today and either language the contract holds."""
    assert [] == check_contract(
        ask(question, as_agency=as_agency or None, now=today.isoformat(), lang=lang), length=False
    )


@PROPERTY
@given(kb_mixture, st.dates(min_value=date(2022, 1, 1), max_value=date(2030, 12, 31)))
def test_deadline_status_matches_today(question, today):
    """Every returned deadline is 'upcoming' exactly when its date is today or later."""
    r = ask(f"hạn {question}", now=today.isoformat())
    assert [] == [
        d
        for d in r["deadlines"]
        if (d["status"] == "upcoming") != (d["date"] >= today.isoformat())
    ]


@PROPERTY
@given(off_topic)
def test_off_topic_questions_get_no_indicators_deadlines_or_agency(question):
    """Sentences made only of words the documents never use are not answered with indicators,
    deadlines or an agency."""
    r = ask(question)
    assert ("no facts", [], None, [], None) == (
        "no facts" if r["intent"] in ("unknown", "help", "clarify") else r["intent"],
        r["indicators"],
        r["indicator"],
        r["deadlines"],
        r["agency"],
    )


@PROPERTY
@given(off_topic)
def test_out_of_scope_never_returns_indicators_unless_about_agencies_or_indicators(question):
    """Indicators appear only on agency_indicators / indicator_agencies answers."""
    r = ask(question)
    assert True is (
        r["intent"] in ("agency_indicators", "indicator_agencies")
        or (not r["indicators"] and not r["indicator"])
    )


AGENCY_NAMES = [
    "Sở Xây dựng",
    "Sở Công Thương",
    "Sở Tài chính",
    "Sở Nông nghiệp và Môi trường",
    "Công an tỉnh",
    "Thanh tra tỉnh",
    "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
    "Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch tỉnh",
    "Đài Khí tượng Thủy văn tỉnh",
    "Báo và Phát thanh, Truyền hình Lạng Sơn",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Hiệp hội doanh nghiệp tỉnh",
    "Công ty cổ phần cấp thoát nước Lạng Sơn",
    "Sở Y tế",
    "Sở Nội vụ",
    "Sở Giáo dục và Đào tạo",
    "Sở Khoa học và Công nghệ",
    "Sở Tài nguyên và Môi trường",
    "Sở Giao thông vận tải",
    "Sở Kế hoạch và Đầu tư",
    "UBND xã Tân Thành",
    "UBND phường Đông Kinh",
]
ROLE_PHRASES = [
    "chủ trì chỉ số nào",
    "phối hợp chỉ số nào",
    "phụ trách chỉ số nào",
    "liên quan những chỉ số gì",
]


def _essence(r):
    # a commune's name is shown as the user typed it ("Tan Thanh" / "Tân Thành"): compare it folded
    return (
        r["intent"],
        fold(r["agency"] or ""),
        sorted((i["code"], i["role"], i["via"] or "") for i in r["indicators"]),
        (r["indicator"] or {}).get("code"),
    )


@PROPERTY
@given(
    st.sampled_from(AGENCY_NAMES),
    st.sampled_from(ROLE_PHRASES),
    st.sampled_from(["strip", "upper", "lower", "spaces"]),
)
def test_answers_do_not_depend_on_diacritics_case_or_spacing(agency, phrase, variant):
    """'Sở Xây dựng chủ trì…', 'so xay dung chu tri…', 'SỞ XÂY DỰNG…' and padded text get the
    same answer."""
    question = f"{agency} {phrase}"
    changed = {
        "strip": strip_diacritics,
        "upper": str.upper,
        "lower": str.lower,
        "spaces": lambda s: "  " + s.replace(" ", "   ") + " \n",
    }[variant](question)
    assert _essence(ask(question)) == _essence(ask(changed))


PLAN18_CODES = (
    [f"1.{i}" for i in range(1, 16)]
    + [f"2.{i}" for i in range(1, 12)]
    + [f"3.{i}" for i in range(1, 11)]
    + [f"4.{i}" for i in range(1, 7)]
)


@PROPERTY
@given(
    st.sampled_from(PLAN18_CODES),
    st.sampled_from(
        [
            "ai chủ trì chỉ số {c}",
            "chi so {c} ai phoi hop",
            "{c}",
            "chỉ tiêu {c} do đơn vị nào phụ trách?",
            "Who leads indicator {c}?",
        ]
    ),
)
def test_every_code_of_plan_18_is_answered_as_itself(code, template):
    """Every code 1.1–1.15, 2.1–2.11, 3.1–3.10, 4.1–4.6, however asked, answers that indicator
    with a lead."""
    r = ask(template.format(c=code))
    assert ("indicator_agencies", code, True) == (
        r["intent"],
        (r["indicator"] or {}).get("code"),
        bool((r["indicator"] or {}).get("lead")),
    )


@PROPERTY
@given(st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=99))
def test_codes_outside_plan_18_are_never_answered_with_an_indicator(component, item):
    """A code plan 18 lacks (e.g. 1.16, 5.1) yields no indicator; an existing one yields itself."""
    code = f"{component}.{item}"
    r = ask(f"ai chủ trì chỉ số {code}")
    got = (r["indicator"] or {}).get("code")
    assert (code if code in PLAN18_CODES else None) == got


@PROPERTY
@given(kb_mixture)
def test_answers_are_deterministic(question):
    """Asking the same question twice gives the same answer."""
    assert ask(question) == ask(question)


def test_off_topic_vocabulary_is_not_empty():
    """The off-topic vocabulary used above still has words once the KB's own words are removed."""
    assert True is (len(OFF_TOPIC_WORDS) >= 20)
