#!/usr/bin/env python3
"""Package the built extension (extension/dist) for installers: a CRX3 signed with the organisation's
key, the Firefox .xpi, and, for self-hosting, the update manifests that point browsers at them.

A Chrome extension's ID is derived from the public key that signs its CRX (the first 16 bytes of the
SHA-256 of the key, written with the letters a-p), so whoever holds the key fixes the ID: the same
key must sign every release, or browsers see a different extension. The manifest's "key" is set to
that public key, so the packed and any unpacked copy of this build share the ID.

Signing uses the `openssl` command (present on Linux, macOS and the Windows runners); the CRX3
header is a small protobuf (Chromium's components/crx_file/crx3.proto), written here by hand.

Usage:
  python3 packaging/extension/build.py --key ORG_KEY.pem [--dist extension/dist] [--out DIR]
      [--base-url https://intranet.example.com/discreet/]
  python3 packaging/extension/build.py --key ORG_KEY.pem --print-id
Generate a key once (and keep it like a code-signing key): openssl genrsa -out discreet-extension.pem 2048
Prints the extension ID, then each file written.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DIST = ROOT / "extension" / "dist"
FIREFOX_ID = "discreet@discreet.example"
CRX3_SIGNATURE_CONTEXT = b"CRX3 SignedData\x00"
# A fixed timestamp for every zip entry, so two builds of the same sources give the same archive.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


class ExtensionBuildError(Exception):
    """The key or the built extension is unusable; str() says which file and what."""


@dataclass(frozen=True)
class Packaged:
    extension_id: str
    version: str
    crx: Path
    xpi: Path


def _openssl(*args: str, data: bytes = b"") -> bytes:
    result = subprocess.run(["openssl", *args], input=data, capture_output=True)
    if result.returncode != 0:
        raise ExtensionBuildError(f"openssl {args[0]}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def public_key_der(key: Path) -> bytes:
    """The RSA key's public half as DER SubjectPublicKeyInfo (what CRX3 and manifest "key" carry)."""
    if not key.is_file():
        raise ExtensionBuildError(f"{key}: no such key file (openssl genrsa -out {key.name} 2048)")
    return _openssl("pkey", "-in", str(key), "-pubout", "-outform", "DER")


def extension_id(public_der: bytes) -> str:
    """Chrome's ID for an extension signed with this key."""
    digest = hashlib.sha256(public_der).digest()[:16]
    return "".join(chr(ord("a") + int(nibble, 16)) for nibble in digest.hex())


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field (wire type 2)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def crx3(archive: bytes, key: Path) -> bytes:
    """A CRX3 file: magic, version 3, the header (key, RSA-SHA256 signature, signed crx_id), the zip."""
    public = public_key_der(key)
    signed_data = _field(1, hashlib.sha256(public).digest()[:16])  # SignedData.crx_id
    message = CRX3_SIGNATURE_CONTEXT + struct.pack("<I", len(signed_data)) + signed_data + archive
    signature = _openssl("dgst", "-sha256", "-sign", str(key), data=message)
    proof = _field(1, public) + _field(2, signature)  # AsymmetricKeyProof
    header = _field(2, proof) + _field(10000, signed_data)  # sha256_with_rsa, signed_header_data
    return b"Cr24" + struct.pack("<II", 3, len(header)) + header + archive


def zip_tree(folder: Path, replace: dict[str, bytes]) -> bytes:
    """The folder as a deterministic zip; `replace` swaps the content of files by relative path."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix()
            info = zipfile.ZipInfo(rel, ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, replace.get(rel, path.read_bytes()))
    return buffer.getvalue()


def read_manifest(dist: Path) -> dict:
    try:
        return json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExtensionBuildError(
            f"{dist}/manifest.json: missing; build the extension first (cd extension && npm run build)"
        ) from None
    except ValueError as err:
        raise ExtensionBuildError(f"{dist}/manifest.json: {err}") from None


def package(dist: Path, key: Path, out: Path) -> Packaged:
    """discreet-<version>.crx (signed with `key`) and discreet-<version>.xpi in `out`."""
    manifest = read_manifest(dist)
    public = public_key_der(key)
    manifest["key"] = base64.b64encode(public).decode("ascii")
    archive = zip_tree(dist, {"manifest.json": json.dumps(manifest, indent=2).encode("utf-8")})
    out.mkdir(parents=True, exist_ok=True)
    version = manifest["version"]
    crx = out / f"discreet-{version}.crx"
    crx.write_bytes(crx3(archive, key))
    xpi = out / f"discreet-{version}.xpi"
    xpi.write_bytes(archive)
    return Packaged(extension_id(public), version, crx, xpi)


def chrome_update_manifest(packaged: Packaged, crx_url: str) -> str:
    """The `gupdate` XML Chrome and Edge poll at a self-hosted force-install entry's update URL."""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>\n"
        f"  <app appid={quoteattr(packaged.extension_id)}>\n"
        f"    <updatecheck codebase={quoteattr(crx_url)} version={quoteattr(packaged.version)}/>\n"
        "  </app>\n</gupdate>\n"
    )


def firefox_update_manifest(packaged: Packaged, xpi_url: str) -> str:
    """The updates.json a self-hosted, Mozilla-signed add-on names as its update_url."""
    update = {"version": packaged.version, "update_link": xpi_url}
    return json.dumps({"addons": {FIREFOX_ID: {"updates": [update]}}}, indent=2) + "\n"


def write_update_manifests(packaged: Packaged, base_url: str, out: Path) -> list[Path]:
    base = base_url.rstrip("/") + "/"
    files = {
        "update.xml": chrome_update_manifest(packaged, base + packaged.crx.name),
        "updates.json": firefox_update_manifest(packaged, base + packaged.xpi.name),
    }
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    return [out / name for name in files]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--key", type=Path, required=True, help="PEM RSA key that signs the CRX")
    parser.add_argument("--dist", type=Path, default=DIST, help="the built extension (npm run build)")
    parser.add_argument("--out", type=Path, default=ROOT / "packaging" / "build" / "extension")
    parser.add_argument("--base-url", help="where you host the files: also write update.xml, updates.json")
    parser.add_argument("--print-id", action="store_true", help="print the key's extension ID and stop")
    args = parser.parse_args(argv)
    try:
        if args.print_id:
            print(extension_id(public_key_der(args.key)))
            return 0
        packaged = package(args.dist, args.key, args.out)
        written = [packaged.crx, packaged.xpi]
        if args.base_url:
            written += write_update_manifests(packaged, args.base_url, args.out)
    except ExtensionBuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(packaged.extension_id)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
