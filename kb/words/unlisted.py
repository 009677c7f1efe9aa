"""Bodies the registry does not have: "Sở Tư pháp", "Ban Dân tộc", "Chi cục Kiểm lâm" (a typo of a
registered name is taken as that one; a merely similar name is asked about)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from kb.ask.communes import display_name
from kb.codes import CODE
from kb.index import KbIndex
from kb.model import Agency
from kb.normalize import fold
from kb.words import nicknames
from kb.words.marks import canonical, capitalized_after, ends_clause, typo_close, written_forms
from kb.words.mentions import PHRASE_END, AgencyMention, AgencyResolution

UNLISTED = "unlisted"  # marks a name the user confirmed as a body the plans do not name
_UNLISTED_PREFIX = "unlisted:"
# Words after "Sở"/"Ban" that show it is not a body's name: "số liệu", "số điện thoại", "bạn ơi";
# and the verbs of a body acting, the body unnamed: "lãnh đạo Sở yêu cầu", "Sở đã giao".
_NOT_A_NAME = (
    frozenset(
        "lieu dien thoai nao may chi thu thanh lieu luong hieu ke cua cac nhung oi a nganh hoc"
        " doc bao tay dung khong ko co".split()
    )
    | frozenset("yeu da muon can vua se hoi nhac".split())
    | frozenset("minh em toi chung ta".split())
)  # "sở mình", "ban chúng tôi": the asker's own body, not a name
_BODY_END = PHRASE_END | frozenset("va tinh lang son".split()) - {"giao"}
# words of bodies' names that fold like a word ending a name ("Kiểm lâm" / "làm", "Bảo hiểm" / "bao
# nhiêu", "Thẩm định" / "tham gia", "Cơ khí" / "có"): written so, they continue the name
_NAME_FORMS = frozenset(canonical(w) for w in "lâm bảo thẩm phú cơ đảng".split())


def unlisted(index: KbIndex, toks: list[str], original: str, res: AgencyResolution) -> None:
    """ "Sở Tư pháp", "Ban Dân tộc": a provincial body the registry does not have.

    A name close to a registered one (a typo) is taken as that one; a name that is merely similar
    ("Sở Ngoại vụ" / "Sở Nội vụ") is asked about; anything else is a body the plans do not name.
    """
    has_marks = original != fold(original) and any(
        c in original for c in "ảãạáàâấầẩẫậăắằẳẵặđêếềểễệôốồổỗộơớờởỡợưứừửữựíìỉĩịóòỏõọúùủũụýỳỷỹỵé"
    )
    lower = original.lower()
    for i, t in enumerate(toks):
        if i in res.covered or t not in _HEADS or (t == "cuc" and toks[i - 1 : i] == ["chi"]):
            continue  # "chi cục": its head is "chi"
        confirmed = i > 0 and toks[i - 1] == UNLISTED
        if not confirmed and _no_head(toks, i, original, has_marks, lower):
            continue
        head = [t, "cuc"] if t == "chi" else [t]
        h = i + len(head) - 1  # a name's first word may look like an end once folded ("đăng")
        if ends_clause(original, toks, h):
            continue  # "phòng Kế hoạch của Sở, lãnh đạo giao em …": "Sở" alone
        nxt = toks[h + 1 : h + 3]
        lead = len(nxt) == 2 and (capitalized_after(original, toks[h], nxt[0]) or not has_marks)
        ends = _written_ends(original) if has_marks else _BODY_END
        name = _body_name_after(toks, h, lead and nxt[1] not in _BODY_END, ends)
        if not name or name[0] in _NOT_A_NAME or (len(name) == 1 and len(name[0]) < 3):
            continue
        if t == "ban" and name[0] == "nganh":
            continue
        phrase = [*head, *name]
        prefix = " ".join(phrase) + " "
        if not confirmed and any(
            k.startswith(prefix) for k in index.alias_keys_by_head.get(t, ())
        ):
            continue  # a truncated registered name: the fuzzy step asks which one
        _settle(index, original, res, i, phrase, confirmed)
        return


def _no_head(toks: list[str], i: int, original: str, has_marks: bool, lower: str) -> bool:
    """Whether the "so"/"ban" at ``i`` is no head of a body's name ("chỉ số", "bạn")."""
    t = toks[i]
    if t in ("cuc", "chi"):
        # "Cục Hải quan", "Chi cục Kiểm lâm"; not "tiêu cực", nor "chỉ" before another word
        if t == "chi" and toks[i + 1 : i + 2] != ["cuc"]:
            return True
        return (i > 0 and toks[i - 1] == "tieu") or (has_marks and "cục" not in lower)
    if t == "so":
        # "chỉ số", "con số", "bộ chỉ số": a number, not a department
        return (i > 0 and toks[i - 1] in ("chi", "con", "bo", "cac", "nhung")) or (
            has_marks and "sở" not in lower
        )
    return not re.search(r"\bBan\s+\w", original) and not (
        i + 1 < len(toks)
        and toks[i + 1] in ("dan", "quan", "tiep", "to", "tuyen", "noi", "thi", "chi")
    )


def _written_ends(original: str) -> frozenset[str]:
    """The words that end a body's name in a question written with diacritics: _BODY_END but
    those the question writes only as a name's word ("Chi cục Kiểm lâm", not "làm")."""
    written = written_forms(original)
    return frozenset(t for t in _BODY_END if not written.get(t) or written[t] - _NAME_FORMS)


