"""Local committees a question names: "UBND phường Đông Kinh", "xã Cao Lộc", "huyện Văn Quan" (a
former district), and the communes and wards Lạng Sơn does not have (asked about, with guesses)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.index import KbIndex
from kb.model import COMMUNE, DISTRICT, Agency
from kb.normalize import fold
from kb.words import marks

_COMMUNE_WORDS = {
    ("xa",): "xã",
    ("phuong",): "phường",
    ("thi", "tran"): "thị trấn",
    ("p",): "phường",
}
_DISTRICT_WORDS = {("huyen",): "huyện", ("thanh", "pho"): "thành phố"}
# words that name a kind of local body: no place name opens with one ("xã, phường", "huyện xã")
_KIND_WORDS = frozenset({"xa", "phuong", "huyen", "ubnd", "tinh"})
_BEFORE_BARE_COMMUNE = frozenset({"cua", "tu", "o", "thuoc", "la", "cho", "tai"})


@dataclass
class PlacesNamed:
    """The committees found, as (agency, first token, end token, written with other diacritics);
    or the commune Lạng Sơn does not have, with the names it may have meant."""

    found: list[tuple[Agency, int, int, bool]] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)
    unknown_place: Agency | None = None
    place_guesses: list[str] = field(default_factory=list)


# Words that end a commune's name. Narrower than _PHRASE_END: place names contain "Chi", "Đăng",
# "Hội", "Bảo"...; those end a name only as the first word of a known phrase ("chỉ số", "đăng ký").
_NAME_END = frozenset(
    "phu chu phoi lien trach co can la thi cua duoc lam nhiem gi nao o trong ve khi thuoc se da"
    " phai cung ai nam the giao gui nop hien hay lead leads coordinate is does do has have what"
    " which responsible tasks deadline for in of toi minh chung em".split()
)
_NAME_END_PAIRS = frozenset(
    {
        ("chi", "so"),
        ("chi", "tieu"),
        ("dang", "ky"),
        ("han", "chot"),
        ("han", "nop"),
        ("bao", "cao"),
        ("tham", "gia"),
        ("so", "lieu"),
        ("hoi", "dap"),
    }
)


def _name_after(toks: list[str], start: int) -> list[str]:
    out: list[str] = []
    for i in range(start, min(start + 4, len(toks))):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if t in _NAME_END or t.isdigit() or (t, nxt) in _NAME_END_PAIRS:
            break
        out.append(t)
    return out


def _known_name_after(index: KbIndex, toks: list[str], start: int, kind: str) -> list[str]:
    """The longest known commune, ward or former district name starting at ``start`` ("Hữu Liên":
    "liên" would end a name otherwise), or []."""
    table = index.place_names if kind == COMMUNE else index.former_names
    for length in range(min(4, len(toks) - start), 0, -1):
        if tuple(toks[start : start + length]) in table:
            return list(toks[start : start + length])
    return []


def _match_words(
    toks: list[str], i: int, table: dict[tuple[str, ...], str]
) -> tuple[int, str] | None:
    for words, label in table.items():
        if tuple(toks[i : i + len(words)]) == words:
            return len(words), label
    return None


def _unknown_place(
    index: KbIndex, res: PlacesNamed, named: tuple, start: int, name_at: int
) -> None:
    """A commune or ward Lạng Sơn does not have (or not of that kind): asked about, with
    guesses."""
    kind, label, name, display = named
    res.unknown_place = Agency(
        id=f"{kind}:{'-'.join(name)}", name=f"UBND {label} {display}", type=kind
    )
    res.place_guesses = index.place_guesses(name, kind)
    res.covered.update(range(start, name_at + len(name)))


def _committee(index: KbIndex, kind: str, title: str, name: list[str]) -> Agency:
    """The committee of a commune or ward, or of a former district (succeeded by the communes)."""
    group = index.commune_group() if kind == COMMUNE else index.district_group()
    communes = index.commune_group()
    return Agency(
        id=f"{kind}:{'-'.join(name)}",
        name=title,
        type=kind,
        succeeded_by=communes.id if kind == DISTRICT and communes else None,
        since=group.since if kind == DISTRICT and group else None,
    )


def find_places(index: KbIndex, toks: list[str], original: str, covered: set[int]) -> PlacesNamed:
    """'UBND phường Đông Kinh', 'xã Cao Lộc', 'UBND huyện Văn Quan': named local committees, the
    tokens in ``covered`` (names already found) skipped."""
    res = PlacesNamed(covered=set(covered))
    written = marks.aligned(original, toks)
    for i in range(len(toks)):
        if i in res.covered or (toks[i] in _KIND_WORDS_MARKED and _other_word(written[i])):
            continue
        prefixed = i > 0 and toks[i - 1] == "ubnd"
        for table, kind in ((_COMMUNE_WORDS, COMMUNE), (_DISTRICT_WORDS, DISTRICT)):
            hit = _match_words(toks, i, table)
            if not hit:
                continue
            width, label = hit
            known = _known_name_after(index, toks, i + width, kind)
            # a bare "xã …" names a commune where it opens the question or follows "của", "ở"…;
            # a bare "huyện …" only when it is a former district's name
            if not prefixed and not (
                (kind == COMMUNE or known) and (i == 0 or toks[i - 1] in _BEFORE_BARE_COMMUNE)
            ):
                continue
            name = known or _name_after(toks, i + width)
            if not name or name[0] in _KIND_WORDS:
                continue  # "ở xã phường": the communes and wards, no name
            display = display_name(original, name)
            place = index.place(name, kind)
            if place is None and label == "thị trấn":
                continue
            if (
                place is not None
                and kind == COMMUNE
                and label in ("xã", "phường")
                and place[2] != ("phuong" if label == "phường" else "xa")
            ):
                # "phường Chi Lăng": Chi Lăng is a commune, not a ward
                start = i - 1 if prefixed else i
                _unknown_place(index, res, (kind, label, name, display), start, i + width)
                return res
            near = False
            if place is not None:
                near = _differs(display, place[1])
                name, display = place[0], place[1]
                if kind == COMMUNE:
                    label = "phường" if place[2] == "phuong" else "xã"
            elif index.kb.places.units and (kind == COMMUNE or label == "huyện"):
                if hit[0] == 1 and toks[i] == "p":
                    continue
                if _ordinary(written[i + width : i + width + len(name)], name):
                    continue  # "rác ở xã cả tuần mới có xe tới": words of the story, no name
                start = i - 1 if prefixed else i
                _unknown_place(index, res, (kind, label, name, display), start, i + width)
                return res
            agency = _committee(index, kind, f"UBND {label} {display}", name)
            start = i - 1 if prefixed else i
            end = i + width + len(name)
            res.found.append((agency, start, end, near))
            res.covered.update(range(start, end))
            break
    return res


# words that open no place's name: "xã mình", "ở xã cả tuần …", "xã này", "xã em"
_NOT_NAMES = frozenset("ca minh em toi nay do nao chung ta ben nha ay kia khac".split())


def _ordinary(written: list[str | None], name: list[str]) -> bool:
    """Whether the words after a bare "xã" are ordinary words, not an unknown name: a word that
    opens no name, or written in lower case with marks where a name is capitalised."""
    if name and name[0] in _NOT_NAMES:
        return True
    first = written[0] if written else None
    return first is not None and has_marks(first) and first[:1].islower()


# the kind words as written with marks: "xả thải" (discharge) is no "xã Thải"
_KIND_FORMS = frozenset(marks.canonical(w) for w in ("xã", "phường", "huyện"))
_KIND_WORDS_MARKED = frozenset({"xa", "phuong", "huyen"})


def _other_word(written: str | None) -> bool:
    """Whether a kind word is written with other marks: another word ("xả", "phương")."""
    return (
        written is not None
        and fold(written) != written.lower()
        and marks.canonical(written) not in _KIND_FORMS
    )


_MARKS = frozenset("ảãạáàâấầẩẫậăắằẳẵặđêếềểễệôốồổỗộơớờởỡợưứừửữựíìỉĩịóòỏõọúùủũụýỳỷỹỵéèẻẽẹ")


def has_marks(text: str) -> bool:
    """Whether a text is written with Vietnamese diacritics (then they count when names are
    compared)."""
    return any(c in _MARKS for c in text.lower())


def _differs(written: str, canonical: str) -> bool:
    """A name written with diacritics that are not the registry's: a near miss to confirm, not a
    match."""
    return has_marks(written) and written.lower() != canonical.lower()


def display_name(original: str, name: list[str], title: bool = True) -> str:
    """The place name as the user wrote it (diacritics kept), capitalised (``title``) or in the
    user's own case."""
    words = re.findall(r"\w+", original)
    folded = [fold(w) for w in words]
    for i in range(len(words) - len(name) + 1):
        if folded[i : i + len(name)] == name:
            span = words[i : i + len(name)]
            return " ".join(w[:1].upper() + w[1:].lower() if title else w for w in span)
    return " ".join(w.capitalize() for w in name)
