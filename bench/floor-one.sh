#!/usr/bin/env bash
# The git floor for judging ONE proposed tag before it is pushed (release-lint `tag NAME --ref REF
# --offline`, or the pre-push hook for one tag). Copied from the performance research's
# tools/floor-one.sh (reference/perf.md), with FLOOR_FILES added as in bench/floor.sh.
#
#   1. rev-parse REF^{commit}                      where the tag would point
#   2. merge-base --is-ancestor COMMIT <main-ref>  reachable from main
#   3. for-each-ref refs/tags/v* (names, peeled commit, tagger date) — the
#      existing tags, for "already exists / never moved / monotonic / newest"
#   4. cat-file --batch: the 4 version files at COMMIT (FLOOR_FILES replaces them)
# With --remote it adds `git ls-remote --tags origin refs/tags/NAME` (the
# published-tag-never-moved check against the remote, one tag only).
#
# Usage: bench/floor-one.sh REPO [--ref REF] [--main-ref REF] [--remote NAME] [--quiet]
# Prints the wall time in ms.
set -euo pipefail
repo=""; ref="refs/remotes/origin/main"; main_ref="refs/remotes/origin/main"; remote_tag=""
while [ $# -gt 0 ]; do
  case "$1" in
    --ref) ref="$2"; shift 2;;
    --main-ref) main_ref="$2"; shift 2;;
    --remote) remote_tag="$2"; shift 2;;
    --quiet|-q) shift;;
    -h|--help) sed -n '2,15p' "$0"; exit 0;;
    *) repo="$1"; shift;;
  esac
done
cd "${repo:?usage: floor-one.sh REPO [--ref REF] [--remote NAME]}"
export GIT_OPTIONAL_LOCKS=0
read -r -a files <<<"${FLOOR_FILES:-package.json CHANGELOG.md .release-please-manifest.json deploy/helm/app/Chart.yaml}"
t0=${EPOCHREALTIME/./}
commit=$(git rev-parse --verify --quiet "$ref^{commit}")
git merge-base --is-ancestor "$commit" "$main_ref" || true
git for-each-ref --format='%(refname)%00%(*objectname)%00%(objectname)%00%(taggerdate:unix)' 'refs/tags/v*' >/dev/null
for file in "${files[@]}"; do echo "$commit:$file"; done | git cat-file --batch >/dev/null
[ -z "$remote_tag" ] || git ls-remote --tags origin "refs/tags/$remote_tag" >/dev/null
e=${EPOCHREALTIME/./}
printf '%d.%03d\n' $(((e - t0) / 1000)) $(((e - t0) % 1000))
