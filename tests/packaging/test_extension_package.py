"""packaging/extension/build.py: the CRX3 the installers ship, its ID, and the self-hosting manifests.

Chromium's acceptance of the CRX is checked for real in test_extension_in_chromium; here the parts an
organisation relies on when it signs with its own key.
"""

from __future__ import annotations

import base64
import io
import json
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from packaging_harness import PACKAGING, ROOT, run

sys.path.insert(0, str(PACKAGING))
from extension import build as extension_build

BUILD = PACKAGING / "extension" / "build.py"


def varint(buf: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = buf[at]
        value |= (byte & 0x7F) << shift
        at, shift = at + 1, shift + 7
        if not byte & 0x80:
            return value, at


def fields(buf: bytes) -> dict[int, list[bytes]]:
    """The length-delimited fields of a protobuf message (all CRX3 header fields are)."""
    found: dict[int, list[bytes]] = {}
    at = 0
    while at < len(buf):
        tag, at = varint(buf, at)
        assert tag & 7 == 2, "only length-delimited fields expected"
        length, at = varint(buf, at)
        found.setdefault(tag >> 3, []).append(buf[at : at + length])
        at += length
    return found


def test_the_id_is_chromes_for_the_key() -> None:
    """The development manifest's key and the ID Chrome gives it (extension/EXTENSION_ID) agree."""
    key = base64.b64decode(json.loads((ROOT / "extension" / "manifest.json").read_text())["key"])
    assert extension_build.extension_id(key) == (ROOT / "extension" / "EXTENSION_ID").read_text().strip()


def test_crx_is_signed_by_the_key_and_names_its_id(
    extension_key: Path, extension_id: str, tmp_path: Path
) -> None:
    out = run(sys.executable, BUILD, "--key", extension_key, "--out", tmp_path,
              "--base-url", "https://intranet.example.com/discreet").stdout.split()  # fmt: skip
    assert out[0] == extension_id
    crx = Path(out[1]).read_bytes()
    magic, version, header_len = crx[:4], *struct.unpack("<II", crx[4:12])
    assert (magic, version) == (b"Cr24", 3)
    archive = crx[12 + header_len :]
    with zipfile.ZipFile(Path(out[2])) as xpi, zipfile.ZipFile(io.BytesIO(archive)) as packed:
        assert packed.namelist() == xpi.namelist() and "manifest.json" in packed.namelist()
        manifest = json.loads(packed.read("manifest.json"))
    public = subprocess.run(
        ["openssl", "pkey", "-in", extension_key, "-pubout", "-outform", "DER"],
        capture_output=True,
        check=True,
    ).stdout
    assert base64.b64decode(manifest["key"]) == public  # unpacked copies of this build share the ID
    header = fields(crx[12 : 12 + header_len])
    (proof,) = header[2]  # sha256_with_rsa
    (signed_data,) = header[10000]
    assert fields(proof)[1] == [public]
    (signature,) = fields(proof)[2]
    assert extension_build.extension_id(public) == extension_id
    assert fields(signed_data)[1][0].hex() == "".join(f"{ord(c) - 97:x}" for c in extension_id)  # crx_id
    # The signature covers the signed header and the archive: check it with openssl as Chrome would.
    message = b"CRX3 SignedData\x00" + struct.pack("<I", len(signed_data)) + signed_data + archive
    (tmp_path / "sig").write_bytes(signature)
    (tmp_path / "pub.der").write_bytes(public)
    verify = subprocess.run(
        ["openssl", "dgst", "-sha256", "-keyform", "DER", "-verify", tmp_path / "pub.der",
         "-signature", tmp_path / "sig"], input=message, capture_output=True,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stderr
    update = ET.parse(tmp_path / "update.xml").getroot()
    check = update.find(".//{http://www.google.com/update2/response}updatecheck")
    assert check.get("codebase") == f"https://intranet.example.com/discreet/{Path(out[1]).name}"
    assert update.find(".//{http://www.google.com/update2/response}app").get("appid") == extension_id
    firefox = json.loads((tmp_path / "updates.json").read_text())["addons"]["discreet@discreet.example"]
    assert firefox["updates"][0]["update_link"].endswith(".xpi")


def test_a_missing_key_or_build_is_a_clear_error(extension_key: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, BUILD, "--key", tmp_path / "nope.pem"], capture_output=True, text=True
    )
    assert result.returncode == 2 and "nope.pem: no such key file" in result.stderr
    result = subprocess.run(
        [sys.executable, BUILD, "--key", extension_key, "--dist", tmp_path, "--out", tmp_path],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 2 and "npm run build" in result.stderr
