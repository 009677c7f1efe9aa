"""Names said other ways: a body by its field ("bên khí tượng"), an activity that shares a short
name.

Officials call a body by the words of its trade after "bên" or "phía" ("bên khí tượng chủ trì chỉ
số nào"). :func:`find` takes the one or two words after such a word and looks for the registered
bodies whose name holds them in a row; one body (or several that are one today, through their
successors) is the body named, when each of the words names it alone; otherwise nothing is taken,
and the words stay for the topic recognisers.
"""

from __future__ import annotations

from functools import lru_cache

from kb.index import KbIndex
from kb.model import COMMUNE, GROUP, Agency
from kb.normalize import normalize
from kb.words import synonyms

_BEFORE = frozenset({"ben", "phia"})
# words of many names, which name no field: "bên sở", "bên ban", "bên tỉnh"
_GENERIC = frozenset(
    "so ban tinh lang son va cong ty co phan trung tam thanh pho xa phuong ubnd".split()
)


@lru_cache(maxsize=4)
def _names(index: KbIndex) -> tuple[tuple[Agency, tuple[str, ...]], ...]:
    out = []
    for a in index.agencies.values():
        if a.type in (GROUP, COMMUNE):
            continue
        for name in (a.name, *a.aliases):
            out.append((a, tuple(normalize(name).split())))
    return tuple(out)


def _today(index: KbIndex, agency: Agency) -> Agency:
    seen = set()
    while agency.succeeded_by and agency.succeeded_by in index.agencies and agency.id not in seen:
        seen.add(agency.id)
        agency = index.agencies[agency.succeeded_by]
    return agency


def _holding(index: KbIndex, words: tuple[str, ...]) -> set[str]:
    k = len(words)
    return {
        _today(index, a).id
        for a, name in _names(index)
        if any(name[j : j + k] == words for j in range(len(name) - k + 1))
    }


def find(index: KbIndex, toks: list[str], covered: set[int]) -> tuple[Agency, int, int] | None:
    """(the body, start, end) named by its field after "bên"/"phía", or None."""
    for i, t in enumerate(toks[:-1]):
        if t not in _BEFORE or i + 1 in covered:
            continue
        for k in (2, 1):
            words = tuple(toks[i + 1 : i + 1 + k])
            if len(words) < k or any(
                w in _GENERIC or i + 1 + n in covered for n, w in enumerate(words)
            ):
                continue
            ids = _holding(index, words)
            # each word names that body alone: "bên cấp nước" fits a water station and the water
            # company
            if len(ids) == 1 and all(_holding(index, (w,)) == ids for w in words):
                return index.agencies[next(iter(ids))], i, i + 1 + k
    return None


def tail_of(index: KbIndex, head: str, name: list[str]) -> Agency | None:
    """The registered body whose name ends with an unregistered one's words ("Sở Du lịch"), or
    None."""
    inside = f" {' '.join(name)}"
    for key in index.alias_keys_by_head.get(head, ()):
        if key.endswith(inside):
            return index.agencies[sorted(index.alias_ids[key])[0]]
    return None


# "đoàn thanh tra môi trường", "bị thanh tra": the activity, not the body whose short name it is
_ACTIVITY_BEFORE = frozenset("doan cuoc dot lan bi duoc viec khi cho cac nhung".split())
_ACTIVITY_AFTER = frozenset("moi lien kiem".split())


def activity(toks: list[str], i: int, length: int) -> bool:
    """Whether a name found at ``i`` is an ordinary subject phrase used as one ("thanh tra" =
    inspection)."""
    if synonyms.TABLE.get(tuple(toks[i : i + length])) is None:
        return False
    before = toks[i - 1] if i > 0 else ""
    after = toks[i + length] if i + length < len(toks) else ""
    return before in _ACTIVITY_BEFORE or after in _ACTIVITY_AFTER


def a_class(toks: list[str], candidates: list[Agency]) -> bool:
    """ "Những công ty nào", "các sở": the words all candidates' names begin with, asked about as
    a class."""
    names = [normalize(a.name).split() for a in candidates]
    head = []
    for words in zip(*names, strict=False):
        if len(set(words)) > 1:
            break
        head.append(words[0])
    k = len(head)
    for i in range(len(toks) - k + 1):
        if head and toks[i : i + k] == head:
            return (i > 0 and toks[i - 1] in ("nhung", "cac", "may")) or toks[
                i + k : i + k + 1
            ] == ["nao"]
    return False


# a bare head word of bodies' names ("Đài", "Sở", "UBND", "Ban", "Trung tâm", "Công ty") opening
# the question and followed by what the body does: several bodies are meant, ask which
_HEADS = (("dai",), ("so",), ("ubnd",), ("ban",), ("trung", "tam"), ("cong", "ty"), ("hoi",))
_DOES = frozenset("phoi chu duoc phai lam thuc cung tham nop gui can thi lo".split())


def bare_head(index: KbIndex, toks: list[str]) -> tuple[list[Agency], tuple[int, int]] | None:
    """The bodies a bare head word opening the question may mean ("Sở phối hợp chỉ số nào"), with
    the head's tokens; None when the question opens otherwise or no body has that head. A head
    alone names a kind of body, not one: even when the registry holds one body of that kind the
    asker may mean another ("Trung tâm" is any centre), so it is asked about."""
    i = next((n for n, t in enumerate(toks) if t != "_"), len(toks))
    for head in _HEADS:
        k = len(head)
        if (
            tuple(toks[i : i + k]) != head
            or toks[i + k : i + k + 1] == []
            or toks[i + k] not in _DOES
            or toks[i + k : i + k + 2] == ["lam", "an"]  # "công ty làm ăn thua lỗ": a firm's story
        ):
            continue
        bodies = [
            a
            for a in index.agencies.values()
            if not a.is_group
            and a.type != COMMUNE
            and tuple(normalize(a.name).split()[:k]) == head
        ]
        # one body of a kind is asked about only after a head of two words: a one-syllable head
        # folds onto an ordinary word ("bạn làm được gì", "số")
        return (bodies, (i, i + k)) if len(bodies) > 1 or (bodies and k > 1) else None
    return None


def is_head(phrase: list[str]) -> bool:
    """Whether a phrase is only the head word of a kind of body ("trung tâm", "công ty")."""
    return tuple(phrase) in _HEADS


# "xã", "các xã phường", "cấp xã" opening a question with what is done: the communes as a level
_LEVEL = (("cac", "xa", "phuong"), ("xa", "phuong"), ("cap", "xa"), ("cac", "xa"), ("xa",))


def bare_level(index: KbIndex, toks: list[str]) -> tuple[Agency, int, int] | None:
    """(the communes' group, start, end) when the question opens with the commune level alone
    ("xã chủ trì chỉ số nào"), else None; "xã Na Dương" is a commune, matched before."""
    i = next((n for n, t in enumerate(toks) if t != "_"), len(toks))
    group = index.commune_group()
    for level in _LEVEL:
        k = len(level)
        if group is not None and tuple(toks[i : i + k]) == level and toks[i + k : i + k + 1]:
            return (group, i, i + k) if toks[i + k] in _DOES else None
    return None
