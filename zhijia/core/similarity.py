"""Likely duplicates by text similarity (pure Python plus jieba, no Django): one service for the
congress's proposals and the rationalisation suggestions (合理化建议).

The proposal committee merges (并案) proposals that ask for the same thing, and a worker about to
submit a suggestion should see the earlier ones like it. To help them, a page shows the five
records most similar to the one at hand, with a score:

    score = 0.6 × cosine(TF-IDF of jieba words) + 0.4 × Jaccard(character bigrams)

* Words catch the same request worded in a different order (食堂 饭菜 价格 / 饭菜价格 食堂);
  TF-IDF weighs them by how rare they are among the candidates, so words every proposal uses
  (建议, 职工, 公司) count little.
* Character bigrams catch what segmentation misses (a word jieba cuts differently in two texts,
  a typo in one character) and need no dictionary.
* The title is counted twice: it names the request.

Scores lie between 0 and 1; identical texts score 1. Use:

    rank(document(p.title, p.cause, p.measures), [(q.pk, document(q.title, ...)) ...], top=5)
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from zhijia.core.tokenizer import tokenizer

WORD_WEIGHT = 0.6
CHAR_WEIGHT = 0.4
TOP = 5
MIN_SCORE = 0.05

# Words that carry no request: proposal boilerplate and function words.
_STOP_TEXT = (
    "的 了 和 与 及 或 是 在 有 也 都 就 而 对 为 把 被 从 向 等 中 上 下 个 这 那 其 之 以 于 "
    "我们 你们 他们 我 你 他 她 它 建议 希望 要求 提出 关于 进一步 问题 公司 单位 职工 员工 "
    "一些 有关 相关 目前 现在 存在 情况 工作 方面 能够 可以 应该 需要 进行 加强 做好"
)
STOP_WORDS = frozenset(_STOP_TEXT.split(" "))
_KEEP = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
_CJK_OR_WORD = re.compile(r"[0-9a-z\u4e00-\u9fff]+")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def document(title: str, *parts: str) -> str:
    """The text compared for one proposal: its title twice, then its other parts."""
    return "\n".join([title or "", title or "", *(p or "" for p in parts)])


def words(text: str) -> list[str]:
    """jieba words of at least two characters (or one letter/digit run), stop words dropped."""
    out = []
    for token in tokenizer().lcut(normalise(text)):
        token = token.strip()
        if not token or not _KEEP.search(token) or token in STOP_WORDS:
            continue
        if len(token) < 2 and not token.isascii():
            continue
        out.append(token)
    return out


def bigrams(text: str) -> set[str]:
    """Character bigrams within runs of letters, digits and Chinese characters."""
    grams: set[str] = set()
    for run in _CJK_OR_WORD.findall(normalise(text)):
        if len(run) == 1:
            grams.add(run)
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _tfidf(counts: Counter, idf: dict[str, float]) -> dict[str, float]:
    return {w: (1 + math.log(n)) * idf[w] for w, n in counts.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


@dataclass(frozen=True)
class Match:
    key: Hashable
    score: float  # 0..1, the combined score
    words: float  # cosine of the TF-IDF word vectors
    chars: float  # Jaccard of the character bigrams

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def rank(
    query: str,
    candidates: Iterable[tuple[Hashable, str]],
    *,
    top: int = TOP,
    min_score: float = MIN_SCORE,
) -> list[Match]:
    """The `top` candidates most similar to `query`, best first (ties: in the given order).

    The IDF is computed over the query and the candidates, so the ranking adapts to what the
    proposals of one session have in common.
    """
    items = [(key, text) for key, text in candidates]
    docs = [Counter(words(query))] + [Counter(words(text)) for _, text in items]
    df: Counter = Counter()
    for counts in docs:
        df.update(counts.keys())
    n = len(docs)
    idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}
    q_vec = _tfidf(docs[0], idf)
    q_grams = bigrams(query)
    matches = []
    for (key, text), counts in zip(items, docs[1:], strict=True):
        w = cosine(q_vec, _tfidf(counts, idf))
        c = jaccard(q_grams, bigrams(text))
        score = WORD_WEIGHT * w + CHAR_WEIGHT * c
        if score >= min_score:
            matches.append(
                Match(key=key, score=round(score, 4), words=round(w, 4), chars=round(c, 4))
            )
    matches.sort(key=lambda m: -m.score)  # stable: equal scores keep the candidates' order
    return matches[:top]
