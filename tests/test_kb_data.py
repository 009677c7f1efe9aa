"""The shipped knowledge base matches the seed documents: counts pinned, rows spot-checked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kb.model import KnowledgeBase


def _ind(kb: KnowledgeBase, plan: str, code: str):
    return next(i for i in kb.indicators if i.plan_id == plan and i.code == code)


def _names(kb: KnowledgeBase, cell) -> list[str]:
    return [kb.agencies[a.agency_id].name for a in cell]


def test_four_documents_with_their_headers(kb):
    """Each source document is one file with its number, date and issuer."""
    docs = {d.id: d for d in kb.documents.values()}
    assert {"plan-18-2026", "plan-86-2024", "plan-pgi-2024", "request-bvmt-2022"} == set(docs)
    assert ("18/KH-UBND", "2026-01-21", "UBND tỉnh Lạng Sơn") == (
        docs["plan-18-2026"].number,
        docs["plan-18-2026"].date.isoformat(),
        docs["plan-18-2026"].issuer,
    )
    assert ("86/KH-STNMT", "2024-07-19") == (
        docs["plan-86-2024"].number,
        docs["plan-86-2024"].date.isoformat(),
    )
    assert docs["plan-18-2026"].current and not docs["plan-86-2024"].current


def test_plan_18_has_42_indicators_15_11_10_6(kb):
    """Plan 18/KH-UBND: 4 component indices with 15, 11, 10 and 6 indicators."""
    counts = {}
    for i in kb.indicators:
        if i.plan_id == "plan-18-2026":
            counts[i.component] = counts.get(i.component, 0) + 1
    assert {"1": 15, "2": 11, "3": 10, "4": 6} == counts


def test_plan_86_has_17_indicators_and_a_total(kb):
    """Plan 86/KH-STNMT: 4 + 8 + 3 + 2 indicators, and the total row."""
    counts = {}
    for i in kb.indicators:
        if i.plan_id == "plan-86-2024":
            counts[i.component] = counts.get(i.component, 0) + 1
    assert {"1": 4, "2": 8, "3": 3, "4": 2} == counts
    name, total = kb.totals["plan-86-2024"]
    assert (Decimal("17.33"), 62, 63, Decimal("22.37"), 25) == (
        total.score.value,
        total.rank.position,
        total.rank.of,
        total.target.value,
        total.target_rank.position,
    )


@pytest.mark.parametrize(
    ("code", "lead", "scopes"),
    [
        (
            "1.5",
            ["Sở Xây dựng", "Sở Nông nghiệp và Môi trường"],
            ["nước sạch đô thị", "cấp nước sạch nông thôn"],
        ),
        (
            "1.6",
            ["Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn", "Sở Công Thương"],
            [
                "quản lý việc xử lý chất thải tại các Khu công nghiệp",
                "quản lý việc xử lý chất thải tại các Cụm công nghiệp",
            ],
        ),
        ("1.9", ["Đài Khí tượng Thủy văn tỉnh"], [None]),
        (
            "2.6",
            [
                "Sở Nông nghiệp và Môi trường",
                "Công an tỉnh",
                "Thanh tra tỉnh",
                "UBND các xã, phường",
            ],
            [None] * 4,
        ),
        ("2.7", ["Công an tỉnh"], [None]),
        ("3.1", ["Các Sở, ban, ngành, đoàn thể của tỉnh", "UBND các xã, phường"], [None, None]),
        ("4.5", ["Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch tỉnh"], [None]),
        ("4.6", ["Sở Tài chính"], [None]),
    ],
)
def test_plan_18_lead_cells(kb, code, lead, scopes):
    """Lead agencies (with scopes) as in the seed's 'CƠ QUAN CHỦ TRÌ' column."""
    ind = _ind(kb, "plan-18-2026", code)
    assert lead == _names(kb, ind.lead)
    assert scopes == [a.scope for a in ind.lead]


