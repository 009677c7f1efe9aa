"""Builds tests/data/official_questions.jsonl: expected answers read from the seeds' tables
(through kb/data)."""

import json
import random
import sys

sys.path.insert(0, ".")
from kb.loader import load, read_sources
from kb.normalize import fold

kb = load(read_sources())
rng = random.Random(9)
rows = []


def add(q, expect, **kw):
    rows.append({"q": q, **kw, "expect": expect})


plan = [i for i in kb.indicators if i.plan_id == "plan-18-2026"]


def strip(s):
    return fold(s)


def lead_names(ind):
    return sorted(
        {kb.agencies[kb.agencies[a.agency_id].succeeded_by or a.agency_id].name for a in ind.lead}
    )


# by code, several phrasings, with and without diacritics
forms = [
    "ai chủ trì chỉ số {c}",
    "chi so {c} do ai chu tri",
    "chỉ tiêu {c} cơ quan nào chủ trì vậy ạ",
    "Who leads indicator {c}?",
    "cho em hỏi chỉ số {c} bên nào làm chủ trì ạ",
]
for ind in plan:
    for f in rng.sample(forms, 2):
        add(
            f.format(c=ind.code),
            {
                "intent": "indicator_agencies",
                "indicator": ind.code,
                "indicator_lead": lead_names(ind),
            },
        )
# by topic (hand-written from the seeds' wording)
topics = [
    ("ai phụ trách thu gom rác ở các xã", "1.15"),
    ("thu gom rac hang ngay ai lo", "1.15"),
    ("nước sạch nông thôn ai phụ trách", "1.5"),
    ("nuoc sach do thi ai chu tri", "1.5"),
    ("who leads the clean water indicator", "1.5"),
    ("chỉ số về TTHC ai chủ trì", "2.5"),
    ("ai lo chi so thu tuc hanh chinh", "2.5"),
    ("thủ tục hành chính về môi trường còn phiền hà ai chủ trì", "2.5"),
    ("chỉ số KCN xử lý nước thải ai chủ trì", "2.11"),
    ("ai phụ trách chỉ số nước thải khu công nghiệp", "2.11"),
    ("chi so chi phi khong chinh thuc ai chu tri", "2.7"),
    ("who leads the informal payments indicator", "2.7"),
    ("ai chủ trì chỉ số cảnh báo thiên tai", "1.11"),
    ("chỉ số thông tin thời tiết ai chủ trì", "1.9"),
    ("ai chủ trì chỉ số hạ tầng giao thông sau thiên tai", "1.12"),
    ("chỉ số xử lý chất thải khu cụm công nghiệp ai phụ trách", "1.6"),
    ("ai chu tri chi so huong loi tu dich vu tu van", "4.3"),
    ("chỉ số dịch vụ đào tạo khi đầu tư xanh ai chủ trì", "4.4"),
    ("ai chủ trì chỉ số ưu đãi chính sách khi đầu tư xanh", "4.1"),
    ("chỉ số thiếu năng lực nguồn lực ai chủ trì", "4.2"),
    ("ai chủ trì chỉ số tỷ lệ chi phí đầu tư xanh", "3.7"),
    ("chỉ số DN được hướng dẫn QĐPL về BVMT ai chủ trì", "3.8"),
    ("ai chủ trì chỉ số trả giá cao hơn cho doanh nghiệp xanh", "3.2"),
    ("chỉ số đón tiếp đoàn thanh kiểm tra ai chủ trì", "2.6"),
    ("thanh kiem tra cong bang ai chu tri", "2.9"),
    ("chỉ số phối hợp liên ngành thanh kiểm tra ai chủ trì", "2.8"),
    ("ai phụ trách chỉ số hạ tầng cơ bản sau thiên tai", "1.13"),
    ("chỉ số khắc phục sự cố môi trường ai chủ trì", "2.2"),
    ("ai chủ trì chỉ số doanh nghiệp trong lĩnh vực bảo vệ môi trường", "4.6"),
    ("who leads the training services indicator", "4.4"),
]
ind_by = {i.code: i for i in plan}
for q, c in topics:
    add(
        q,
        {"intent": "indicator_agencies", "indicator": c, "indicator_lead": lead_names(ind_by[c])},
    )


# agencies: lead lists (explicit) under current, old and short names
def leads_of(aid):
    ids = {aid} | {a.id for a in kb.agencies.values() if a.succeeded_by == aid}
    return sorted(i.code for i in plan if any(x.agency_id in ids for x in i.lead))


