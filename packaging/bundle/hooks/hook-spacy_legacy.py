"""spacy-legacy registers `spacy.Tok2Vec.v1` and friends through entry points (else spaCy fails with E893)."""

from PyInstaller.utils.hooks import collect_submodules, copy_metadata

datas = copy_metadata("spacy-legacy")
hiddenimports = collect_submodules("spacy_legacy")
