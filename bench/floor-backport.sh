#!/usr/bin/env bash
# The floor for `check` on a repository with an integration branch (hotfix-backport on):
# bench/floor.sh, then the backport log a correct implementation needs — production's non-merge
# commits that integration lacks, with their patches. The log's arguments are those of
# src/snapshot/history.ts `productionOnlyLogArgs`; bench/run.mjs passes them after `--` (taken
# from the build, so they cannot drift); without them the same list, written out, is used.
# Usage: bench/floor-backport.sh REPO [-- GIT_LOG_ARGS...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo="${1:?usage: floor-backport.sh REPO [-- GIT_LOG_ARGS...]}"; shift
[ "${1:-}" != "--" ] || shift
if [ $# -eq 0 ]; then
  set -- log --cherry-mark --right-only --no-merges --no-renames --no-color --no-ext-diff --no-textconv -p \
    '--format=%x00%x01%m%x00%H%x00%ct%x00%an%x00%s%x00' refs/remotes/origin/develop...refs/remotes/origin/main --
fi
bash "$here/floor.sh" "$repo"
cd "$repo"
GIT_OPTIONAL_LOCKS=0 git "$@" >/dev/null
