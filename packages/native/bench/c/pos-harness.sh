#!/bin/sh
# Builds the table-kernel harness against the current csrc/pos.c (same flags as the addon) and runs it:
#   bench/c/pos-harness.sh time 20 6 1   |   bench/c/pos-harness.sh hash 20 [seedbyte]
# Under callgrind: POS_HARNESS_WRAP="valgrind --tool=callgrind --branch-sim=yes" bench/c/pos-harness.sh time 20 1 1
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${POS_HARNESS_OUT:-/tmp/pos-harness}
cc ${POS_HARNESS_CFLAGS:--O2 -g -std=gnu11 -maes} -o "$out" "$here/pos-harness.c" "$here/../../csrc/pos.c" -lpthread
exec $POS_HARNESS_WRAP "$out" "$@"