names = {
    "so-xay-dung": ["Sở Xây dựng", "so xay dung", "SXD", "Sở GTVT"],
    "so-cong-thuong": ["Sở Công Thương", "so cong thuong", "SCT"],
    "so-tai-chinh": ["Sở Tài chính", "Sở KH&ĐT", "so ke hoach va dau tu"],
    "so-nnmt": ["Sở NN&MT", "Sở TN&MT", "so nong nghiep va phat trien nong thon"],
    "thanh-tra-tinh": ["Thanh tra tỉnh", "thanh tra tinh"],
    "cong-an-tinh": ["Công an tỉnh", "CA tỉnh"],
    "dai-kttv": ["Đài KTTV", "dai khi tuong thuy van tinh"],
    "tt-xtdt": ["Trung tâm XTĐT", "trung tam xuc tien dau tu"],
    "bql-kkt": ["BQL KKT", "Ban quản lý khu kinh tế"],
}
for aid, ns in names.items():
    a = kb.agencies[aid]
    for n in ns:
        for f in ("{n} chủ trì chỉ số nào", "{n} chu tri nhung chi so gi"):
            add(
                f.format(n=n),
                {
                    "intent": "agency_indicators",
                    "agency": a.name,
                    "lead": leads_of(aid),
                    "lead_optional": ["3.1", "3.2"],
                },
            )
for n in ["Sở Xây dựng", "Sở Công Thương", "Thanh tra tỉnh"]:
    add("bên em chủ trì chỉ số nào ạ", {"intent": "agency_indicators", "agency": n}, **{"as": n})
    add(
        "chúng tôi phụ trách những chỉ số gì",
        {"intent": "agency_indicators", "agency": n},
        **{"as": n},
    )
# communes
for place in rng.sample(list(kb.places.units), 14):
    kind = "phường" if place.kind == "phuong" else "xã"
    add(
        f"UBND {kind} {place.name} chủ trì chỉ số nào",
        {"intent": "agency_indicators", "agency": f"UBND {kind} {place.name}"},
    )
    add(
        f"ubnd {kind} {fold(place.name)} phoi hop chi so nao",
        {"intent": "agency_indicators", "agency": f"UBND {kind} {place.name}"},
    )
# scores
for c in kb.components:
    if c.plan_id == "plan-86-2024":
        add(
            f"CSTP {c.code} năm 2023 được bao nhiêu điểm",
            {"intent": "scores", "contains": [f"{c.scores.score.value}".replace(".", ",")]},
        )
        add(
            f"muc tieu chi so thanh phan {c.code} nam 2024",
            {"intent": "scores", "contains": [f"{c.scores.target.value}".replace(".", ",")]},
        )
add("Lạng Sơn xếp hạng PGI 2023 thứ mấy", {"intent": "scores", "contains": ["62/63"]})
add("tỉnh mình xếp thứ mấy về PGI", {"intent": "scores", "contains": ["62/63"]})
add("What was the 2023 PGI score?", {"intent": "scores", "contains": ["17"]}, lang="en")
# comparisons
add("chỉ số thành phần nào yếu nhất", {"intent": "scores", "contains": ["3,60"]})
add("CSTP nào điểm cao nhất năm 2023", {"intent": "scores", "contains": ["4,84"]})
add("CSTP nào xa trung vị cả nước nhất", {"intent": "scores", "contains": ["1,96"]})
add("chỉ số thành phần nào xếp hạng kém nhất", {"intent": "scores", "contains": ["60"]})
add("CSTP nào có mục tiêu tăng nhiều nhất", {"intent": "scores", "contains": ["1,97"]})
add("which component is the weakest", {"intent": "scores", "contains": ["3.60"]}, lang="en")
# documents
add("kế hoạch nào đang hiện hành", {"intent": "documents", "contains": ["18/KH-UBND"]})
add("ke hoach 18 ban hanh ngay nao", {"intent": "documents", "contains": ["21/01/2026"]})
add("ai ký kế hoạch PGI năm 2024", {"intent": "documents", "contains": ["Lương Trọng Quỳnh"]})
add("kế hoạch 18 có bao nhiêu chỉ số", {"intent": "documents", "contains": ["42"]})
add(
    "PGI gồm những chỉ số thành phần nào",
    {"intent": "documents", "contains": ["Đảm bảo tuân thủ"]},
)
add("ai đánh giá chỉ số PGI", {"intent": "documents", "contains": ["VCCI"]})
add("cơ quan đầu mối là ai", {"intent": "documents", "contains": ["Nông nghiệp và Môi trường"]})
# data by item / form
add("biểu mẫu 15 ai cung cấp", {"intent": "data_requests", "contains": ["Sở Xây dựng"]})
add("bieu mau 24 do ai cung cap", {"intent": "data_requests", "contains": ["Sở Tài chính"]})
add(
    "số liệu nước thải đô thị ai cung cấp",
    {"intent": "data_requests", "contains": ["Sở Xây dựng"]},
)
add("Sở Y tế cần cung cấp số liệu gì", {"intent": "data_requests", "contains": ["Biểu mẫu 05"]})
# deadlines
add(
    "hạn nộp kế hoạch cụ thể",
    {"intent": "deadlines", "deadline": "2024-07-20"},
    **{"as": "Sở Công Thương", "now": "2024-07-05"},
)
add(
    "hạn báo cáo của Sở TN&MT", {"intent": "deadlines", "deadline": "2024-12-20"}, now="2024-12-01"
)
add(
    "han bao cao tong hop cua so tai nguyen moi truong",
    {"intent": "deadlines", "deadline": "2024-12-20"},
    now="2024-12-01",
)
add(
    "hạn gửi số liệu BVMT 2022",
    {"intent": "deadlines", "deadline": "2023-02-28"},
    now="2023-02-01",
)
# decline / clarify (must not answer confidently)
decline = [
    "kết quả PGI 2024 của tỉnh",
    "ket qua pgi nam 2024 dat bao nhieu diem",
    "PGI 2022 của Lạng Sơn bao nhiêu điểm",
    "Bắc Giang xếp hạng PGI mấy",
    "tỉnh nào đứng đầu PGI cả nước",
    "Quảng Ninh được bao nhiêu điểm PGI",
    "số điện thoại giám đốc sở xây dựng",
    "cho xin sđt chủ tịch UBND tỉnh",
    "email của thanh tra tỉnh là gì",
    "chỉ số 5.1 ai chủ trì",
    "chi so 1.16 ai chu tri",
    "chỉ số 2.12 do ai phụ trách",
    "chỉ số thành phần 6 gồm gì",
    "giá vàng hôm nay",
    "thời tiết hôm nay thế nào",
    "thủ đô của Pháp là gì",
    "PGI 2025 xếp hạng mấy",
    "Sở Xây dựng được bao nhiêu điểm PGI",
    "What was Lang Son's PGI rank in 2024?",
    "kết quả PGI năm 2021",
    "điểm PGI của Hà Nội",
    "ai là giám đốc sở nông nghiệp và môi trường",
    "điện thoại của công an tỉnh",
    "CSTP 2 năm 2025 được bao nhiêu điểm",
    "điểm PGI năm 2026 của tỉnh",
    "Cao Bằng xếp thứ mấy về PGI",
    "chỉ số 2.5 năm 2024 đạt bao nhiêu",
]
add("Sở Nội vũ chủ trì gì", {"intent": "agency_indicators", "agency": "Sở Nội vụ"})
add("UBND xa Tan Lien phoi hop chi so nao", {"decline": True})
for q in decline:
    add(q, {"decline": True, "no_indicators": True})
