"""Words officials use for the documents' subjects, built from the documents' own wording.

Each group is one subject: the documents' words (indicator names, scope notes, tasks) and the
paraphrases, abbreviations and English words officials use for them. Matching replaces any phrase
of a group by the group's tag, in questions and in indicator texts alike, so "rác thải" meets
"chất thải rắn" and "clean water" meets "nước sạch". Phrases are normalised like questions.
"""

from __future__ import annotations

from kb.normalize import normalize

GROUPS: dict[str, tuple[str, ...]] = {
    "waste": (
        "rác",
        "rác thải",
        "chất thải",
        "chất thải rắn",
        "chất thải rắn sinh hoạt",
        "waste",
        "garbage",
        "trash",
        "rubbish",
        "solid waste",
    ),
    "collect": ("thu gom", "gom rác", "collection", "collect", "collecting", "pick up"),
    "water": (
        "nước sạch",
        "cấp nước",
        "cung cấp nước",
        "nước sinh hoạt",
        "nước máy",
        "clean water",
        "water supply",
        "drinking water",
        "tap water",
        "water",
    ),
    "wastewater": ("nước thải", "wastewater", "waste water", "sewage"),
    "rural": ("nông thôn", "vùng nông thôn", "countryside", "rural", "village", "villages"),
    "urban": ("đô thị", "thành thị", "urban", "city", "town"),
    "procedure": (
        "thủ tục hành chính",
        "tthc",
        "thủ tục",
        "giấy tờ",
        "administrative procedures",
        "administrative procedure",
        "paperwork",
        "red tape",
        "procedures",
    ),
    "bother": (
        "phiền hà",
        "rườm rà",
        "phức tạp",
        "nhiêu khê",
        "phiền phức",
        "burdensome",
        "cumbersome",
        "troublesome",
    ),
    "inspect": (
        "thanh tra",
        "kiểm tra",
        "thanh kiểm tra",
        "thanh, kiểm tra",
        "đoàn thanh",
        "đoàn kiểm tra",
        "đoàn thanh tra",
        "đoàn thanh kiểm tra",
        "đoàn thanh, kiểm tra",
        "inspection",
        "inspections",
        "inspect",
        "inspector",
        "inspectors",
        "audit",
        "audits",
    ),
    "industrial": (
        "khu công nghiệp",
        "cụm công nghiệp",
        "khu cụm công nghiệp",
        "khu/cụm công nghiệp",
        "kcn",
        "ccn",
        "industrial park",
        "industrial parks",
        "industrial zone",
        "industrial zones",
        "industrial cluster",
        "industrial clusters",
        "industrial",
    ),
    "business": (
        "doanh nghiệp",
        "dn",
        "công ty",
        "cơ sở sản xuất",
        "business",
        "businesses",
        "firm",
        "firms",
        "enterprise",
        "enterprises",
        "companies",
        "company",
    ),
    "disaster": (
        "thiên tai",
        "bão lũ",
        "mưa bão",
        "mưa lũ",
        "lũ lụt",
        "ngập lụt",
        "lũ quét",
        "sạt lở",
        "ngập úng",
        "disaster",
        "disasters",
        "natural disaster",
        "natural disasters",
        "storm",
        "storms",
        "flood",
        "floods",
        "landslide",
    ),
    "climate": ("biến đổi khí hậu", "bđkh", "climate change", "climate"),
    "weather": (
        "thời tiết",
        "khí tượng",
        "thủy văn",
        "khí tượng thủy văn",
        "dự báo",
        "weather",
        "forecast",
        "forecasts",
        "meteorological",
        "hydro meteorological",
    ),
    "pollution": (
        "ô nhiễm",
        "gây ô nhiễm",
        "pollution",
        "polluting",
        "pollute",
        "polluted",
        "polluters",
        "polluter",
    ),
    "penalty": (
        "xử phạt",
        "phạt",
        "bị phạt",
        "xử lý vi phạm",
        "penalty",
        "penalties",
        "penalise",
        "penalize",
        "penalised",
        "penalized",
        "fine",
        "fined",
        "fines",
        "sanction",
        "sanctions",
        "punish",
        "punished",
    ),
    "green_invest": (
        "đầu tư xanh",
        "green investment",
        "green investments",
        "invest green",
        "green invest",
    ),
    "buy": (
        "mua sắm",
        "mua hàng",
        "mua hàng hóa",
        "purchase",
        "purchasing",
        "procurement",
        "buy",
        "buying",
    ),
    "price": (
        "giá cao hơn",
        "trả giá cao hơn",
        "trả giá",
        "trả thêm",
        "pay more",
        "higher price",
        "premium",
    ),
    "informal": (
        "chi phí không chính thức",
        "không chính thức",
        "bôi trơn",
        "phong bì",
        "tiêu cực",
        "hối lộ",
        "informal",
        "informal payment",
        "informal payments",
        "informal costs",
        "bribe",
        "bribes",
        "bribery",
    ),
    "infrastructure": ("hạ tầng", "cơ sở hạ tầng", "infrastructure"),
    "basic": (
        "cơ bản",
        "thiết yếu",
        "basic",
        "essential",
        "utilities",
        "utility",
        "điện nước",
        "điện, nước",
        "mất điện",
        "mất nước",
        "viễn thông",
        "sóng điện thoại",
        "mất sóng",
        "mạng điện thoại",
        "internet",
        "electricity",
        "power cut",
        "telecom",
    ),
    "transport": ("giao thông", "đường sá", "cầu đường", "road", "roads", "transport", "traffic"),
    "warning": (
        "cảnh báo",
        "báo trước",
        "warning",
        "warnings",
        "warn",
        "alert",
        "alerts",
        "early warning",
    ),
    "recovery": (
        "khắc phục",
        "thiệt hại",
        "khôi phục",
        "hỗ trợ khắc phục",
        "recovery",
        "recover",
        "damage",
        "relief",
        "repair",
        "restore",
        "restored",
    ),
    "consulting": ("tư vấn", "consulting", "consultancy", "advisory", "advice", "consultation"),
    "training": ("đào tạo", "tập huấn", "training", "train"),
    "incentive": (
        "ưu đãi",
        "ưu đãi chính sách",
        "miễn thuế",
        "giảm thuế",
        "miễn giảm thuế",
        "incentive",
        "incentives",
        "preferential",
    ),
    "law": (
        "quy định pháp luật",
        "pháp luật",
        "qđpl",
        "văn bản pháp luật",
        "law",
        "laws",
        "legal",
        "regulation",
        "regulations",
        "legislation",
    ),
    "awareness": ("nhận thức", "hiểu biết", "awareness", "aware", "knowledge"),
    "capacity": (
        "năng lực",
        "nguồn lực",
        "nhân lực",
        "nhân sự",
        "chuyên môn",
        "người có chuyên môn",
        "vốn",
        "nguồn vốn",
        "kinh phí",
        "năng lực tài chính",
        "capacity",
        "capability",
        "resources",
        "staff",
        "funding",
        "expertise",
        "skills",
    ),
    # the survey states an item one way ("dễ tiếp cận thông tin"); a complaint says the other ("khó
    # tìm")
    "ease": (
        "dễ",
        "khó",
        "dễ dàng",
        "thuận tiện",
        "thuận lợi",
        "easy",
        "easily",
        "hard",
        "difficult",
    ),
    "access": (
        "tiếp cận",
        "tìm",
        "tìm được",
        "tìm thấy",
        "tìm kiếm thông tin",
        "tra cứu",
        "access",
        "find",
    ),
    "incident": ("sự cố môi trường", "sự cố", "incident", "incidents", "accident", "spill"),
    "interagency": (
        "liên ngành",
        "phối hợp liên ngành",
        "interagency",
        "inter agency",
        "joint",
        "cross sector",
    ),
    "fair": ("công bằng", "fair", "fairly", "fairness"),
    "cost": ("chi phí", "cost", "costs", "expense", "expenses", "fee", "fees", "charges"),
    # English words of the indicators' names ("local authorities" = "chính quyền địa phương")
    "authority": (
        "chính quyền",
        "chính quyền địa phương",
        "local authorities",
        "local authority",
        "authorities",
        "local government",
        "government",
    ),
    "help": ("hỗ trợ", "giúp đỡ", "help", "helping", "helps", "assistance"),
    "environment_quality": (
        "chất lượng môi trường",
        "environmental quality",
        "environment quality",
    ),
    "daily": ("hàng ngày", "hằng ngày", "mỗi ngày", "daily", "every day"),
    "treat": ("xử lý", "treatment", "treat", "treated", "processing", "handling"),
    "guidance": ("hướng dẫn", "guidance", "guide", "guided", "instruct"),
    "bvmt": ("bảo vệ môi trường", "bvmt", "environmental protection", "protect the environment"),
    "common": ("phổ biến", "common", "widespread", "prevalent"),
    "prevent": ("phòng ngừa", "ngăn ngừa", "phòng tránh", "prevent", "prevention", "preventing"),
    "quick": ("nhanh chóng", "kịp thời", "nhanh", "quickly", "fast", "promptly", "timely"),
    "affected": (
        "ảnh hưởng",
        "gặp khó khăn",
        "khó khăn",
        "affected",
        "affect",
        "impact",
        "impacted",
        "hurt",
        "difficulties",
        "difficulty",
    ),
    "service": ("dịch vụ", "service", "services"),
    "operating": ("vận hành", "operating", "operation", "operations"),
    "greening": ("xanh hóa", "xanh hoá", "greening", "go green"),
}

