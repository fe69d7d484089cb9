# Shared by Discreet's maintainer scripts (sourced; installed as /usr/share/discreet/maintscript-lib.sh).
# Every path is prefixed with $ROOT (DPKG_ROOT) so that `dpkg --root` installs into a test root.

MANAGED="$ROOT/usr/share/discreet/managed"
# The per-machine token every user's service and the browser policies share (see deb/build.py).
TOKEN="$ROOT/var/lib/discreet/token"
STATE="$ROOT/var/lib/discreet/written"
# Folders the scripts created (not shipped, so dpkg does not know them), removed again on removal.
CREATED_DIRS="$ROOT/var/lib/discreet/created-dirs"

# template (under $MANAGED) -> destination; Chrome-family files are ours alone, Firefox has one
# policies.json per browser, so an administrator's own file is never overwritten.
BROWSER_POLICIES="
chrome/discreet.json etc/opt/chrome/policies/managed/discreet.json
chromium/discreet.json etc/chromium/policies/managed/discreet.json
edge/discreet.json etc/opt/edge/policies/managed/discreet.json
firefox/policies.json etc/firefox/policies/policies.json
firefox/policies.json etc/firefox-esr/policies/policies.json
"

# Write each browser policy with this machine's token, remembering what was written so that removal
# deletes only files nobody has changed since.
install_browser_policies() {
    token="$1"
    echo "$BROWSER_POLICIES" | while read -r template dest; do
        [ -n "$template" ] || continue
        target="$ROOT/$dest"
        record="$STATE/$(echo "$dest" | tr / _)"
        if [ -e "$target" ] && ! cmp -s "$target" "$record"; then
            echo "discreet: $target exists and is not Discreet's; merge $MANAGED/$template into it" >&2
            continue
        fi
        make_dirs "$(dirname "$dest")"
        mkdir -p "$STATE"
        sed "s/@TOKEN@/$token/" "$MANAGED/$template" > "$target.discreet-new"
        chmod 0644 "$target.discreet-new"
        mv -f "$target.discreet-new" "$target"
        cp "$target" "$record"
    done
}

# mkdir -p each folder (relative to $ROOT), remembering every level that did not exist before.
make_dirs() {
    for dir in "$@"; do
        missing=""
        path="$dir"
        while [ "$path" != "." ] && [ "$path" != "/" ] && [ ! -d "$ROOT/$path" ]; do
            missing="$path $missing"
            path=$(dirname "$path")
        done
        for path in $missing; do
            mkdir "$ROOT/$path"
            mkdir -p "$(dirname "$CREATED_DIRS")"
            grep -qxF "$path" "$CREATED_DIRS" 2>/dev/null || echo "$path" >> "$CREATED_DIRS"
        done
    done
}

# Deepest first; a folder someone has since put files in stays.
remove_created_dirs() {
    [ -f "$CREATED_DIRS" ] || return 0
    sort -r "$CREATED_DIRS" | while read -r path; do
        rmdir "$ROOT/$path" 2>/dev/null || true
    done
    rm -f "$CREATED_DIRS"
}

remove_browser_policies() {
    echo "$BROWSER_POLICIES" | while read -r template dest; do
        [ -n "$template" ] || continue
        record="$STATE/$(echo "$dest" | tr / _)"
        if [ -e "$record" ] && cmp -s "$ROOT/$dest" "$record"; then
            rm -f "$ROOT/$dest"
        fi
        rm -f "$record"
    done
}

systemctl_global() {
    command -v systemctl >/dev/null 2>&1 || return 0
    [ "$1" != enable ] || make_dirs etc/systemd/user/default.target.wants
    if [ -n "$ROOT" ]; then
        systemctl --root="$ROOT" --global "$1" discreet.service
    else
        systemctl --global "$1" discreet.service
    fi
}

# Users already logged in get the new service now, not at their next login (best effort).
for_logged_in_users() {
    [ -z "$ROOT" ] && [ -d /run/systemd/system ] || return 0
    loginctl list-users --no-legend 2>/dev/null | while read -r _uid user _rest; do
        systemctl --user --machine="$user@" "$@" >/dev/null 2>&1 || true
    done
}

restart_user_services() {
    for_logged_in_users daemon-reload
    for_logged_in_users restart discreet.service
}

stop_user_services() {
    for_logged_in_users stop discreet.service
}