clarify = [
    "Sở Ngoại vụ chủ trì chỉ số nào",
    "UBND xã Hoàng Đồng phối hợp chỉ số nào",
    "ubnd xa mai pha chu tri gi",
    "Sở Tài chủ trì chỉ số nào",
    "ai chủ trì chỉ tiêu ô nhiễm",
    "chỉ số thanh kiểm tra môi trường ai chủ trì",
    "UBND phường Vĩnh Trại phối hợp gì",
    "tôi chủ trì chỉ số nào",
    "xã Tân Liên chủ trì gì",
    "chỉ số đầu tư xanh ai chủ trì",
    "UBND xã Hợp Thành có nhiệm vụ gì",
    "phường Chi Lăng phối hợp chỉ số nào",
]
for q in clarify:
    add(q, {"decline": True})
unlisted = [
    "Sở Tư pháp phụ trách chỉ số nào",
    "Sở Dân tộc và Tôn giáo liên quan chỉ số nào",
    "Ban Dân tộc tỉnh phối hợp chỉ số nào",
    "Sở Lao động Thương binh và Xã hội phụ trách gì",
    "Sở Du lịch chủ trì chỉ số nào",
    "Sở Tư phap chủ trì gì",
]
for q in unlisted:
    add(
        q,
        {
            "intent": "agency_indicators",
            "contains": ["không nêu tên"],
            "lead": ["3.1", "3.2"],
            "lead_optional": ["3.1", "3.2"],
        },
    )
for ind in kb.indicators:
    if ind.plan_id == "plan-86-2024":
        sc = ind.scores.score
        add(
            f"kết quả năm 2023 của chỉ số {ind.name.split('(')[0].strip()}",
            {"intent": "scores", "contains": [f"{int(sc.value)}%"]},
        )


def coords_of(aid):
    ids = {aid} | {a.id for a in kb.agencies.values() if a.succeeded_by == aid}
    leads = set(leads_of(aid))
    return sorted(
        i.code
        for i in plan
        if i.code not in leads and any(x.agency_id in ids for x in i.coordinate)
    )


for aid, ns in [
    ("so-tai-chinh", ["Sở Tài chính", "so tai chinh"]),
    ("dai-kttv", ["Đài KTTV tỉnh", "dai khi tuong thuy van"]),
    ("tt-xtdt", ["Trung tâm XTĐT", "TT xuc tien dau tu"]),
    ("thanh-tra-tinh", ["Thanh tra tỉnh", "thanh tra tinh"]),
]:
    for n in ns:
        add(
            f"{n} phối hợp những chỉ số nào",
            {
                "intent": "agency_indicators",
                "agency": kb.agencies[aid].name,
                "coordinate": coords_of(aid),
            },
        )
for q, a in [
    ("Which indicators does the Department of Construction lead?", "Sở Xây dựng"),
    ("What does the provincial police lead?", "Công an tỉnh"),
    ("Which indicators does the Department of Finance coordinate?", "Sở Tài chính"),
    ("Which indicators does the Inspectorate lead?", "Thanh tra tỉnh"),
]:
    add(q, {"intent": "agency_indicators", "agency": a}, lang="en")
with open("tests/data/official_questions.jsonl", "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows), sum(1 for r in rows if r["expect"].get("decline")))
