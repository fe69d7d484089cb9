#!/bin/bash
# Sign the macOS bundle with the hardened runtime, build the signed .pkg, notarize and staple it.
# Run on a Mac with the organisation's Developer ID certificates in the keychain:
#
#   APP_IDENTITY="Developer ID Application: Your Org (TEAMID)" \
#   INSTALLER_IDENTITY="Developer ID Installer: Your Org (TEAMID)" \
#   NOTARY_PROFILE=discreet-notary EXTENSION_ID=<id> \
#     packaging/macos/sign-and-notarize.sh BUNDLE_DIR [POLICY_DIR]
#
# NOTARY_PROFILE names credentials stored once with
#   xcrun notarytool store-credentials discreet-notary --apple-id ... --team-id ... --password <app-specific>
# (in CI: from the secrets named in .github/workflows/installers.yml). Prints the stapled .pkg.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUNDLE=${1:?usage: sign-and-notarize.sh BUNDLE_DIR [POLICY_DIR]}
: "${APP_IDENTITY:?set APP_IDENTITY to your Developer ID Application identity}"
: "${INSTALLER_IDENTITY:?set INSTALLER_IDENTITY to your Developer ID Installer identity}"
: "${NOTARY_PROFILE:?set NOTARY_PROFILE to a notarytool keychain profile}"
ENTITLEMENTS="$HERE/entitlements.plist"

# Inside out: every library and extension module first, the executables last. --timestamp and the
# hardened runtime (--options runtime) are what notarization requires.
find "$BUNDLE" -type f \( -name '*.dylib' -o -name '*.so' \) -print0 |
    xargs -0 codesign --force --timestamp --options runtime --sign "$APP_IDENTITY"
for program in "$BUNDLE/discreet"; do
    codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" --sign "$APP_IDENTITY" "$program"
done
codesign --verify --strict --verbose=2 "$BUNDLE/discreet"

PKG=$(SIGN_IDENTITY="$INSTALLER_IDENTITY" "$HERE/build-pkg.sh" "$BUNDLE" "${2:-}" | tail -n1)
xcrun notarytool submit "$PKG" --keychain-profile "$NOTARY_PROFILE" --wait
xcrun stapler staple "$PKG"
xcrun stapler validate "$PKG"
pkgutil --check-signature "$PKG"
echo "$PKG"
