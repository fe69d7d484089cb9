"""spaCy, without its test suite and the 70-odd languages Discreet does not load.

Replaces the contrib hook (which collects every submodule): the English model needs `spacy.lang.en`
and the language-independent modules beside it; everything else only grows the bundle.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

LANG_SHARED = {"en", "char_classes", "lex_attrs", "norm_exceptions", "punctuation", "tokenizer_exceptions"}


def _wanted(name: str) -> bool:
    parts = name.split(".")
    if len(parts) > 1 and parts[1] == "tests":
        return False
    return not (len(parts) > 2 and parts[1] == "lang" and parts[2] not in LANG_SHARED)


datas = collect_data_files("spacy", excludes=["tests/**", "lang/*/**"]) + collect_data_files(
    "spacy", includes=["lang/en/**"]
)
hiddenimports = collect_submodules("spacy", filter=_wanted)
