import { addSecret } from '../../redact.js';

/** The token from GITHUB_TOKEN or GH_TOKEN; undefined when neither is set. It is redacted from all output from then on. */
export function githubToken(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
  addSecret(token);
  return token;
}
