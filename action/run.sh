#!/usr/bin/env bash
# The lint step of action.yml: runs release-lint's prebuilt bundle with the action's inputs
# (INPUT_* variables), writes SARIF for the upload step and a markdown summary for the job page,
# and records in $GITHUB_OUTPUT the exit code (so the SARIF is uploaded before the job fails) and
# whether the SARIF may be uploaded.
set -uo pipefail
bin="${GITHUB_ACTION_PATH:?}/action/dist/release-lint.mjs"
output="${GITHUB_OUTPUT:-/dev/null}"

# On a tag push, actions/checkout fetches the tags and then replaces the pushed tag by a
# lightweight tag of its commit (git fetch --no-tags origin +<sha>:refs/tags/<tag>). Judged as it
# is, an annotated release tag would look lightweight and moved. Put origin's tag back first;
# release-lint itself never fetches.
# The repository is the one release-lint is given with -C/--repo, else the current folder.
repository=.
read -r -a words <<<"${INPUT_COMMAND:-} ${INPUT_ARGS:-}"
for ((i = 0; i < ${#words[@]}; i++)); do
  case "${words[i]}" in
    -C | --repo) repository="${words[i + 1]:-.}" ;;
    --repo=*) repository="${words[i]#--repo=}" ;;
    -C?*) repository="${words[i]#-C}" ;;
  esac
done
if [[ "${GITHUB_REF:-}" == refs/tags/* ]]; then
  pushed_tag="${GITHUB_REF#refs/tags/}"
  if ! fetch_error=$(git -C "$repository" fetch --quiet --no-tags --force origin "refs/tags/$pushed_tag:refs/tags/$pushed_tag" 2>&1); then
    echo "::warning title=release-lint::could not fetch the pushed tag $pushed_tag from origin (${fetch_error//$'\n'/ }); linting the local copy, which actions/checkout may have made lightweight"
  fi
fi

args=()
read -r -a command <<<"${INPUT_COMMAND:-check}"
args+=("${command[@]}")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
# A JavaScript config runs code from the checkout; refused unless the workflow opts in.
[ "${INPUT_ALLOW_JS_CONFIG:-false}" = "true" ] || args+=(--no-js-config)
args+=(-f "${INPUT_FORMAT:-github}")
[ -n "${INPUT_SARIF:-}" ] && args+=(-f "sarif=$INPUT_SARIF")
# Empty: the SARIF carries release-lint's own category for the command (release-lint/check/, ...).
[ -n "${INPUT_CATEGORY:-}" ] && args+=(--sarif-category "$INPUT_CATEGORY")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Whether the run left rules undecided is read from the JSON report, not from the SARIF.
report="$work/report.json"
args+=(-f "json=$report")
summary=""
if [ "${INPUT_STEP_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  summary="$work/summary.md"
  args+=(-f "markdown=$summary")
fi
case "${INPUT_FAIL_ON:-error}" in
  error) ;;
  warning) args+=(--max-warnings 0) ;;
  never) ;;
  *) echo "::error title=release-lint::fail-on must be error, warning or never, not '${INPUT_FAIL_ON}'"; echo "exit-code=2" >>"$output"; echo "upload=false" >>"$output"; exit 0 ;;
esac
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<<"$INPUT_ARGS"
  args+=("${extra[@]}")
fi
node "$bin" "${args[@]}"
code=$?
[ -n "$summary" ] && [ -f "$summary" ] && cat "$summary" >>"$GITHUB_STEP_SUMMARY"

# A run with undecided rules judged less than it lists: uploaded, its SARIF would close the
# alerts of the rules it could not decide. It is uploaded only when the workflow asks for that.
# -q (wherever it was written: command, args, a group of short options) is read from the report
# too: it leaves warnings out of every format, SARIF included.
read -r inconclusive quiet < <(node -e '
  try { const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(r.inconclusive.length, r.summary.quiet === true); }
  catch { console.log("unknown unknown"); }' "$report")
upload=true
if [ "${INPUT_UPLOAD_SARIF:-true}" != "true" ] || [ -z "${INPUT_SARIF:-}" ] || [ "$inconclusive" = "unknown" ]; then
  upload=false
elif [ "$quiet" = "true" ]; then
  # -q leaves warnings out of every format, SARIF too: uploaded, it would close their alerts.
  upload=false
  echo "::notice title=release-lint::The SARIF was not uploaded to code scanning: -q leaves the warnings out of it, and uploading would close their open alerts. Remove -q to upload."
elif [ "$inconclusive" != "0" ] && [ "${INPUT_UPLOAD_INCONCLUSIVE:-false}" != "true" ]; then
  upload=false
  [ "$inconclusive" = "1" ] && rules="1 rule" || rules="$inconclusive rules"
  note="The SARIF was not uploaded to code scanning: $rules could not be decided, and uploading would close their open alerts. Fix what the report names, or set upload-inconclusive: true."
  echo "::notice title=release-lint::$note"
  [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ "${INPUT_STEP_SUMMARY:-true}" = "true" ] && printf '\n> [!NOTE]\n> %s\n' "$note" >>"$GITHUB_STEP_SUMMARY"
fi

# Exit code 2 (bad config, usage) always fails; findings fail unless fail-on is never.
if [ "${INPUT_FAIL_ON:-error}" = "never" ] && [ "$code" = 1 ]; then code=0; fi
echo "exit-code=$code" >>"$output"
echo "upload=$upload" >>"$output"
exit 0