# Phrases in questions that are no topic: polite forms, fillers, English function words.
FILLER = frozenset(
    normalize(
        "anh chị cho em hỏi với ạ ạh nhé nhe nha nhá vậy thế ơi dạ vâng xin cảm ơn làm ơn giúp em"
        " ta chẳng chả and or ls đi "  # "tỉnh ta", "chẳng hiểu", "pgi ls" (Lạng Sơn), "có đi gom"
        " với được không "
        "please tell me about the a an can you could would i want to know kindly thanks thank you"
        " hello hi dear sir "
        "madam bot ad admin bạn ơi cho hỏi chút xíu tí với nào ạ thì là mà rồi chưa hả hở vầy vay "
        "lo quản lý manage manages managed handles handle who whose which what is are does do"
        " about regarding "
        "the indicator indicators on ve chuyen viec cai nay giao được giao nhận thực hiện triển"
        " khai đảm nhiệm đảm nhận "
        "chịu lo vai trò role roles gồm bao gồm nhóm mục số thứ tên name named called list danh"
        " sách tất cả all "
        "biết muốn hỏi xem cần check kiểm ơi sao thế nào như nhu the nao vậy ok okay hôm nay sử"
        " dụng dùng tỉnh province provincial lạng sơn lang son phân công liên quan đến điểm "
        # the roles asked about, in English (their Vietnamese forms are stop words of the question
        # already)
        "lead leads led leading coordinate coordinates coordinating coordinator in charge of"
        " responsible for involved agency "
        "agencies department departments"
    ).split()
)


def _build() -> tuple[dict[tuple[str, ...], str], int]:
    table: dict[tuple[str, ...], str] = {}
    for tag, phrases in GROUPS.items():
        for p in phrases:
            toks = tuple(normalize(p).split())
            if toks:
                table[toks] = "#" + tag
    return table, max(len(k) for k in table)


_TABLE, _MAXLEN = _build()
TABLE, MAXLEN = _TABLE, _MAXLEN  # phrase → tag, and the longest phrase (in tokens)


def tag(tokens: list[str], keep_words: bool = False) -> list[str]:
    """Tokens with every group phrase (longest first) replaced by its tag (or followed by it)."""
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        for length in range(min(_MAXLEN, n - i), 0, -1):
            hit = _TABLE.get(tuple(tokens[i : i + length]))
            if hit:
                if keep_words:
                    out.extend(tokens[i : i + length])
                out.append(hit)
                i += length
                break
        else:
            out.append(tokens[i])
            i += 1
    return out
