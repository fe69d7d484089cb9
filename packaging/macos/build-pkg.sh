#!/bin/bash
# Build Discreet-<version>-<arch>.pkg on a Mac (pkgbuild + productbuild), from the bundle that
# packaging/bundle/build.py made on that Mac, plus Discreet.mobileconfig for the MDM.
#
#   packaging/macos/build-pkg.sh BUNDLE_DIR [POLICY_DIR]
#   packaging/macos/build-pkg.sh --stage-only STAGE_DIR BUNDLE_DIR [POLICY_DIR]   (layout only; any OS)
#
# EXTENSION_ID (required) is the extension's Chrome ID: the store listing's, or the one your signing
# key gives (packaging/extension/build.py --key KEY --print-id).
# POLICY_DIR holds policy.yaml and the files it names (default: the demo pack). Set SIGN_IDENTITY to
# "Developer ID Installer: ..." to sign the product archive (then notarize it, see docs/deploying.md).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STAGE_ONLY=""
if [ "${1:-}" = "--stage-only" ]; then
    STAGE_ONLY=$2
    shift 2
fi
BUNDLE=${1:?usage: build-pkg.sh [--stage-only DIR] BUNDLE_DIR [POLICY_DIR]}
POLICY_DIR=${2:-$ROOT/recognizers/packs/demo}
OUT=${OUT:-$ROOT/packaging/build/macos}
PYTHON=${PYTHON:-python3}
VERSION=$("$PYTHON" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")
ARCH=${ARCH:-$(uname -m)}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PAYLOAD=${STAGE_ONLY:-$WORK/root}
CONF="$PAYLOAD/Library/Application Support/discreet"
mkdir -p "$PAYLOAD/usr/local/discreet" "$PAYLOAD/Library/LaunchAgents" "$CONF"

cp -R "$BUNDLE/." "$PAYLOAD/usr/local/discreet/"
sed 's|@PROGRAM@|/usr/local/discreet/discreet|' "$ROOT/packaging/native-host.sh.in" > "$PAYLOAD/usr/local/discreet/discreet-native-host"
chmod 755 "$PAYLOAD/usr/local/discreet/discreet-native-host"
cp "$HERE/com.discreet.service.plist" "$PAYLOAD/Library/LaunchAgents/"

# Shipped defaults beside the program (replaced by every upgrade); $CONF is left to the
# administrator's own config.toml and policy, and the token the postinstall generates.
DEFAULTS="$PAYLOAD/usr/local/discreet/defaults"
mkdir -p "$DEFAULTS/policy"
cp -R "$POLICY_DIR/." "$DEFAULTS/policy/"
EXTENSION_ID=${EXTENSION_ID:?set EXTENSION_ID to the Chrome ID of the extension (see docs/deploying.md)}
CHROME_ORIGIN="chrome-extension://$EXTENSION_ID"
sed -e 's|@POLICY@|policy/policy.yaml|' -e 's|@TOKEN_FILE@|/Library/Application Support/discreet/token|' \
    -e "s|@CHROME_ORIGIN@|$CHROME_ORIGIN|" "$ROOT/packaging/config.toml.in" > "$DEFAULTS/config.toml"

"$PYTHON" "$ROOT/packaging/managed.py" --extension-id "$EXTENSION_ID" "$WORK/managed" > /dev/null
HOSTS="$WORK/managed/native-messaging/macos"
for dir in "Library/Google/Chrome/NativeMessagingHosts" \
           "Library/Microsoft/Edge/NativeMessagingHosts" \
           "Library/Application Support/Chromium/NativeMessagingHosts"; do
    mkdir -p "$PAYLOAD/$dir"
    cp "$HOSTS/chrome/com.discreet.host.json" "$PAYLOAD/$dir/"
done
mkdir -p "$PAYLOAD/Library/Application Support/Mozilla/NativeMessagingHosts"
cp "$HOSTS/firefox/com.discreet.host.json" "$PAYLOAD/Library/Application Support/Mozilla/NativeMessagingHosts/"
chmod -R u=rwX,go=rX "$PAYLOAD"

if [ -n "$STAGE_ONLY" ]; then
    cp "$WORK/managed/macos/Discreet.mobileconfig" "$STAGE_ONLY/../Discreet.mobileconfig"
    echo "$STAGE_ONLY"
    exit 0
fi

mkdir -p "$OUT"
pkgbuild --root "$PAYLOAD" --identifier com.discreet.service --version "$VERSION" \
    --scripts "$HERE/scripts" --install-location / --ownership recommended "$OUT/discreet-component.pkg"
sed -e "s|@VERSION@|$VERSION|" -e "s|@ARCH@|$ARCH|" "$HERE/distribution.xml" > "$WORK/distribution.xml"
SIGN=()
if [ -n "${SIGN_IDENTITY:-}" ]; then SIGN=(--sign "$SIGN_IDENTITY"); fi
productbuild --distribution "$WORK/distribution.xml" --package-path "$OUT" ${SIGN[@]+"${SIGN[@]}"} \
    "$OUT/Discreet-$VERSION-$ARCH.pkg"
rm "$OUT/discreet-component.pkg"
cp "$WORK/managed/macos/Discreet.mobileconfig" "$OUT/"
echo "$OUT/Discreet-$VERSION-$ARCH.pkg"
