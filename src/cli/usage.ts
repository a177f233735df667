/** The text of --help. */
export const usage = `Usage: release-lint [command] [options]

Commands:
  check                     lint the repository's release state (default)
  tag <name>                lint a tag before it is created or pushed: the existing tag, or the one
                            \`git tag -a <name> <ref> -m <message>\` would create; exit 0 = safe to push
      --ref <commit-ish>    where the tag would point (default HEAD)
      -m <message>          its message (repeatable, like git tag); without one it counts as lightweight
      --message-file <f>    its message from a file
  pr <number>               lint a Release Please or promotion pull request (GitHub), with the policy
                            of its base branch
  release <tag>             check a published tag's GitHub Release: it exists, prerelease flag, assets,
                            recovery issue (check does this for every tag when a GitHub token is set)
  snapshot                  print the collected snapshot as JSON
  baseline                  accept today's findings: write their fingerprints to a baseline file
                            (-o, default .release-lint-baseline.json); --baseline <file> then reports new ones
  rules                     list the rules with their severity (-f json: as JSON)
  explain <rule-id>         a rule's description, options, examples and fix
  test [path…]              run rule tests (<id>.test.yml beside rule files): those of the config's rulesDirs
                            (without rulesDirs, the built-in rules'), or of the files and folders given; prints
                            each failing case with its diff and the rule's let values; exit 1 when one fails
  init                      write a commented .releasepolicyrc.yml for this repository
  hook pre-push <remote> <url>   the pre-push hook: reads git's input, lints each pushed release tag
  install-hook [--force]    install that hook in .git/hooks (--force keeps a foreign hook as pre-push.local)

Options:
  -C, --repo <dir>           repository to lint (default: current folder)
      --remote <owner/name>  check or snapshot a GitHub repository without a clone (needs a token); the
                            policy comes from its default branch unless --config is given
  -c, --config <file>        config file (default: .releasepolicyrc.* or package.json#releasepolicy in the repository root)
      --no-js-config         refuse JavaScript configs (releasepolicy.config.js/.mjs, .releasepolicyrc.js/.mjs): loading
                            them runs the repository's code; the GitHub Action passes this unless allow-js-config is true
  -f, --format <name>[=file] human (default), json, sarif, github, markdown (a job summary, under 1 MiB) or
                            markdown-comment (a PR or issue comment, under 65,536 characters); repeatable,
                            each to its own file
  -o, --output <file>        write the (last) format to a file instead of standard output (a missing
                            folder is created inside the work tree)
      --sarif-category <c>   SARIF's code scanning category (default release-lint/<command>/, e.g. release-lint/tag/);
                            runs uploaded under one category replace each other's alerts
      --all                  list every finding (human and Markdown list a rule's 10 newest, then count the rest)
      --expand <rule-id>     list every finding of this rule; repeatable
      --trace <rule-id>      show how the rule judged each element: its let values and the first failing
                            assertion, or passed, skipped by when, undecided (human report)
      --snapshot <file>      lint a saved snapshot instead of reading git
      --baseline <file>      report only findings that are not in this baseline (counted as "in the baseline");
                            an entry that matches no finding any more is reported as a warning
      --rule <id>=<severity> override a rule's severity (off, note, warn, error); repeatable
      --max-warnings <n>     fail when there are more than n warnings (also when -q hides them)
      --allow-inconclusive   do not fail on rules that could not be decided
      --rule-timeout <ms>    stop a rule that evaluates longer than this and report it inconclusive (default 10000)
      --offline              no network: the remote's tags are not read, so rules that need them are inconclusive
      --github-api-url <url> GitHub GraphQL endpoint (default: GITHUB_GRAPHQL_URL, GITHUB_API_URL, api.github.com);
                            the token comes from GITHUB_TOKEN or GH_TOKEN
  -q, --quiet                report errors only, in every format and count
      --no-color, --color    never / always colour the output (else FORCE_COLOR=1 or 0, then NO_COLOR=1)
      --debug                show stack traces and git process counts
  -v, --version              print the version
  -h, --help                 print this help

Exit codes: 0 no failing findings, 1 failing findings or inconclusive rules, 2 usage, config or runtime error.`;
