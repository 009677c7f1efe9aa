"""The province's communes and wards (places.yaml), and the districts and cities they replaced."""

from __future__ import annotations

from kb.check.fields import FieldChecks, join
from kb.check.problems import N_
from kb.model import Place, Places
from kb.normalize import normalize

PLACES_KEY = "places"
_PLACES_FIELDS = {
    "source",
    "since",
    "wards",
    "communes",
    "expected",
    "former_districts",
    "former_cities",
    "districts_until",
}
_KINDS = (("wards", "phuong"), ("communes", "xa"))  # key in the file, kind of place


class PlaceChecks(FieldChecks):
    """Reads the list of communes and wards into :class:`Places`."""

    def __init__(self) -> None:
        super().__init__()
        self.places = Places()

    def places_file(self, file: str, data: dict) -> None:
        self._keys(file, "", data, {PLACES_KEY}, {PLACES_KEY})
        row = data.get(PLACES_KEY)
        if not isinstance(row, dict):
            self.problem(
                file, PLACES_KEY, N_("must be a mapping with wards, communes and former_districts")
            )
            return
        self._keys(file, PLACES_KEY, row, _PLACES_FIELDS, {"wards", "communes"})
        units = self._units(file, row)
        self._expected(file, row.get("expected"), units)
        former = self._former(file, row)
        self.places = Places(
            units=tuple(units),
            former=tuple(former),
            source=self._text(file, join(PLACES_KEY, "source"), row.get("source"), required=False)
            or "",
            since=self._date(file, join(PLACES_KEY, "since"), row.get("since"), required=False),
            districts_until=self._date(
                file,
                join(PLACES_KEY, "districts_until"),
                row.get("districts_until"),
                required=False,
            ),
        )

    def _units(self, file: str, row: dict) -> list[Place]:
        """The wards and communes, each named once."""
        units: list[Place] = []
        seen: dict[str, str] = {}
        for key, kind in _KINDS:
            for i, name in enumerate(self._texts(file, join(PLACES_KEY, key), row.get(key))):
                folded = normalize(name)
                if folded in seen:
                    self.problem(
                        file,
                        f"{PLACES_KEY}.{key}[{i}]",
                        N_("'{name}' is listed twice (also as {other}); keep it once"),
                        name=name,
                        other=seen[folded],
                    )
                    continue
                seen[folded] = f"{key}[{i}]"
                units.append(Place(name=name, kind=kind))
        return units

    def _expected(self, file: str, expected: object, units: list[Place]) -> None:
        """The counts the resolution gives, when the file states them, match the lists."""
        if not isinstance(expected, dict):
            return
        for key, kind in _KINDS:
            want = expected.get(key)
            got = sum(1 for u in units if u.kind == kind)
            if want is not None and want != got:
                self.problem(
                    file,
                    f"{PLACES_KEY}.{key}",
                    N_(
                        "has {got} names but expected.{key} says {want}; check the list"
                        " against the resolution"
                    ),
                    got=got,
                    key=key,
                    want=want,
                )

    def _former(self, file: str, row: dict) -> list[Place]:
        """The former districts and cities (abolished in 2025)."""
        former = [
            Place(name=n, kind="huyen", former=True)
            for n in self._texts(
                file, join(PLACES_KEY, "former_districts"), row.get("former_districts")
            )
        ]
        former += [
            Place(name=n, kind="thanh-pho", former=True)
            for n in self._texts(file, join(PLACES_KEY, "former_cities"), row.get("former_cities"))
        ]
        return former
