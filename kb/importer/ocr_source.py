"""Scanned pages (.png, .jpg, or a PDF without a text layer) read by Tesseract in Vietnamese.

Each page is read as text with its layout (Tesseract's automatic page segmentation); the pages
in the order given form one document, then read like plain text with approximate names allowed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb.importer.registry import Registry
from kb.importer.rows import Source
from kb.importer.text_source import read_text, with_gaps

LANG = "vie"


def tesseract_ready() -> str | None:
    """None when Tesseract with its Vietnamese model is installed, else what to do."""
    if not shutil.which("tesseract"):
        return (
            "Tesseract is not installed: run scripts/ensure_tesseract.sh (Debian's tesseract-ocr)"
        )
    import pytesseract

    try:
        langs = pytesseract.get_languages(config="")
    except pytesseract.TesseractError as exc:
        return f"Tesseract does not start ({exc})"
    if LANG not in langs:
        return "Tesseract has no Vietnamese model: install Debian's tesseract-ocr-vie"
    return None


def ocr_page(image: Any) -> str:
    """The page's text, lines in reading order, a blank line where the page leaves a gap (the
    boundary between two cells or paragraphs, which Tesseract's plain text does not keep)."""
    import pytesseract

    data = pytesseract.image_to_data(
        image, lang=LANG, config="--psm 4", output_type=pytesseract.Output.DICT
    )
    lines: dict[tuple[int, int, int], list[tuple[int, int, int, str]]] = {}
    for k, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][k]) >= 0:
            key = (data["block_num"][k], data["par_num"][k], data["line_num"][k])
            lines.setdefault(key, []).append(
                (data["top"][k], data["height"][k], data["left"][k], word)
            )
    rows: list[tuple[float, float, str]] = sorted(
        (
            min(w[0] for w in ws),
            max(w[0] + w[1] for w in ws),
            " ".join(w[3] for w in sorted(ws, key=lambda w: w[2])),
        )
        for ws in lines.values()
    )
    return with_gaps(rows)


def read_images(
    paths: list[Path], reg: Registry, progress: Callable[[str, float], None] = lambda _s, _d: None
) -> Source:
    from PIL import Image, UnidentifiedImageError

    from kb.importer.rows import ImportError_

    problem = tesseract_ready()
    if problem:
        raise ImportError_(problem)
    pages = []
    for k, path in enumerate(paths):
        progress(f"OCR {k + 1}/{len(paths)}", k / max(1, len(paths)) * 0.9)
        try:
            with Image.open(path) as img:
                pages.append(ocr_page(img.convert("L")))
        except (UnidentifiedImageError, OSError) as exc:
            raise ImportError_(f"{path.name} is not an image that can be read ({exc})") from exc
    return read_text("\n\n".join(pages), reg, ocr=True)


def read_images_of(
    images: list[Any], reg: Registry, progress: Callable[[str, float], None] = lambda _s, _d: None
) -> Source:
    """Pages already rendered (a scanned PDF): OCR each one, in order."""
    problem = tesseract_ready()
    if problem:
        from kb.importer.rows import ImportError_

        raise ImportError_(problem)
    pages = []
    for k, img in enumerate(images):
        progress(f"OCR {k + 1}/{len(images)}", k / max(1, len(images)) * 0.9)
        pages.append(ocr_page(img.convert("L")))
    return read_text("\n\n".join(pages), reg, ocr=True)
