#!/usr/bin/env bash
# The git floor: the plumbing any correct implementation must run, one command after another —
# the tag records with messages, tag reachability from origin/main (--merged walks the history),
# the release branches, and one cat-file --batch for four version files at three revisions.
# FLOOR_FILES (space-separated) replaces the four files: the wide repository's policy reads
# package.json, package-lock.json, the manifest and CHANGELOG.md instead.
# Usage: bench/floor.sh REPO
set -euo pipefail
cd "${1:?usage: floor.sh REPO}"
export GIT_OPTIONAL_LOCKS=0
read -r -a files <<<"${FLOOR_FILES:-package.json .release-please-manifest.json deploy/helm/app/Chart.yaml CHANGELOG.md}"
git for-each-ref --sort=-v:refname \
  --format='%(refname)%00%(objecttype)%00%(objectname)%00%(*objectname)%00%(*objecttype)%00%(taggerdate:unix)%00%(contents)%00' \
  'refs/tags/v*' >/dev/null
git for-each-ref --merged=refs/remotes/origin/main --format='%(refname)' 'refs/tags/v*' >/dev/null
git for-each-ref --format='%(refname)%00%(objectname)' refs/heads/release refs/remotes/origin/release >/dev/null
newest=$(git for-each-ref --count=1 --sort=-v:refname --format='%(refname:short)' 'refs/tags/v*')
for rev in HEAD origin/main "$newest"; do
  for file in "${files[@]}"; do
    echo "$rev:$file"
  done
done | git cat-file --batch >/dev/null
