#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Rootless nslab against `unshare -r` (issue 4's figure): bench/lab.sh
# --rootless, which says how it measures.
#   bench/rootless.sh [NSLAB] [RUNS]
exec sh "$(dirname "$0")/lab.sh" --rootless "$@"
