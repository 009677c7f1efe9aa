"""What resolving a question's names produces (kb/ask/resolve.py, kb/words/unlisted.py), and the
word lists both read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.model import Agency

# Tokens that end an agency phrase: the verbs and question words that follow a name.
PHRASE_END = frozenset(
    "phu chu phoi lien trach co can la thi cua duoc lam nhiem chi han bao tham nhung gi nao o"
    " trong ve thuoc se da phai cung so ai dang xin cho voi gui nop hien hay lead leads coordinate"
    " coordinates is does do has have what which responsible tasks task deadline deadlines"
    " indicators indicator for in of the".split()
)  # not "giao", "khi", "nam", "hoi", "tai", "va": they are words of agency names too
# Words that name the province or country, not an agency: "Lạng Sơn" alone is no agency.
GENERIC = frozenset("lang son tinh viet nam province provincial of the".split())
YEAR = re.compile(r"^(?:19|20)\d\d$")


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
