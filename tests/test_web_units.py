"""The pieces under the web console: problem lines, the extended diff, safe unzipping, the CLI
link."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from bot.app.cli import main
from handlers.web.upload import UploadError, yaml_file, zip_files
from kb.check.lines import node_line
from kb.diff import diff
from kb.loader import load, validate

PLAN = "plan_18_kh_ubnd_2026.yaml"


def test_problem_lines_follow_the_path(shipped_sources):
    """A problem's line is the line of its path in its file; str(problem) keeps its format."""
    src = dict(shipped_sources)
    src[PLAN] = src[PLAN].replace(
        '{agency: "Sở Xây dựng", scope', '{agency: "Sở Xây dựg", scope', 1
    )
    _, problems = validate(src)
    (p,) = problems
    expected = next(i for i, line in enumerate(src[PLAN].splitlines(), 1) if "Sở Xây dựg" in line)
    assert expected == p.line
    assert str(p).startswith(f"{PLAN}: components[0].indicators[4].lead[0].agency: unknown agency")


def test_missing_field_points_at_its_mapping():
    """A path that ends at a missing key gives the line of the deepest node found."""
    import yaml

    root = yaml.compose("document:\n  id: x\nitems:\n  - a: 1\n  - b: 2\n")
    assert 5 == node_line(root, "items[1].missing")
    assert 2 == node_line(root, "document.id")
    assert 1 == node_line(root, "nothing.here")


def test_diff_names_assignments_agencies_and_deadline_changes(shipped_sources):
    """The diff lists assignments added and removed, changed agencies and changed deadlines
    apart from new ones."""
    old = load(shipped_sources)
    src = dict(shipped_sources)
    src[PLAN] = src[PLAN].replace(
        '- {agency: "Đài khí tượng Thủy văn tỉnh"}', '- {agency: "Sở Xây dựng"}', 1
    )
    src["agencies.yaml"] = src["agencies.yaml"].replace('"Sở XD", ', '"Sở XD", "Sở XD tỉnh", ', 1)
    src["plan_pgi_2024_ubnd.yaml"] = src["plan_pgi_2024_ubnd.yaml"].replace(
        "2024-07-20", "2024-07-22", 1
    )
    d = diff(old, load(src))
    assert ["plan-18-2026 1.9 lead: Sở Xây dựng"] == d.assignments_added
    assert ["plan-18-2026 1.9 lead: Đài khí tượng Thủy văn tỉnh"] == d.assignments_removed
    assert ["Sở Xây dựng"] == d.agencies_changed
    assert ([], 1) == (d.deadlines_added, len(d.deadlines_changed))


def _zip(entries: dict[str, bytes], link: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in entries.items():
            z.writestr(name, body)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
    return buf.getvalue()


def test_zip_takes_the_root_yaml_files():
    """The YAML files at the archive's root (or in its single top folder) are read; other files
    ignored."""
    assert {"a.yaml": "x: 1\n"} == zip_files(_zip({"kb/a.yaml": b"x: 1\n", "kb/SCHEMA.md": b"#"}))
    assert {"a.yaml": "x: 1\n", "b.yml": "y: 2\n"} == zip_files(
        _zip({"a.yaml": b"x: 1\n", "b.yml": b"y: 2\n"})
    )


@pytest.mark.parametrize(
    ("entries", "link"),
    [
        ({"../a.yaml": b"x"}, None),
        ({"a.yaml": b"x"}, "b.yaml"),
        ({"a.yaml": b"x", "sub/deeper/b.yaml": b"y"}, None),
        ({"README.md": b"x"}, None),
    ],
)
def test_zip_refusals(entries, link):
    """Paths outside, links, YAML in sub-folders and archives without YAML are refused."""
    with pytest.raises(UploadError):
        zip_files(_zip(entries, link))


def test_not_a_zip_and_bad_names():
    """Garbage is not a zip; only YAML names and UTF-8 text are accepted for one file."""
    with pytest.raises(UploadError):
        zip_files(b"not a zip")
    with pytest.raises(UploadError):
        yaml_file("evil.sh", b"x")
    with pytest.raises(UploadError):
        yaml_file("a.yaml", "xin chào".encode("utf-16"))
    assert ("a.yaml", "x: 1") == yaml_file("C:\\Users\\me\\a.yaml", b"\xef\xbb\xbfx: 1")


def test_web_link_command_prints_a_link(tmp_path, monkeypatch, capsys):
    """`python -m bot web-link` prints a one-time link to the console's public address."""
    monkeypatch.setenv("PGI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PGI_PUBLIC_URL", "https://pgi.example.vn/")
    assert 0 == main(["web-link"])
    out = capsys.readouterr().out.strip()
    assert out.startswith("https://pgi.example.vn/web/login/") and len(out) > 60


def _patched(
    body: bytes,
    method: int,
    *,
    flag: int = 0,
    method_code: int | None = None,
    data: bytes | None = None,
) -> bytes:
    """A one-entry zip of ``agencies.yaml`` whose headers or data are then changed by hand."""
    import struct

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("agencies.yaml", body)
    raw = bytearray(buf.getvalue())
    local, central = raw.find(b"PK\x03\x04"), raw.find(b"PK\x01\x02")
    if flag:
        struct.pack_into("<H", raw, local + 6, struct.unpack_from("<H", raw, local + 6)[0] | flag)
        struct.pack_into(
            "<H", raw, central + 8, struct.unpack_from("<H", raw, central + 8)[0] | flag
        )
    if method_code is not None:
        struct.pack_into("<H", raw, local + 8, method_code)
        struct.pack_into("<H", raw, central + 10, method_code)
    if data is not None:
        name_len, extra_len = struct.unpack_from("<HH", raw, local + 26)
        start = local + 30 + name_len + extra_len
        raw[start : start + len(data)] = data
    return bytes(raw)


BODY = (
    b"agencies:\n  - {id: so-xay-dung, name: S\xe1\xbb\x9f X\xc3\xa2y d\xe1\xbb\xb1ng, type:"
    b" department}\n" * 20
)


@pytest.mark.parametrize(
    "archive",
    [
        _patched(
            BODY, zipfile.ZIP_STORED, data=b"AGENCIES"
        ),  # bytes changed: the CRC does not match
        _patched(BODY, zipfile.ZIP_DEFLATED, data=b"\xff" * 16),  # not a deflate stream
        _patched(BODY, zipfile.ZIP_STORED, flag=0x1),  # marked encrypted
        _patched(BODY, zipfile.ZIP_STORED, method_code=99),  # AES, or anything unknown
    ],
    ids=["bad-crc", "corrupt-deflate", "encrypted", "unknown-method"],
)
def test_entries_that_cannot_be_unpacked_are_a_listed_problem(archive):
    """A damaged, encrypted or oddly compressed entry is an UploadError naming it, not an
    exception."""
    with pytest.raises(UploadError) as caught:
        zip_files(archive)
    assert (
        "cannot be unpacked" in caught.value.message
        and "agencies.yaml" == caught.value.values["name"]
    )
