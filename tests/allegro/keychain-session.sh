#!/bin/sh
# Runs a test inside its own D-Bus session with an unlocked GNOME Keyring (the real Secret Service path).
exec dbus-run-session -- sh -c 'echo sellerdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$0" "$@"' "$@"
