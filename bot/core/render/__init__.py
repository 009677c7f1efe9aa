"""The answer renderer: turns the engine's structured answers into short replies in the user's
language (``render``), the ``ask --json`` contract (``to_json``) and the clarifying choices
(``choices_of``)."""

from bot.core.render.as_json import choices_of, to_json
from bot.core.render.formatting import doc_label, short
from bot.core.render.reply import render

__all__ = ["choices_of", "doc_label", "render", "short", "to_json"]
