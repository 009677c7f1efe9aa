"""Entity resolution: which agencies, indicators, components and plans a question names."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from kb import codes
from kb.ask.communes import display_name, find_places
from kb.index import KbIndex
from kb.model import COMMUNE, Agency, Place
from kb.normalize import fold, normalize
from kb.words import nicknames
from kb.words.marks import capitalized_after, marked, typo_close

# Tokens that end an agency phrase: the verbs and question words that follow a name.
_PHRASE_END = frozenset(
    "phu chu phoi lien trach co can la thi cua duoc lam nhiem chi han bao tham nhung gi nao o"
    " trong ve thuoc se da phai cung so ai dang xin cho voi gui nop hien hay lead leads coordinate"
    " coordinates is does do has have what which responsible tasks task deadline deadlines"
    " indicators indicator for in of the".split()
)  # not "giao", "khi", "nam", "hoi", "tai", "va": they are words of agency names too
# Words that name the province or country, not an agency: "Lạng Sơn" alone is no agency.
_GENERIC = frozenset("lang son tinh viet nam province provincial of the".split())
_CODE = codes.CODE
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class AgencyMention:
    agency: Agency  # as named (may be an old name, a group, or a commune not in the registry)
    start: int
    end: int
    exact: bool = True
    # written with diacritics that differ from the registry's ("Tân Thanh" for Tân Thành)
    near: bool = False


@dataclass
class AgencyResolution:
    mentions: list[AgencyMention] = field(default_factory=list)
    ambiguous: list[Agency] = field(default_factory=list)  # candidates when the name is unclear
    covered: set[int] = field(default_factory=set)
    span: tuple[int, int] | None = None  # tokens of the unclear name
    unknown_place: Agency | None = None  # a commune or ward Lạng Sơn does not have
    place_guesses: list[str] = field(default_factory=list)


UNLISTED = "unlisted"  # marks a name the user confirmed as a body the plans do not name
_UNLISTED_PREFIX = "unlisted:"
# Words after "Sở"/"Ban" that show it is not a body's name: "số liệu", "số điện thoại", "bạn ơi".
_NOT_A_NAME = frozenset(
    "lieu dien thoai nao may chi thu thanh lieu luong hieu ke cua cac nhung oi a nganh hoc doc bao"
    " tay dung khong ko co".split()
) | frozenset(
    "minh em toi chung ta".split()
)  # "sở mình", "ban chúng tôi": the asker's own body, not a name
_BODY_END = _PHRASE_END | frozenset("va tinh lang son".split()) - {"giao"}


def find_agencies(index: KbIndex, toks: list[str], original: str) -> AgencyResolution:
    res = AgencyResolution()
    _exact(index, toks, res, original)
    _communes(index, toks, original, res)
    _unlisted(index, toks, original, res)
    if not res.mentions and not res.ambiguous:
        named = nicknames.find(index, toks, res.covered) or nicknames.bare_level(index, toks)
        if named is not None:
            res.mentions.append(AgencyMention(named[0], named[1], named[2], exact=False))
            res.covered.update(range(named[1], named[2]))
    if not res.mentions and not res.ambiguous and res.unknown_place is None:
        _fuzzy(index, toks, res)
        if len(res.ambiguous) > 1 and nicknames.a_class(toks, res.ambiguous):
            res.ambiguous, res.span = [], None
    if not res.mentions and not res.ambiguous and res.unknown_place is None:
        bare = nicknames.bare_head(index, toks)
        if bare is not None:
            res.ambiguous, res.span = bare
    res.mentions.sort(key=lambda m: m.start)
    return res


def _communes(index: KbIndex, toks: list[str], original: str, res: AgencyResolution) -> None:
    """The local committees named (kb/ask/communes.py), added to the resolution."""
    places = find_places(index, toks, original, res.covered)
    res.mentions.extend(AgencyMention(a, s, e, near=near) for a, s, e, near in places.found)
    res.covered |= places.covered
    res.unknown_place, res.place_guesses = places.unknown_place, places.place_guesses


def _unlisted(index: KbIndex, toks: list[str], original: str, res: AgencyResolution) -> None:
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
        nxt = toks[h + 1 : h + 3]
        lead = len(nxt) == 2 and (capitalized_after(original, toks[h], nxt[0]) or not has_marks)
        name = _body_name_after(toks, h, lead and nxt[1] not in _BODY_END)
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


def _body_name_after(toks: list[str], i: int, lead: bool = False) -> list[str]:
    """The words of the name after the head at ``i``, up to a word that ends a body's name (the
    first may, with ``lead``)."""
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
        if (tok in _BODY_END and not (lead and k == 0)) or tok.isdigit() or _CODE.match(tok):
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
    words = display_name(original, phrase).split()
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


def _exact(index: KbIndex, toks: list[str], res: AgencyResolution, original: str = "") -> None:
    n = len(toks)
    i = 0
    longest = index.max_len_by_head
    while i < n:
        best = None
        # an alias starting here starts with this token: only lengths up to its longest alias
        for length in range(min(longest.get(toks[i], 0), n - i), 0, -1):
            ids = index.alias_ids.get(" ".join(toks[i : i + length]))
            if ids:
                best = (length, ids)
                break
        if best is None:
            i += 1
            continue
        length, ids = best
        # "đôn đốc" (urge) folds to "don doc": no "DOC" (a department's English abbreviation)
        if nicknames.activity(toks, i, length) or (length == 1 and marked(original, toks[i])):
            i += length
            continue
        agency = index.agencies[sorted(ids)[0]]
        res.mentions.append(AgencyMention(agency, i, i + length))
        res.covered.update(range(i, i + length))
        i += length


def _phrase(toks: list[str], start: int, limit: int = 10) -> list[str]:
    out: list[str] = []
    for t in toks[start : start + limit]:
        if out and t in _PHRASE_END:
            break
        out.append(t)
    return out


def commune_agency(place: Place) -> Agency:
    """The people's committee of a commune or ward, as questions and sign-up name it."""
    label = "phường" if place.kind == "phuong" else "xã"
    return Agency(
        id=f"{COMMUNE}:{'-'.join(normalize(place.name).split())}",
        name=f"UBND {label} {place.name}",
        type=COMMUNE,
    )


