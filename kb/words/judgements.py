"""How the firm survey judges a subject, and the words officials use for each judgement: easy or
hard, fair, quick, common, affected, every day.

Like the subjects' groups (kb/words/subjects.py), one group per judgement; kb/words/synonyms.py
tags any phrase of a group with the group's tag, in questions and in indicator texts alike, so "khó
tìm" meets "dễ tiếp cận" and "bị ảnh hưởng" meets "gặp khó khăn".
"""

from __future__ import annotations

JUDGEMENTS: dict[str, tuple[str, ...]] = {
    "bother": (
        "phiền hà",
        "rườm rà",
        "phức tạp",
        "nhiêu khê",
        "phiền phức",
        "mất thời gian",
        "đi lại nhiều lần",
        "mất công",
        "tốn thời gian",
        "mất nhiều thời gian",
        "lằng nhằng",
        "nhiều cửa",
        "qua nhiều cửa",
        "hành dân",
        "hành doanh nghiệp",
        "time consuming",
        "burdensome",
        "cumbersome",
        "troublesome",
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
        "xem được",  # "không xem được dự báo": could not get at it
        "access",
        "find",
    ),
    "fair": (
        "công bằng",
        "công tâm",
        "khách quan",
        "vô tư",
        "minh bạch",
        "thiên vị",
        "phân biệt đối xử",
        "người này nặng người kia nhẹ",
        "chỗ nặng chỗ nhẹ",
        "bên nặng bên nhẹ",
        "fair",
        "fairly",
        "fairness",
        "impartial",
        "unbiased",
        "biased",
    ),
    "help": (
        "hỗ trợ",
        "giúp đỡ",
        "miễn phí",
        "không mất phí",
        "help",
        "helping",
        "helps",
        "assistance",
        "free of charge",
    ),
    # works sound enough or not ("yếu" alone folds as "yêu" of "yêu cầu")
    "sound": (
        "đủ tốt",
        "không đủ tốt",
        "yếu kém",
        "yếu lắm",
        "rất yếu",
        "còn yếu",
        "quá yếu",
        "xuống cấp",
        "hư hỏng",
        "kém chất lượng",
        "good enough",
    ),
    "daily": ("hàng ngày", "hằng ngày", "mỗi ngày", "daily", "every day"),
    "common": ("phổ biến", "common", "widespread", "prevalent"),
    "quick": ("nhanh chóng", "kịp thời", "nhanh", "quickly", "fast", "promptly", "timely"),
    "affected": (
        "ảnh hưởng",
        "gặp khó khăn",
        "khó khăn",
        # a business hurt, said plainly: "công ty lỗ mấy quý liền", "đứt nguồn hàng"
        "thua lỗ",
        "lỗ vốn",
        "làm ăn thua lỗ",
        "đình trệ",
        "gián đoạn sản xuất",
        "đứt nguồn hàng",
        "đứt chuỗi cung ứng",
        "affected",
        "affect",
        "impact",
        "impacted",
        "hurt",
        "difficulties",
        "difficulty",
    ),
}
