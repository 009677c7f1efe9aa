"""Asking the engine in-process, as `ask --json` would answer: shared by the engine tests."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from bot.app.i18n import Translations
from bot.core.render import render, to_json
from kb.ask.engine import Engine
from kb.index import KbIndex
from kb.loader import load, read_sources

# Canonical agency names, as the knowledge base writes them
XD, CT, TC, NNMT = "Sở Xây dựng", "Sở Công Thương", "Sở Tài chính", "Sở Nông nghiệp và Môi trường"
CAT, TTT = "Công an tỉnh", "Thanh tra tỉnh"
BQL = "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn"
XTDT = "Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch tỉnh"
KTTV = "Đài Khí tượng Thủy văn tỉnh"
BAO = "Báo và Phát thanh, Truyền hình Lạng Sơn"
VHTTDL = "Sở Văn hóa, Thể thao và Du lịch"
BCHQS = "Bộ Chỉ huy Quân sự tỉnh"
HHDN = "Hiệp hội doanh nghiệp tỉnh"
CTN = "Công ty cổ phần cấp thoát nước Lạng Sơn"


@lru_cache(maxsize=1)
def _engine():
    kb = load(read_sources())
    return Engine(KbIndex(kb)), dict(kb.agencies), Translations()


def ask(q, as_agency=None, now=None, lang="vi"):
    """The JSON answer to a question; today is 22/11/2026 unless ``now`` (YYYY-MM-DD) says
    otherwise."""
    engine, agencies, tr = _engine()
    ans = engine.answer(
        q, as_agency=as_agency, today=date.fromisoformat(now) if now else date(2026, 11, 22)
    )
    text = render(ans, tr.get(lang), agencies)
    return to_json(ans, text, agencies)
