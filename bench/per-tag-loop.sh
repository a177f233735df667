#!/usr/bin/env bash
# What release gates written in bash typically do: a few git processes per tag (is it on
# origin/main, is it annotated, what does its message say). Its cost grows with tags x commits.
# Usage: bench/per-tag-loop.sh REPO
set -uo pipefail
cd "${1:?usage: per-tag-loop.sh REPO}"
export GIT_OPTIONAL_LOCKS=0
for tag in $(git tag --list 'v*'); do
  git merge-base --is-ancestor "$tag" origin/main || true
  if [ "$(git cat-file -t "$tag")" = tag ]; then git cat-file tag "$tag" >/dev/null; fi
done
