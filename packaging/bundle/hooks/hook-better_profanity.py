"""better-profanity's data: the tone recognizer reads its word list, and importing the package (which
`importlib.resources.files` does) reads its alphabetic_unicode.json, so both files must be there."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("better_profanity", includes=["*.txt", "*.json"])
