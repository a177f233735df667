#!/usr/bin/env bash
# The git floor: the plumbing any correct implementation must run, one command after another —
# the tag records with messages, tag reachability from origin/main (--merged walks the history),
# the release branches, and one cat-file --batch for four version files at three revisions.
# Usage: bench/floor.sh REPO
set -euo pipefail
cd "${1:?usage: floor.sh REPO}"
export GIT_OPTIONAL_LOCKS=0
git for-each-ref --sort=-v:refname \
  --format='%(refname)%00%(objecttype)%00%(objectname)%00%(*objectname)%00%(*objecttype)%00%(taggerdate:unix)%00%(contents)%00' \
  'refs/tags/v*' >/dev/null
git for-each-ref --merged=refs/remotes/origin/main --format='%(refname)' 'refs/tags/v*' >/dev/null
git for-each-ref --format='%(refname)%00%(objectname)' refs/heads/release refs/remotes/origin/release >/dev/null
newest=$(git for-each-ref --count=1 --sort=-v:refname --format='%(refname:short)' 'refs/tags/v*')
for rev in HEAD origin/main "$newest"; do
  for file in package.json .release-please-manifest.json deploy/helm/app/Chart.yaml CHANGELOG.md; do
    echo "$rev:$file"
  done
done | git cat-file --batch >/dev/null
