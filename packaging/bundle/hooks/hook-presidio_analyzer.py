"""Presidio's analyzer: its YAML configuration files, and recognizer classes it instantiates by name."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata

datas = collect_data_files("presidio_analyzer") + copy_metadata("presidio_analyzer")
hiddenimports = collect_submodules("presidio_analyzer")