_FUZZY_CACHE_MAX = 20000  # distinct question words remembered per KB version


def _fuzzy_aliases(index: KbIndex, tok: str) -> list[str] | tuple[str, ...] | None:
    """The multi-word aliases whose head word is ``tok`` or close to it (a typo in the first word),
    in alias order; None when no alias head is close. Depends only on the word and the KB version,
    so it is kept in the index instead of being recomputed for each question."""
    cached = index.fuzzy_aliases.get(tok)
    if cached is not None:
        return cached or None
    candidates = set(index.alias_by_first.get(tok, ()))
    if len(tok) >= 3:  # a typo in the first word too
        for other, _score, _ in process.extract(
            tok, index.heads, scorer=Levenshtein.normalized_similarity, limit=3, score_cutoff=0.75
        ):
            candidates.update(index.alias_by_first[other])
    # alias_keys is sorted, so these are too (the prefix scan in _fuzzy relies on it)
    aliases = (
        tuple(index.alias_keys[j] for j in sorted(candidates) if " " in index.alias_keys[j])
        if candidates
        else ()
    )
    if len(index.fuzzy_aliases) < _FUZZY_CACHE_MAX:
        index.fuzzy_aliases[tok] = aliases
    return aliases if candidates else None


def _ordinary_words(index: KbIndex, phrase: list[str], alias: list[str]) -> bool:
    """Whether the words where a phrase differs from an alias are ordinary words of the documents
    ("công bằng" is no typo of "công an"): such a phrase is not a misspelt name."""
    pairs = list(zip(phrase, alias, strict=False))
    differing = [n for n, (a, b) in enumerate(pairs) if a != b]
    return bool(differing) and all(
        phrase[n] in index.text_words
        and (
            phrase[n] not in index.alias_words
            # "công văn" is no "công an": the documents write the two words in a row
            or (n > 0 and (phrase[n - 1], phrase[n]) in index.text_bigrams)
        )
        for n in differing
    )


def _best_fuzzy(index: KbIndex, toks: list[str], res: AgencyResolution, best: dict) -> None:
    """The closest name: taken when it is a typo of it, asked about when not or when others are as
    close."""
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    top_id, (top_score, start, end, matched) = ranked[0]
    close = [v[3] for _aid, v in ranked[1:] if v[0] >= top_score - 3]
    if close:
        res.ambiguous = [index.agencies[a] for a in [matched, *close]]
        res.span = (start, end)
        return
    if not typo_close(
        toks[start:end],
        sorted(
            index.alias_keys_of[matched],
            key=lambda k: -fuzz.ratio(k, " ".join(toks[start:end])),
        )[0].split(),
    ):
        res.ambiguous = [index.agencies[matched]]
        res.span = (start, end)
        return
    res.mentions.append(AgencyMention(index.agencies[matched], start, end, exact=False))
    res.covered.update(range(start, end))


def _fuzzy(index: KbIndex, toks: list[str], res: AgencyResolution) -> None:
    """Typos and truncated names: compare the phrase starting at each alias head word.

    Candidates are keyed by the agency's current name, so an old and a new name of one agency
    never make a question ambiguous; the name the user came closest to is kept for the reply.
    """
    best: dict[str, tuple[float, int, int, str]] = {}
    prefix_hits: dict[str, tuple[int, int, str]] = {}
    for i, tok in enumerate(toks):
        if i in res.covered:
            continue
        aliases = _fuzzy_aliases(index, tok)
        if aliases is None:
            continue
        phrase = _phrase(toks, i)
        if len(phrase) < 2 or all(t in _GENERIC for t in phrase):
            continue
        text = " ".join(phrase)
        for alias, score, _ in process.extract(
            text, aliases, scorer=fuzz.ratio, score_cutoff=86, limit=None
        ):
            if _ordinary_words(index, phrase, alias.split()):
                continue
            matched = sorted(index.alias_ids[alias])[0]
            aid = index.current_id(matched)
            if score > best.get(aid, (0.0, 0, 0, ""))[0]:
                best[aid] = (score, i, i + min(len(alias.split()), len(phrase)), matched)
        if len(text) >= 5 and not nicknames.is_head(phrase):
            # a bare head ("trung tâm") is a kind of body, never a truncated name (bare_head asks)
            # aliases are sorted, so those starting with the phrase are one run from its insertion
            # point
            prefix = text + " "
            for j in range(bisect_left(aliases, prefix), len(aliases)):
                alias = aliases[j]
                if not alias.startswith(prefix):
                    break
                matched = sorted(index.alias_ids[alias])[0]
                prefix_hits.setdefault(index.current_id(matched), (i, i + len(phrase), matched))
    if best:
        _best_fuzzy(index, toks, res, best)
        return
    if len(prefix_hits) == 1:
        start, end, matched = next(iter(prefix_hits.values()))
        res.mentions.append(AgencyMention(index.agencies[matched], start, end, exact=False))
        res.covered.update(range(start, end))
    elif len(prefix_hits) > 1:
        res.ambiguous = sorted(
            (index.agencies[m] for _s, _e, m in prefix_hits.values()), key=lambda a: a.name
        )
