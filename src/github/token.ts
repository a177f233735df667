/** The token from GITHUB_TOKEN or GH_TOKEN; undefined when neither is set. */
export function githubToken(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
}
