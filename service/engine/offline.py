"""Keep every library offline: imported first, before anything that could reach the network.

Presidio's e-mail recognizer imports `tldextract`, whose default extractor fetches the public suffix list on
first use. An empty URL list makes it use the snapshot bundled in the package instead.
"""

import os

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
os.environ.setdefault("HF_HUB_OFFLINE", "1")
