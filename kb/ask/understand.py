"""Words that classify a question before any lookup: documents, comparisons, what is not held."""

from __future__ import annotations

from kb.ask.intents import _phrases

__all__ = ["_phrases"]

DOC_CURRENT = _phrases(
    "hiện hành",
    "đang áp dụng",
    "còn hiệu lực",
    "đang thực hiện",
    "mới nhất",
    "current plan",
    "which plan",
    "kế hoạch nào",
    "văn bản nào",
    "in force",
    "latest plan",
)
DOC_ISSUED = _phrases(
    "ban hành",
    "ngày ban hành",
    "issued",
    "issue date",
    "ký ngày",
    "ngày ký",
    "số hiệu",
    "cơ quan ban hành",
    "ai ban hành",
    "who issued",
    "cơ quan nào ban hành",
    "which agency issued",
)
# what an abbreviation stands for ("PGI là viết tắt của gì", "CSTP nghĩa là gì")
DOC_ABBREVIATION = _phrases(
    "viết tắt",
    "nghĩa là",
    "nghĩa là gì",
    "có nghĩa",
    "stand for",
    "stands for",
    "mean",
    "means",
    "meaning",
)
WHAT_IS = _phrases("là gì", "là chi", "what is", "what's")
# the years a named document is about ("kế hoạch 86 nói về những năm nào")
DOC_YEARS = _phrases(
    "áp dụng cho năm nào",
    "áp dụng cho những năm nào",
    "áp dụng năm nào",
    "những năm nào",
    "các năm nào",
    "năm nào",
    "mấy năm",
    "giai đoạn nào",
    "which years",
    "what years",
    "which year",
)
# how many communes and wards the province has now
UNITS_COUNT = _phrases(
    "bao nhiêu xã",
    "mấy xã",
    "bao nhiêu xã phường",
    "bao nhiêu đơn vị hành chính",
    "mấy đơn vị hành chính",
    "bao nhiêu phường",
    "mấy phường",
    "how many communes",
    "how many wards",
)
# whose a named document is ("kế hoạch 86 của cơ quan nào"): its issuer
DOC_OWNER = _phrases("của cơ quan nào", "của ai", "của đơn vị nào", "của sở nào", "whose")
DOC_SIGNED = _phrases(
    "ai ký",
    "người ký",
    "ký kế hoạch",
    "ký văn bản",
    "ký duyệt",
    "signed",
    "signer",
    "who signed",
    "nào ký",
    "ai đã ký",
    "do ai ký",
    "ký ban hành",
    "người đã ký",
)
DOC_COUNT = _phrases(
    "bao nhiêu chỉ số",
    "mấy chỉ số",
    "có bao nhiêu chỉ tiêu",
    "mấy chỉ tiêu",
    "bao nhiêu chỉ tiêu",
    "how many indicators",
    "how many components",
    "số lượng chỉ số",
    "tổng số chỉ số",
    "bao nhiêu chỉ số thành phần",
    "mấy chỉ số thành phần",
    "gồm những chỉ số thành phần",
    "các chỉ số thành phần",
    "những chỉ số thành phần nào",
    "chỉ số thành phần gồm",
    "tên các chỉ số thành phần",
    "what are the components",
    "list the components",
    "4 chỉ số thành phần",
    "bốn chỉ số thành phần",
    "which components",
)
DOC_EVALUATOR = _phrases(
    "ai đánh giá",
    "ai chấm",
    "đơn vị nào đánh giá",
    "cơ quan nào đánh giá",
    "who evaluates",
    "who assesses",
    "who scores",
    "who ranks",
    "pgi là gì",
    "what is pgi",
    "what is the pgi",
    "chỉ số xanh là gì",
    "do ai đánh giá",
    "do ai công bố",
    "ai công bố",
    "ai xếp hạng",
)
DOC_CHANGE = _phrases(
    "thay đổi",
    "khác gì",
    # not "khác nhau" alone: "mấy đoàn khác nhau" are different teams, no change asked
    "khác nhau thế nào",
    "khác nhau ra sao",
    "khác nhau gì",
    "so với năm trước",
    "so với năm 2022",
    "tăng giảm",
    "giảm điểm",
    "tăng điểm",
    "what changed",
    "changed",
    "compared with 2022",
    "compared to 2022",
)
DOC_FOCAL = _phrases(
    "cơ quan đầu mối",
    "đầu mối",
    "đầu mối theo dõi",
    "theo dõi",
    "focal",
    "focal department",
    "focal point",
)
SUPERLATIVE = _phrases(
    "nhất",
    "so sánh",
    "weakest",
    "strongest",
    "lowest",
    "highest",
    "best",
    "worst",
    "largest",
    "biggest",
    "most",
    "least",
    "farthest",
    "furthest",
    "compare",
    "comparison",
)
WEAK_WORDS = _phrases("yếu", "kém", "thấp", "tệ", "weakest", "lowest", "worst", "least", "ít")
GAP_WORDS = _phrases(
    "trung vị",
    "median",
    "cả nước",
    "national",
    "xa",
    "farthest",
    "furthest",
    "cách xa",
    "chênh",
    "chênh lệch",
    "khoảng cách",
    "gap",
)
INCREASE_WORDS = _phrases(
    "tăng", "increase", "cải thiện", "improve", "improvement", "nâng", "planned", "phấn đấu"
)
RANK_WORDS = _phrases(
    "xếp hạng",
    "thứ hạng",
    "hạng",
    "rank",
    "ranking",
    "ranked",
    "bao nhiêu bậc",
    "mấy bậc",
    "places",
)
INDICATOR_SCOPE = _phrases("chỉ số nào", "chỉ tiêu nào", "indicator", "indicators", "tiêu chí nào")
# an agency's part ("trách nhiệm của đơn vị … là gì"): its tasks or roles, not what PGI is
DUTY_WORDS = _phrases("trách nhiệm", "responsibility", "responsibilities")
WHICH_INDICATOR = _phrases(
    "chỉ số nào", "chỉ tiêu nào", "tiêu chí nào", "which indicator", "which indicators"
)
COMPONENT_SCOPE = _phrases("chỉ số thành phần", "component", "components", "thành phần")
PERSON = _phrases(
    # whom to call or tell about an incident: a contact, which the plans do not hold
    "báo cho ai",
    "báo ai",
    "gọi cho ai",
    "gọi ai",
    "gọi số nào",
    "who do i call",
    # how many people a body employs: no document counts staff
    "bao nhiêu người",
    "bao nhiêu cán bộ",
    "biên chế",
    "how many staff",
    "số điện thoại",
    "điện thoại",
    "sđt",
    "sdt",
    "phone",
    "hotline",
    "email",
    "e mail",
    "địa chỉ",
    "address",
    "giám đốc",
    "phó giám đốc",
    "trưởng phòng",
    "chủ tịch",
    "lãnh đạo",
    "cán bộ nào",
    "chuyên viên nào",
    "đồng chí nào",
    "ai là",
    "tên ai",
    "họ tên",
    "who is the director",
    "director",
    "contact",
    "liên hệ",
    "zalo",
    "fax",
)
PAST_WORDS = _phrases(
    "đã qua", "hạn cũ", "cũ", "quá hạn", "trước đây", "past", "old", "expired", "đã hết hạn"
)
OTHER_RANKS = _phrases(
    "tỉnh nào",
    "tỉnh khác",
    "các tỉnh",
    "tỉnh bạn",
    "đứng đầu cả nước",
    "đứng đầu",
    "which province",
    "other provinces",
    "top province",
    "nhất cả nước",
    "dẫn đầu",
)
# the assignment table ("trách nhiệm gì trong bảng phân công"): plan 18's indicators and roles
ASSIGNMENT_TABLE = _phrases(
    "bảng phân công", "phụ lục phân công", "assignment table", "assignment appendix"
)
# which component has the most (or fewest) indicators: a count, not a score
MOST_INDICATORS = _phrases(
    "nhiều chỉ số nhất",
    "ít chỉ số nhất",
    "nhiều chỉ số hơn",
    "ít chỉ số hơn",
    "most indicators",
    "fewest indicators",
    "more indicators",
)
# how many agencies an indicator has ("chỉ số nào có nhiều cơ quan chủ trì nhất", "có 3 đơn vị
# phối hợp"): a count over the plan's assignments, not a score
AGENCY_NOUNS = _phrases("cơ quan", "đơn vị", "sở ngành", "agencies", "bodies", "departments")
MANY_WORDS = _phrases("nhiều", "most", "several", "more than one", "hơn một", "trở lên")
FEW_WORDS = _phrases("ít", "fewest", "least")
# a year asked for ("năm nào đạt cao nhất"): the documents hold one year's results
WHICH_YEAR = _phrases("năm nào", "những năm nào", "which year", "what year", "in which year")
# a province asked for ("tỉnh nào đứng cuối", "which province"): the documents are Lạng Sơn's alone
WHICH_PROVINCE = _phrases(
    "tỉnh nào",
    "tỉnh thành nào",
    "tỉnh, thành nào",
    "tỉnh, thành phố nào",
    "tỉnh khác",
    "các tỉnh khác",
    "tỉnh bạn",
    "which province",
    "which provinces",
    "other provinces",
)
RESULT_WORDS = _phrases(
    "kết quả",
    "đạt",
    "được bao nhiêu",
    "xếp thứ",
    "xếp hạng",
    "result",
    "results",
    "achieved",
    "actual",
    "scored",
    "thực tế",
)
# a note on a data item asked about ("có lưu ý gì về phạm vi tính"): the item, with its note
NOTE_WORDS = _phrases("lưu ý", "ghi chú", "chú ý", "phạm vi tính", "note", "notes")
TARGET_WORDS = _phrases(
    "mục tiêu", "phấn đấu", "target", "targets", "chỉ tiêu phấn đấu", "kế hoạch đặt ra", "goal"
)
LANG_SON = ("lang", "son")
# Vietnamese provinces and cities other than Lạng Sơn (names only; the documents hold no figure for
# any of them). A bare name followed by "xã"/"phường" context is a commune instead.
PROVINCES = tuple(
    tuple(p.split())
    for p in (
        "ha noi | ho chi minh | hai phong | da nang | can tho | bac giang | bac ninh | cao bang |"
        " quang ninh | thai nguyen | ha giang | tuyen quang | lao cai | yen bai | lai chau | dien"
        " bien | son la | hoa binh | phu tho | vinh phuc | bac kan | hai duong | hung yen | thai"
        " binh | nam dinh | ha nam | ninh binh | thanh hoa | nghe an | ha tinh | quang binh |"
        " quang tri | thua thien hue | hue | quang nam | quang ngai | binh dinh | phu yen | khanh"
        " hoa | ninh thuan | binh thuan | kon tum | gia lai | dak lak | dak nong | lam dong | binh"
        " phuoc | tay ninh | binh duong | dong nai | ba ria vung tau | long an | tien giang | ben"
        " tre | tra vinh | vinh long | dong thap | an giang | kien giang | hau giang | soc trang |"
        " bac lieu | ca mau | tp hcm | sai gon"
    ).split(" | ")
)
LIST_CUE = _phrases(
    "chỉ số nào",
    "chỉ số gì",
    "những chỉ số",
    "các chỉ số",
    "bao nhiêu chỉ số",
    "mấy chỉ số",
    "which indicators",
    "what indicators",
    "chỉ tiêu nào",
    "gì",
    "những gì",
    "nào",
)
WHO = _phrases(
    "ai", "who", "cơ quan nào", "đơn vị nào", "sở nào", "which agency", "which department"
)
