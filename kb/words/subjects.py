"""The documents' subjects and the words officials use for each: one group per subject.

Each group holds the documents' words (indicator names, scope notes, tasks) and the paraphrases,
abbreviations and English words officials use for them; kb/words/synonyms.py replaces any phrase of
a group by the group's tag, in questions and in indicator texts alike, so "rác thải" meets "chất
thải rắn" and "clean water" meets "nước sạch". Phrases are written as officials write them and
normalised like questions.
"""

from __future__ import annotations


def _split(words: str) -> tuple[str, ...]:
    """A group written on a few lines: its phrases separated by "|"."""
    return tuple(w.strip() for w in words.split("|") if w.strip())


SUBJECTS: dict[str, tuple[str, ...]] = {
    "waste": _split(
        "rác | rác thải | chất thải | chất thải rắn | chất thải rắn sinh hoạt | waste |"
        " garbage | trash | rubbish | solid waste"
    ),
    "collect": ("thu gom", "gom rác", "collection", "collect", "collecting", "pick up"),
    "water": _split(
        "nước sạch | cấp nước | cung cấp nước | nước sinh hoạt | nước máy | clean water | water"
        " supply | drinking water | tap water | water"
    ),
    "public_transport": _split(
        "phương tiện giao thông công cộng | giao thông công cộng | xe buýt | xe bus | xe khách"
        " công cộng | public transport | public transit | bus | buses"
    ),
    "vehicle": _split(
        "phương tiện giao thông | xe cộ | xe máy | ô tô | xe ô tô | vehicle | vehicles | cars"
    ),
    "wastewater": ("nước thải", "wastewater", "waste water", "sewage"),
    "rural": ("nông thôn", "vùng nông thôn", "countryside", "rural", "village", "villages"),
    "urban": ("đô thị", "thành thị", "urban", "city", "town"),
    "procedure": _split(
        "thủ tục hành chính | tthc | thủ tục | giấy tờ | hồ sơ | hồ sơ môi trường | xin giấy"
        " phép | giấy phép môi trường | administrative procedures | administrative procedure |"
        " paperwork | red tape | procedures"
    ),
    "inspect": _split(
        "thanh tra | kiểm tra | thanh kiểm tra | thanh, kiểm tra | đoàn thanh | đoàn kiểm tra |"
        " đoàn thanh tra | đoàn thanh kiểm tra | đoàn thanh, kiểm tra | inspection | inspections"
        " | inspect | inspector | inspectors | audit | audits"
    ),
    "industrial": _split(
        "khu công nghiệp | cụm công nghiệp | khu cụm công nghiệp | khu/cụm công nghiệp | kcn |"
        " ccn | industrial park | industrial parks | industrial zone | industrial zones |"
        " industrial cluster | industrial clusters | industrial"
    ),
    # the people the survey and the plans speak of; "người dân, doanh nghiệp" is one audience
    "business": (
        "doanh nghiệp",
        "người dân",
        "nhân dân",
        "dn",
        "công ty",
        "cơ sở sản xuất",
        # the firm's own premises, where its story happens ("xưởng" alone folds as "xuống")
        "nhà xưởng",
        "xưởng sản xuất",
        "khu sản xuất",
        "cơ sở kinh doanh",
        "hộ kinh doanh",
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
        "hạn hán",
        "sạt taluy",
        "taluy",
        "mưa to",
        "mưa lớn",
        "mưa đá",
        "lốc xoáy",
        "giông lốc",
        "lũ",  # alone: "lũ về mà không ai báo trước"
        "lụt",
        "disaster",
        "disasters",
        "natural disaster",
        "natural disasters",
        "storm",
        "storms",
        "flood",
        "floods",
        "landslide",
        "landslides",
        "flash flood",
        "flash floods",
    ),
    "map": ("bản đồ", "map", "maps"),
    "publish": ("công bố", "công bố công khai", "publish", "publishes", "make public"),
    "renewable": ("năng lượng tái tạo", "renewable energy", "renewables", "renewable"),
    "power_output": _split(
        "sản lượng điện | điện sản xuất | amount of electricity | electricity produced | power"
        " generation"
    ),
    "climate": ("biến đổi khí hậu", "bđkh", "climate change", "climate"),
    "weather": _split(
        "thời tiết | khí tượng | thủy văn | khí tượng thủy văn | dự báo | weather | forecast |"
        " forecasts | meteorological | hydro meteorological"
    ),
    # not "khói" alone: folded, it is "khối" ("khối lượng")
    "pollution": _split(
        "ô nhiễm | gây ô nhiễm | khói bụi | bụi | mùi hôi | tiếng ồn | dust | smoke |"
        " noise | pollution | polluting | pollute | polluted | polluters | polluter"
    ),
    "penalty": _split(
        "xử phạt | phạt | bị phạt | xử lý vi phạm | penalty | penalties | penalise | penalize |"
        " penalised | penalized | fine | fined | fines | sanction | sanctions | punish | punished"
    ),
    "green_invest": _split(
        "đầu tư xanh | green investment | green investments | invest green |"
        # money spent on going green, said plainly
        " bỏ tiền làm xanh | bỏ vốn làm xanh | chi tiền làm xanh | bỏ tiền đầu tư xanh |"
        " tiết kiệm năng lượng | cải tiến xanh |"
        " green invest | dự án xanh | dự án đầu tư xanh | green project |"
        " green projects | công nghệ sạch | công nghệ xanh | clean technology |"
        " green technology"
    ),
    "buy": _split(
        "mua sắm | chọn mua | chọn hàng | mua hàng | mua hàng hóa | purchase | purchasing |"
        " procurement | buy | buying"
    ),
    "price": _split(
        "giá cao hơn | trả giá cao hơn | trả giá | trả thêm | pay more | higher price | premium"
    ),
    "informal": _split(
        "chi phí không chính thức | không chính thức | bôi trơn | phong bì | tiêu cực | hối lộ |"
        " informal | informal payment | informal payments | informal costs | bribe | bribes |"
        " bribery | lót tay"
    ),
    # the works that keep floods and landslides off ("kè chắn", "mương thoát lũ"); "đê", "kè" and
    # "cống" alone fold as "để", "kế", "công"
    "infrastructure": _split(
        "hạ tầng | cơ sở hạ tầng | infrastructure | bờ kè | kè chắn | kè chắn đất | đê điều |"
        " mương thoát lũ | mương thoát nước | cống rãnh | cống thoát nước | thoát lũ |"
        " hệ thống thoát nước | công trình phòng chống thiên tai | công trình thủy lợi |"
        " drainage | embankment | embankments | dykes | levee | levees"
    ),
    "basic": _split(
        "cơ bản | thiết yếu | basic | essential | utilities | utility | điện nước | điện, nước |"
        " mất điện | mất nước | viễn thông | sóng điện thoại | mất sóng | mạng điện thoại |"
        " internet | electricity | power cut | telecom"
    ),
    "transport": _split(
        "giao thông | đường sá | cầu đường | road | roads | transport | traffic | quốc lộ |"
        " tỉnh lộ | đường giao thông | tuyến đường | đường vào | thông xe | thông tuyến |"
        # ("không thông", "chưa thông" fold into "không thông báo")
        " ách tắc giao thông | tắc đường | highway | không qua được | thông đường"
    ),
    "warning": _split(
        "cảnh báo | báo trước | warning | warnings | warn | warns | warned | alert | alerts |"
        " early warning | thông báo trước | thông báo sớm | báo sớm"
    ),
    "recovery": _split(
        "khắc phục | thiệt hại | khôi phục | hỗ trợ khắc phục | recovery | recover | damage |"
        " relief | repair | restore | restored"
    ),
    # what a firm gets from a policy or a service ("hưởng lợi từ dịch vụ tư vấn")
    "benefit": _split(
        "hưởng lợi | được lợi | lợi ích | có lợi | benefit | benefits | benefiting | benefited"
    ),
    "consulting": ("tư vấn", "consulting", "consultancy", "advisory", "advice", "consultation"),
    "training": ("đào tạo", "tập huấn", "training", "train"),
    "incentive": _split(
        "ưu đãi | ưu đãi chính sách | miễn thuế | giảm thuế | miễn giảm thuế | hỗ trợ lãi suất |"
        " lãi suất ưu đãi | vay ưu đãi | giảm lãi suất | incentive | incentives | preferential"
    ),
    "law": _split(
        "quy định pháp luật | pháp luật | qđpl | văn bản pháp luật | law | laws | legal |"
        " regulation | regulations | legislation"
    ),
    # knowing nothing of it, said plainly: "sếp không biết gì về đầu tư xanh" ("không biết" alone
    # is how a question begins: "không biết ai chủ trì")
    "awareness": _split(
        "nhận thức | hiểu biết | không biết gì về | chẳng biết gì về | chưa biết gì về |"
        " không hiểu gì về | chưa hiểu | không hiểu về | mù tịt | awareness | aware | knowledge |"
        " know nothing about | chả biết | chẳng biết | chả hiểu | chẳng hiểu | biết là gì |"
        " hiểu là gì"
    ),
    "capacity": _split(
        "năng lực | nguồn lực | nhân lực | nhân sự | chuyên môn | người có chuyên môn | vốn |"
        " nguồn vốn | kinh phí | năng lực tài chính | capacity | capability | resources | staff |"
        " funding | expertise | skills"
    ),
    "incident": ("sự cố môi trường", "sự cố", "incident", "incidents", "accident", "spill"),
    # inspections each body runs its own way: "mỗi ngành một kiểu, không phối hợp với nhau"
    "interagency": _split(
        "liên ngành | phối hợp liên ngành | phối hợp với nhau | chồng chéo | riêng rẽ |"
        " mỗi ngành | overlapping | interagency | inter agency | joint | cross sector"
    ),
    "cost": _split(
        "chi phí | tiền | khoản tiền | cost | costs | expense | expenses | fee | fees | charges"
        " | money"
    ),
    # English words of the indicators' names ("local authorities" = "chính quyền địa phương")
    "authority": _split(
        "chính quyền | chính quyền địa phương | local authorities | local authority |"
        " authorities | local government | government"
    ),
    # the state's bodies and officers ("CQNN hướng dẫn", "cán bộ nhà nước giải thích")
    "state": ("cơ quan nhà nước", "cán bộ nhà nước", "nhà nước", "state agencies", "state bodies"),
    "environment_quality": (
        "chất lượng môi trường",
        "environmental quality",
        "environment quality",
    ),
    "treat": ("xử lý", "treatment", "treat", "treated", "processing", "handling"),
    "guidance": _split(
        "hướng dẫn | giải thích | giải đáp | guidance | guide | guided | instruct | explain |"
        " explains"
    ),
    "bvmt": ("bảo vệ môi trường", "bvmt", "environmental protection", "protect the environment"),
    # how an authority acts: "có giải pháp", "biện pháp chặn từ trước"
    "solution": _split("giải pháp | biện pháp | phương án | solution | solutions | measures"),
    "prevent": _split(
        "phòng ngừa | ngăn ngừa | phòng tránh | prevent | prevention | preventing | ngăn chặn |"
        " chặn từ trước | phòng từ trước | chủ động phòng"
    ),
    "service": ("dịch vụ", "service", "services"),
    "operating": ("vận hành", "operating", "operation", "operations"),
    "greening": ("xanh hóa", "xanh hoá", "greening", "go green"),
}
