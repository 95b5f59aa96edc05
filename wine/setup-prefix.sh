#!/usr/bin/env bash
# Makes a Wine prefix that runs Go windows/amd64 programs: Wine's own set-up
# (wineboot), then the ProcessPrng shim built from processprng.c and copied
# into system32. Safe to run again and from several test processes at once.
#
#   bash wine/setup-prefix.sh PREFIX
set -euo pipefail
prefix=${1:?usage: setup-prefix.sh PREFIX}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$prefix"
export WINEPREFIX=$prefix WINEDEBUG=-all

# One set-up at a time; the others wait for it and find it done.
exec 9>"$prefix.lock"
flock 9

system32=$prefix/drive_c/windows/system32
if [ ! -d "$system32" ]; then
  wineboot --init >/dev/null 2>&1 </dev/null
  wineserver --wait
fi

dll=$system32/bcryptprimitives.dll
if [ ! -f "$dll" ] || [ "$here/processprng.c" -nt "$dll" ] || [ "$here/processprng.def" -nt "$dll" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -o "$dll.new" \
    "$here/processprng.c" "$here/processprng.def" -ladvapi32
  mv "$dll.new" "$dll"
fi

# A wineserver that stays up for a minute after its last program exits, so
# that the next test suite does not start Wine's services anew (two seconds).
# It runs in the foreground until then, so we leave it in the background,
# without the lock. If one runs already, this one exits at once.
wineserver -p60 9>&- </dev/null >/dev/null 2>&1 &
