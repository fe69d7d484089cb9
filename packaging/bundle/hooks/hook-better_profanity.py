"""better-profanity's data: its word list (which the tone recognizer reads) and the character table its
package loads on import (`importlib.resources.files` imports the package to find the list)."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("better_profanity")
