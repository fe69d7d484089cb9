"""Presidio's anonymizer: operators are looked up by name at run time."""

from PyInstaller.utils.hooks import collect_submodules, copy_metadata

datas = copy_metadata("presidio_anonymizer")
hiddenimports = collect_submodules("presidio_anonymizer")
