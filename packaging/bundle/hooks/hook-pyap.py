"""pyap loads each country's address patterns by name at parse time, which PyInstaller cannot follow."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("pyap")
