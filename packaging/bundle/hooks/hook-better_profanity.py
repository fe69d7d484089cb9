"""better-profanity's word list: the tone recognizer reads it as data and never imports the package."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("better_profanity", includes=["*.txt"])
