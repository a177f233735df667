/**
 * GitHub GraphQL access through @octokit/graphql: repository identity, token and endpoint from the
 * environment, retries with backoff for 5xx and timeouts, rate limits read from the response, and
 * errors sorted into what the run can do about them. The token never appears in any message.
 */
import { graphql, GraphqlResponseError } from '@octokit/graphql';
import { InputError } from '../errors.js';
import { addSecret, redactSecrets } from '../redact.js';

export interface GitHubTarget {
  owner: string;
  name: string;
  /** The GraphQL endpoint, e.g. https://api.github.com/graphql. */
  endpoint: string;
  token: string | undefined;
}

/**
 * What went wrong, and so what the run reports: `auth` stops the run, the others make rules
 * inconclusive. Its message and fix never carry a secret, whatever GitHub's answer quoted.
 */
export class GitHubError extends Error {
  readonly fix: string;

  constructor(
    readonly kind: 'auth' | 'permission' | 'unavailable' | 'rate-limit' | 'not-found',
    message: string,
    fix: string,
  ) {
    super(redactSecrets(message));
    this.fix = redactSecrets(fix);
    this.name = 'GitHubError';
  }
}

/** owner/name from an https or ssh remote URL of any GitHub host. */
export function repositoryFromUrl(url: string): { owner: string; name: string } | undefined {
  const match = /^(?:https?:\/\/(?:[^@/]+@)?[^/]+\/|ssh:\/\/(?:[^@/]+@)?[^/]+\/|[^@/\s]+@[^:/\s]+:)([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match ? { owner: match[1], name: match[2] } : undefined;
}

/** The GraphQL endpoint: --github-api-url, GITHUB_GRAPHQL_URL, GITHUB_API_URL (GitHub Enterprise Server), else github.com. */
export function graphqlEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag.replace(/\/$/, '');
  if (env.GITHUB_GRAPHQL_URL) return env.GITHUB_GRAPHQL_URL.replace(/\/$/, '');
  if (env.GITHUB_API_URL) {
    const api = env.GITHUB_API_URL.replace(/\/$/, '');
    return api.endsWith('/api/v3') ? `${api.slice(0, -'/api/v3'.length)}/api/graphql` : `${api}/graphql`;
  }
  return 'https://api.github.com/graphql';
}

/**
 * The REST root beside a GraphQL endpoint: api.github.com/graphql → api.github.com, and on GitHub
 * Enterprise Server host/api/graphql → host/api/v3.
 */
export function restRoot(graphqlUrl: string): string {
  const url = graphqlUrl.replace(/\/$/, '');
  if (url.endsWith('/api/graphql')) return `${url.slice(0, -'/graphql'.length)}/v3`;
  return url.replace(/\/graphql$/, '');
}

export interface ClientOptions {
  /** Attempts for 5xx, timeouts and malformed answers. */
  attempts?: number;
  /** First backoff; doubles each time. RELEASE_LINT_GITHUB_BACKOFF_MS overrides it (tests). */
  backoffMs?: number;
  /** Longest wait for a rate-limit reset before giving up (inconclusive). */
  maxRateLimitWaitMs?: number;
  timeoutMs?: number;
}

interface RateLimit {
  remaining: number;
  resetAt: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class GitHubClient {
  private readonly request: typeof graphql;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly maxRateLimitWaitMs: number;
  private readonly timeoutMs: number;
  /** Queries sent, for --debug. */
  calls = 0;

  constructor(
    readonly target: GitHubTarget,
    options: ClientOptions = {},
  ) {
    addSecret(target.token);
    const url = new URL(target.endpoint);
    this.request = graphql.defaults({
      baseUrl: `${url.origin}${url.pathname.replace(/\/graphql$/, '')}`,
      url: '/graphql',
      headers: { ...(target.token ? { authorization: `bearer ${target.token}` } : {}), 'user-agent': 'release-lint' },
    });
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.attempts = options.attempts ?? 3;
    this.backoffMs = Number(process.env.RELEASE_LINT_GITHUB_BACKOFF_MS ?? options.backoffMs ?? 1000);
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
  }

  /**
   * Removes the token from any text that may reach the user: any run of 8 or more of its
   * characters, in any case (a token of fewer characters is no secret and would garble the text).
   */
  redact(text: string): string {
    return redactSecrets(text, this.target.token);
  }

  /**
   * Runs one query. `permission` names what the token needs for it (shown when GitHub refuses).
   * Every query must select `rateLimit { remaining resetAt }` so the client can pace itself.
   */
  async query<T>(document: string, variables: Record<string, unknown>, permission: string): Promise<T> {
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      this.calls++;
      let data: unknown;
      try {
        // `request` is @octokit/graphql's per-call options: a fresh timeout for every attempt.
        data = await this.request(document, { ...variables, request: { signal: AbortSignal.timeout(this.timeoutMs) } });
      } catch (error) {
        const classified = this.classify(error, permission);
        if (classified instanceof GitHubError) throw classified;
        lastProblem = classified;
        if (attempt < this.attempts) await sleep(this.backoffMs * 2 ** (attempt - 1));
        continue;
      }
      if (data === null || typeof data !== 'object') {
        lastProblem = 'GitHub sent a malformed answer';
        if (attempt < this.attempts) await sleep(this.backoffMs * 2 ** (attempt - 1));
        continue;
      }
      await this.pace((data as { rateLimit?: RateLimit }).rateLimit);
      return data as T;
    }
    throw new GitHubError('unavailable', `GitHub did not answer after ${this.attempts} attempts (${this.redact(lastProblem)})`, 'run again later; GitHub may be having an outage');
  }

  /**
   * One REST GET (for what GraphQL lacks: a commit's patches), with the same retries, pacing and
   * error sorting as `query`. `path` starts with /repos/.
   */
  async rest<T>(path: string, permission: string): Promise<T> {
    const { token } = this.target;
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      this.calls++;
      let response: Response;
      let body: unknown;
      try {
        response = await fetch(`${restRoot(this.target.endpoint)}${path}`, {
          headers: { accept: 'application/vnd.github+json', 'user-agent': 'release-lint', ...(token ? { authorization: `bearer ${token}` } : {}) },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        body = response.ok ? await response.json() : await response.text();
      } catch (error) {
        lastProblem = (error as Error).name === 'SyntaxError' ? 'GitHub sent a malformed answer' : (error as Error).message || 'network error';
        if (attempt < this.attempts) await sleep(this.backoffMs * 2 ** (attempt - 1));
        continue;
      }
      if (response.ok) {
        const remaining = response.headers.get('x-ratelimit-remaining');
        const reset = Number(response.headers.get('x-ratelimit-reset'));
        if (remaining !== null && reset > 0) await this.pace({ remaining: Number(remaining), resetAt: new Date(reset * 1000).toISOString() });
        return body as T;
      }
      const classified = this.classify(Object.assign(new Error(String(body).slice(0, 200)), { status: response.status }), permission);
      if (classified instanceof GitHubError) throw classified;
      if (response.status === 404) throw new GitHubError('not-found', `GitHub has no ${path.split('?')[0]}`, 'check the repository name');
      if (response.status < 500) throw new GitHubError('unavailable', `GitHub refused ${path.split('?')[0]} (${this.redact(classified)})`, 'run again with --debug and report it');
      lastProblem = classified;
      if (attempt < this.attempts) await sleep(this.backoffMs * 2 ** (attempt - 1));
    }
    throw new GitHubError('unavailable', `GitHub did not answer after ${this.attempts} attempts (${this.redact(lastProblem)})`, 'run again later; GitHub may be having an outage');
  }

  /** Waits for the reset when the budget is spent and the reset is near; gives up otherwise. */
  private async pace(rateLimit: RateLimit | undefined): Promise<void> {
    if (!rateLimit || rateLimit.remaining > 0) return;
    const wait = Date.parse(rateLimit.resetAt) - Date.now();
    if (wait > this.maxRateLimitWaitMs) {
      throw new GitHubError('rate-limit', `the GitHub API rate limit is used up until ${rateLimit.resetAt}`, 'run again after the reset, or with a token that has its own budget');
    }
    if (wait > 0) await sleep(wait);
  }

  /** A GitHubError to stop with, or a description of a failure worth retrying. */
  private classify(error: unknown, permission: string): GitHubError | string {
    const status = (error as { status?: number }).status;
    const message = this.redact((error as Error).message ?? String(error)).split('\n')[0];
    if (error instanceof GraphqlResponseError) {
      const types = error.errors?.map((e) => (e as { type?: string }).type) ?? [];
      const said = this.redact(error.errors?.map((e) => e.message).join('; ') || message);
      if (types.includes('RATE_LIMITED')) {
        return new GitHubError('rate-limit', 'the GitHub API rate limit is used up', 'run again after the reset, or with a token that has its own budget');
      }
      if (types.includes('FORBIDDEN') || /not accessible|permission/i.test(said)) {
        return new GitHubError('permission', `the GitHub token lacks the ${permission} permission (${said})`, `give the token ${permission} (in GitHub Actions, under permissions:)`);
      }
      if (types.includes('NOT_FOUND')) return new GitHubError('not-found', said, 'check the repository and number');
      // An error in the answer (a query GitHub rejects, a timeout it reports) would only repeat.
      return new GitHubError('unavailable', `GitHub answered with errors: ${said}`, 'run again with --debug; if it persists, report it');
    }
    if (status === 401) return new GitHubError('auth', 'GitHub rejected the token (401 Bad credentials)', 'set GITHUB_TOKEN or GH_TOKEN to a valid token');
    if (status === 403 && /rate limit/i.test(message)) {
      return new GitHubError('rate-limit', 'the GitHub API rate limit is used up', 'run again after the reset, or with a token that has its own budget');
    }
    if (status === 403) return new GitHubError('permission', `GitHub refused the request (403): the token lacks the ${permission} permission`, `give the token ${permission}`);
    if (status !== undefined && status >= 500) return `HTTP ${status}`;
    if (status === undefined) return message || 'network error';
    return `HTTP ${status}: ${message}`;
  }
}

/** A GitHub error that stops the run (a rejected token) as a one-line input error, exit 2. */
export function toInputError(error: GitHubError): InputError {
  return new InputError(`${error.message}; ${error.fix}`);
}
