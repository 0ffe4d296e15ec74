"""The one Chinese tokenizer: jieba, loaded once per process (about a second, on first use),
quiet, and taught the union's own vocabulary. Pure Python plus jieba (no Django), so pure
core.similarity (proposals and suggestions) may use it.

    tokenizer().cut_for_search(text)   the search index (zhijia.core.search)
    tokenizer().lcut(text)             text similarity (zhijia.core.similarity)
    keywords(text, top=6)              TF-IDF key words (cases' knowledge suggestions)
"""

from __future__ import annotations

import logging
import threading
from typing import Any

# Union vocabulary that jieba's general dictionary lacks or splits badly.
DOMAIN_WORDS = (
    "职代会",
    "厂务公开",
    "车间务公开",
    "班务公开",
    "困难职工",
    "劳动争议",
    "集体协商",
    "集体合同",
    "合理化建议",
    "送温暖",
    "金秋助学",
    "大病互助",
    "劳务派遣",
    "工会小组",
    "分工会",
    "女职工",
    "安康杯",
    "劳模",
    "隐患随手拍",
    "倒班",
)

_lock = threading.Lock()
_tokenizer: Any = None
_extractor: Any = None


def tokenizer():
    """The shared jieba.Tokenizer (thread-safe to load; jieba's cutting is read-only)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                loaded = jieba.Tokenizer()
                loaded.initialize()
                for word in DOMAIN_WORDS:
                    loaded.add_word(word)
                _tokenizer = loaded
    return _tokenizer


def keywords(text: str, *, top: int = 6) -> list[str]:
    """The `top` key words of `text` by TF-IDF (jieba's IDF table), cut by the shared
    tokenizer, most telling first."""
    global _extractor
    if _extractor is None:
        cutter = tokenizer()
        with _lock:
            if _extractor is None:
                from jieba.analyse.tfidf import TFIDF

                extractor = TFIDF()
                extractor.tokenizer = cutter
                _extractor = extractor
    return list(_extractor.extract_tags(text or "", topK=top))