def test_plan_18_coordinate_cell_of_1_13_keeps_service_providers(kb):
    """1.13 coordinates: the press, police, Sở VHTTDL, groups and the three utilities."""
    names = _names(kb, _ind(kb, "plan-18-2026", "1.13").coordinate)
    assert [
        "Báo và Phát thanh, Truyền hình Lạng Sơn",
        "Công an tỉnh",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Các Sở, ban, ngành liên quan",
        "UBND các xã, phường",
        "Viễn Thông Lạng Sơn",
        "Công ty cổ phần cấp thoát nước Lạng Sơn",
        "Công ty Điện lực Lạng Sơn",
    ] == names


def test_plan_18_indicator_names(kb):
    """Names are transcribed as in the seed."""
    assert (
        "Thủ tục hành chính trong lĩnh vực bảo vệ môi trường còn phiền hà (%)"
        == _ind(kb, "plan-18-2026", "2.5").name
    )
    assert (
        "Tỷ lệ doanh nghiệp trong lĩnh vực ngành về bảo vệ môi trường (%)"
        == _ind(kb, "plan-18-2026", "4.6").name
    )


def test_plan_86_rows(kb):
    """Scores, medians and ranks of plan 86 rows, and the lead 'Thanh tra Sở'."""
    i11 = _ind(kb, "plan-86-2024", "1.1")
    assert (Decimal("56"), "%", Decimal("61"), 44, Decimal("81"), 2) == (
        i11.scores.score.value,
        i11.scores.score.unit,
        i11.scores.median.value,
        i11.scores.rank.position,
        i11.scores.target.value,
        i11.scores.target_rank.position,
    )
    assert ["Thanh tra Sở"] == _names(kb, _ind(kb, "plan-86-2024", "2.1").lead)
    comp1 = next(c for c in kb.components if c.plan_id == "plan-86-2024" and c.code == "1")
    assert (Decimal("4.84"), Decimal("6.8"), 58, Decimal("6.58"), 39) == (
        comp1.scores.score.value,
        comp1.scores.median.value,
        comp1.scores.rank.position,
        comp1.scores.target.value,
        comp1.scores.target_rank.position,
    )


def test_task_plan_deadlines(kb):
    """Section III deadlines: 20/07/2024, 10/12/2024, 20/12/2024; the 2023 letter: 28/02/2023."""
    assert ["2023-02-28", "2024-07-20", "2024-12-10", "2024-12-20"] == [
        d.date.isoformat() for d in kb.deadlines
    ]
    consolidated = next(d for d in kb.deadlines if d.date.isoformat() == "2024-12-20")
    assert ["Sở Tài nguyên và Môi trường"] == [a.written for a in consolidated.audience]


def test_task_plan_sections(kb):
    """Section II has tasks for each component index; Sở KH&CN's task is about technology."""
    comps = {t.component for t in kb.tasks if t.section == "II"}
    assert {"1", "2", "3", "4"} == comps
    khcn = [t for t in kb.tasks if any(a.agency_id == "so-khcn" for a in t.agencies)]
    assert 1 == len(khcn) and "công nghệ" in khcn[0].tasks[0]


def test_data_request_items(kb):
    """The 2023 letter: 11 requests, Sở Y tế's forms 05 and 09, the contact phone."""
    assert 11 == len(kb.data_requests)
    yte = next(r for r in kb.data_requests if any(a.agency_id == "so-y-te" for a in r.agencies))
    assert ["Biểu mẫu 05", "Biểu mẫu 09"] == [i.form for i in yte.items]
    assert "0205.3896.668" == kb.contacts["request-bvmt-2022"].phone


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("so-tnmt", "so-nnmt"),
        ("so-nnptnt", "so-nnmt"),
        ("so-khdt", "so-tai-chinh"),
        ("so-gtvt", "so-xay-dung"),
        ("so-tttt", "so-khcn"),
        ("bao-lang-son", "bao-ptth"),
        ("dai-ptth", "bao-ptth"),
        ("ubnd-huyen", "ubnd-xa-phuong"),
        ("thanh-tra-so", "thanh-tra-tinh"),
    ],
)
def test_registry_successions(kb, old, new):
    """The 2025 renames of DOMAIN.md are in the registry."""
    assert new == kb.agencies[old].succeeded_by