def _body_name_after(
    toks: list[str], i: int, lead: bool = False, ends: frozenset[str] | None = None
) -> list[str]:
    """The words of the name after the head at ``i``, up to a word that ends a body's name (the
    first may, with ``lead``); ``ends``: those words, _BODY_END by default."""
    ends = _BODY_END if ends is None else ends
    name: list[str] = []
    for k, tok in enumerate(toks[i + 1 : i + 7]):
        nxt = toks[i + 2 + k] if i + 2 + k < len(toks) else ""
        if (
            tok == "va"
            and name
            and nxt
            and nxt not in _BODY_END
            and nxt not in ("so", "ban", "ubnd")
        ):
            name.append(tok)  # "Sở Dân tộc và Tôn giáo": one name
            continue
        if (tok in ends and not (lead and k == 0)) or tok.isdigit() or CODE.match(tok):
            break
        name.append(tok)
    return name


def _settle(
    index: KbIndex,
    original: str,
    res: AgencyResolution,
    i: int,
    phrase: list[str],
    confirmed: bool,
) -> None:
    """The unlisted name at ``i``: a typo of a registered one, a name to ask about, or a body the
    plans do not name."""
    t, end = phrase[0], i + len(phrase)
    whole = None if confirmed else nicknames.tail_of(index, t, phrase[1:])
    if whole is not None:
        # "Sở Du lịch": the tail of "Sở Văn hóa, Thể thao và Du lịch" — ask, never guess
        res.ambiguous, res.span = [whole, _unlisted_agency(original, phrase, t)], (i, end)
        return
    if not confirmed:
        best = process.extractOne(
            " ".join(phrase),
            [k for k in index.alias_keys_by_head.get(t, ()) if " " in k],
            scorer=fuzz.ratio,
            score_cutoff=72,
        )
        if best is not None:
            alias = best[0]
            matched = index.agencies[sorted(index.alias_ids[alias])[0]]
            if typo_close(phrase, alias.split()):
                n = len(alias.split())
                res.mentions.append(AgencyMention(matched, i, i + n, exact=False))
                res.covered.update(range(i, i + n))
                return
            res.ambiguous = [matched, _unlisted_agency(original, phrase, t)]
            res.span = (i, end)
            return
    agency = _unlisted_agency(original, phrase, t)
    start = i - 1 if confirmed else i
    res.mentions.append(AgencyMention(agency, start, end))
    res.covered.update(range(start, end))


# heads of names of bodies the registry may lack, as written, and the kind of body: a "Cục" is a
# central body's, a "Chi cục" part of a department, neither a provincial department nor board
_HEADS = {"so": ("Sở", "department"), "ban": ("Ban", "board"), "cuc": ("Cục", "central")}
_HEADS["chi"] = ("Chi cục", "other")


def _unlisted_agency(original: str, phrase: list[str], head: str) -> Agency:
    # the name as written, its first word capitalised: "Sở Tư pháp", "Chi cục Kiểm lâm"
    words = display_name(original, phrase, title=False).split()
    label, kind = _HEADS[head]
    n = len(label.split())
    name = (
        " ".join([label, words[n][:1].upper() + words[n][1:], *words[n + 1 :]])
        if len(words) > n
        else label
    )
    return Agency(id=_UNLISTED_PREFIX + "-".join(phrase), name=name, type=kind)


def is_unlisted(agency: Agency | None) -> bool:
    return agency is not None and agency.id.startswith(_UNLISTED_PREFIX)


# The departments a province may have, by the laws on the organisation of provincial departments
# (Nghị định 24/2014/NĐ-CP, amended by 107/2020/NĐ-CP; from 03/2025 Nghị định 45/2025/NĐ-CP), the
# ones a province has only by its own decision included (Sở Ngoại vụ, Sở Du lịch, Sở Quy hoạch -
# Kiến trúc …), under their names before and after 2025. A "Sở …" the registry lacks and this
# list does not hold ("Sở Biển và Hải đảo") is no body of the province: it is asked about, never
# answered with the roles of the groups every department belongs to.
_DEPARTMENTS = tuple(
    fold(n).replace(",", "").replace("-", " ").split()
    for n in (
        "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương",
        "Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường",
        "Sở Giao thông vận tải", "Sở Xây dựng", "Sở Tài nguyên và Môi trường",
        "Sở Thông tin và Truyền thông", "Sở Lao động Thương binh và Xã hội",
        "Sở Văn hóa Thể thao và Du lịch", "Sở Văn hóa và Thể thao", "Sở Du lịch",
        "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Ngoại vụ",
        "Sở Dân tộc và Tôn giáo", "Sở Quy hoạch Kiến trúc", "Sở An toàn thực phẩm",
        "Sở Giao thông công chính",
    )
)  # fmt: skip


def no_such_department(agency: Agency | None) -> bool:
    """Whether an unlisted "Sở …" is none of the departments a province may have (a typo of one,
    or its name shortened, still is one)."""
    if not is_unlisted(agency) or agency is None or agency.type != "department":
        return False
    words = [w for w in fold(agency.name).replace(",", "").replace("-", " ").split()]
    while words[-2:] == ["lang", "son"] or words[-1:] == ["tinh"]:
        words = words[:-2] if words[-2:] == ["lang", "son"] else words[:-1]
    name = " ".join(words)
    return not any(
        fuzz.ratio(name, " ".join(d)) >= 85 or " ".join(d).startswith(name + " ")
        for d in _DEPARTMENTS
    )
