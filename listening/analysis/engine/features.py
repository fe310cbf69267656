"""The features the learned models see. Training and inference both call ``extract``.

Word unigrams and bigrams plus character 3- to 5-grams over the normalised words. Binary
presence, scaled by 1 / sqrt(number of distinct features), so that the scale does not depend on
which features the shipped vocabulary kept.
"""

from __future__ import annotations

import math

CHAR_NGRAMS = (3, 4, 5)
MAX_WORDS = 200  # past this, features come from the first 200 words only


def extract(words: list[str]) -> list[str]:
    words = words[:MAX_WORDS]
    feats = ["w:" + w for w in words]
    feats += ["b:" + a + " " + b for a, b in zip(words, words[1:], strict=False)]
    s = " " + " ".join(words) + " "
    n = len(s)
    for k in CHAR_NGRAMS:
        feats += [s[i : i + k] for i in range(n - k + 1)]
    return feats


def inverse_norm(unique_count: int) -> float:
    return 1.0 / math.sqrt(unique_count) if unique_count else 0.0
