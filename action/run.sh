#!/usr/bin/env bash
# The lint step of action.yml: runs release-lint with the action's inputs (INPUT_* variables),
# writes SARIF for the upload step and a markdown summary for the job page, and records the
# exit code in $GITHUB_OUTPUT so the SARIF is uploaded before the job fails.
set -uo pipefail
bin="${GITHUB_ACTION_PATH:?}/bin/release-lint.js"
args=()
read -r -a command <<<"${INPUT_COMMAND:-check}"
args+=("${command[@]}")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
# A JavaScript config runs code from the checkout; refused unless the workflow opts in.
[ "${INPUT_ALLOW_JS_CONFIG:-false}" = "true" ] || args+=(--no-js-config)
args+=(-f "${INPUT_FORMAT:-github}")
[ -n "${INPUT_SARIF:-}" ] && args+=(-f "sarif=$INPUT_SARIF")
summary=""
if [ "${INPUT_STEP_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  summary=$(mktemp)
  args+=(-f "markdown=$summary")
fi
case "${INPUT_FAIL_ON:-error}" in
  error) ;;
  warning) args+=(--max-warnings 0) ;;
  never) ;;
  *) echo "::error title=release-lint::fail-on must be error, warning or never, not '${INPUT_FAIL_ON}'"; exit 2 ;;
esac
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<<"$INPUT_ARGS"
  args+=("${extra[@]}")
fi
node "$bin" "${args[@]}"
code=$?
if [ -n "$summary" ]; then
  cat "$summary" >>"$GITHUB_STEP_SUMMARY"
  rm -f "$summary"
fi
# Exit code 2 (bad config, usage) always fails; findings fail unless fail-on is never.
if [ "${INPUT_FAIL_ON:-error}" = "never" ] && [ "$code" = 1 ]; then code=0; fi
echo "exit-code=$code" >>"${GITHUB_OUTPUT:-/dev/null}"
exit 0
