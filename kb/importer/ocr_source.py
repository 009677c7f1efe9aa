"""Scanned pages (.png, .jpg, or a PDF without a text layer) read by Tesseract in Vietnamese.

Each page is read as text with its layout (Tesseract's automatic page segmentation); the pages
in the order given form one document, then read like plain text with approximate names allowed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
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


def _one_thread() -> None:
    """Tesseract's own OpenMP threads fight each other on a page this size (7.7 s a page against
    0.8 s with one thread, measured on the CI machine): each page is read by one thread, and the
    pages side by side (:func:`_ocr_all`). An operator's own OMP_THREAD_LIMIT is kept."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _ocr_all(images: list[Any], progress: Callable[[str, float], None]) -> list[str]:
    """Every page's text, in the pages' order, read by as many Tesseracts as there are cores."""
    done = 0
    out: list[str] = [""] * len(images)
    workers = max(1, min(len(images), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(ocr_page, img): k for k, img in enumerate(images)}
        for future in as_completed(futures):
            out[futures[future]] = future.result()
            done += 1
            progress(f"OCR {done}/{len(images)}", done / max(1, len(images)) * 0.9)
    return out


def ocr_page(image: Any) -> str:
    """The page's text, lines in reading order, a blank line where the page leaves a gap (the
    boundary between two cells or paragraphs, which Tesseract's plain text does not keep)."""
    import pytesseract

    _one_thread()

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
    images = []
    for path in paths:
        try:
            with Image.open(path) as img:
                images.append(img.convert("L"))
        except (UnidentifiedImageError, OSError) as exc:
            raise ImportError_(f"{path.name} is not an image that can be read ({exc})") from exc
    return read_text("\n\n".join(_ocr_all(images, progress)), reg, ocr=True)


def read_images_of(
    images: list[Any], reg: Registry, progress: Callable[[str, float], None] = lambda _s, _d: None
) -> Source:
    """Pages already rendered (a scanned PDF): OCR each one, in order."""
    problem = tesseract_ready()
    if problem:
        from kb.importer.rows import ImportError_

        raise ImportError_(problem)
    return read_text(
        "\n\n".join(_ocr_all([img.convert("L") for img in images], progress)), reg, ocr=True
    )
