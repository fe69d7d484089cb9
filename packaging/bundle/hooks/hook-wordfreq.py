"""wordfreq's English word lists only: the other 40-odd languages would add about 55 MB unused."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("wordfreq", includes=["data/*_en.msgpack.gz"])
