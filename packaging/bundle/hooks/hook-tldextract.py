"""tldextract's bundled public-suffix snapshot (`.tld_set_snapshot`), so nothing is ever fetched."""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

datas = collect_data_files("tldextract", include_py_files=False) + copy_metadata("tldextract")
