"""Vietnamese text normalisation: case, diacritics (đ included), punctuation and abbreviations.

Everything the engine compares goes through :func:`normalize`, questions and knowledge-base
names alike, so "Sở TN&MT", "so tnmt" and "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG" meet in one form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DECIMAL = re.compile(r"(?<=\d)[.,](?=\d)")
_NON_WORD = re.compile(r"[^0-9a-z.]+")
_GLUED_CODE = re.compile(r"\b(cstp|chiso|csp)(\d)")  # "cstp2" typed without a space
_STRAY_DOT = re.compile(r"(?<![0-9])\.|\.(?![0-9])")


def fold(text: str) -> str:
    """Lower-case ASCII form: diacritics and punctuation removed, "1.5" and "17,33" kept as one
    token."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").casefold()
    text = _DECIMAL.sub(".", text)
    text = _NON_WORD.sub(" ", text)
    text = _STRAY_DOT.sub(" ", text)
    text = _GLUED_CODE.sub(r"\1 \2", text)
    return " ".join(text.split())


# Abbreviations officials and the documents use, and the full words they stand for. Both sides are
# folded; longer forms are tried first. Applied to questions and to names alike.
_ABBREVIATIONS: dict[str, str] = {
    "tn va mt": "tai nguyen va moi truong",
    "tn mt": "tai nguyen va moi truong",
    "tnmt": "tai nguyen va moi truong",
    "tai nguyen moi truong": "tai nguyen va moi truong",
    "nn va mt": "nong nghiep va moi truong",
    "nn mt": "nong nghiep va moi truong",
    "nnmt": "nong nghiep va moi truong",
    "nong nghiep moi truong": "nong nghiep va moi truong",
    "nn va ptnt": "nong nghiep va phat trien nong thon",
    "nn ptnt": "nong nghiep va phat trien nong thon",
    "nnptnt": "nong nghiep va phat trien nong thon",
    "kh va dt": "ke hoach va dau tu",
    "kh dt": "ke hoach va dau tu",
    "khdt": "ke hoach va dau tu",
    "kh va cn": "khoa hoc va cong nghe",
    "kh cn": "khoa hoc va cong nghe",
    "khcn": "khoa hoc va cong nghe",
    "tt va tt": "thong tin va truyen thong",
    "tt tt": "thong tin va truyen thong",
    "tttt": "thong tin va truyen thong",
    "gt vt": "giao thong van tai",
    "gtvt": "giao thong van tai",
    "gd va dt": "giao duc va dao tao",
    "gd dt": "giao duc va dao tao",
    "gddt": "giao duc va dao tao",
    "vh tt va dl": "van hoa the thao va du lich",
    "vh tt dl": "van hoa the thao va du lich",
    "vhttdl": "van hoa the thao va du lich",
    "van hoa the thao du lich": "van hoa the thao va du lich",
    "pt th": "phat thanh truyen hinh",
    "ptth": "phat thanh truyen hinh",
    "phat thanh va truyen hinh": "phat thanh truyen hinh",
    "kttv": "khi tuong thuy van",
    "xtdttmdl": "xuc tien dau tu thuong mai va du lich",
    "xtdt tm va dl": "xuc tien dau tu thuong mai va du lich",
    "xtdt": "xuc tien dau tu",
    "bql": "ban quan ly",
    "kktck": "khu kinh te cua khau",
    "kkt": "khu kinh te",
    "cstp": "chi so thanh phan",
    "sub index": "component index",  # "the compliance sub-index"
    "sub indices": "component indices",
    "subindex": "component index",
    "chiso": "chi so",
    "dn": "doanh nghiep",
    "cqnn": "co quan nha nuoc",
    "qdpl": "quy dinh phap luat",
    "bvmt": "bao ve moi truong",
    "bdkh": "bien doi khi hau",
    "kcn": "khu cong nghiep",
    "ccn": "cum cong nghiep",
    "hdnd": "hoi dong nhan dan",
    "uy ban nhan dan": "ubnd",
    "pctt va tkcn": "phong chong thien tai va tim kiem cuu nan",
    "pctt tkcn": "phong chong thien tai va tim kiem cuu nan",
    "bchqs": "bo chi huy quan su",
    "bo chqs": "bo chi huy quan su",
    "hhdn": "hiep hoi doanh nghiep",
    "ubmttq": "uy ban mat tran to quoc",
    "mttq": "mat tran to quoc",
    "tp": "thanh pho",
    "ko": "khong",
    "k": "khong",
    "hok": "khong",
    # how officials type on a phone: "dc giao", "nop bc", "bnhieu chi so", "lam j", "ntn", "sl"
    "dc": "duoc",
    "bc": "bao cao",
    "bnhieu": "bao nhieu",
    "bnhiu": "bao nhieu",
    "ntn": "nhu the nao",
    "j": "gi",
    "z": "vay",
    "vs": "voi",
    "cx": "cung",
    "mn": "moi nguoi",
    "sl": "so lieu",
    "cv": "cong van",
    "xd": "xay dung",
    "stnmt": "so tai nguyen va moi truong",
    "snnmt": "so nong nghiep va moi truong",
    "snnptnt": "so nong nghiep va phat trien nong thon",
    "skhdt": "so ke hoach va dau tu",
    "skhcn": "so khoa hoc va cong nghe",
    "stttt": "so thong tin va truyen thong",
    "sgtvt": "so giao thong van tai",
    "sxd": "so xay dung",
    "sct": "so cong thuong",
    "stc": "so tai chinh",
    "syt": "so y te",
    "snv": "so noi vu",
    # the same, for the words of the plans: "cs 2.11 ai ct", "so ct" (Sở Công Thương, tried first),
    # "ph chi so nao", "lq", "kq", "la bn", "ptrach"
    "so ct": "so cong thuong",
    "ct ubnd": "chu tich ubnd",
    "pct ubnd": "pho chu tich ubnd",
    "bn oi": "ban oi",
    "v v": "ve viec",
    "cs mt": "canh sat moi truong",
    "csmt": "canh sat moi truong",
    "cs": "chi so",
    "ct": "chu tri",
    "ph": "phoi hop",
    "lq": "lien quan",
    "kq": "ket qua",
    "bn": "bao nhieu",
    "ptrach": "phu trach",
    "ptr": "phu trach",
    "cty": "cong ty",
    "tg": "thoi gian",
    "v": "vay",
    "bit": "biet",  # "ko bit", "bít"
    "nv": "nhiem vu",  # "nv j": what task
}
_ABBR_BY_LEN: list[tuple[tuple[str, ...], tuple[str, ...]]] = sorted(
    ((tuple(k.split()), tuple(v.split())) for k, v in _ABBREVIATIONS.items()),
    key=lambda kv: -len(kv[0]),
)
_ABBR_FIRST: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
for _short, _long in _ABBR_BY_LEN:
    _ABBR_FIRST.setdefault(_short[0], []).append((_short, _long))


def expand(tokens: list[str]) -> list[str]:
    """Replace known abbreviations with their full words (longest match first)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for short, long in _ABBR_FIRST.get(tokens[i], ()):
            if tuple(tokens[i : i + len(short)]) == short:
                out.extend(long)
                i += len(short)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """The comparable form of a name or question: folded, abbreviations expanded."""
    return " ".join(expand(fold(text).split()))


def tokens(text: str) -> list[str]:
    return normalize(text).split()


def abbreviations() -> dict[str, str]:
    """The abbreviations questions are read with (folded), and the words they stand for
    (folded)."""
    return dict(_ABBREVIATIONS)
