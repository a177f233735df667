/**
 * GitHub GraphQL access through @octokit/graphql: repository identity, token and endpoint from the
 * environment, retries with backoff for 5xx and timeouts, rate limits read from the response, and
 * errors sorted into what the run can do about them. The token never appears in any message.
 */
import { graphql, GraphqlResponseError } from '@octokit/graphql';
import { InputError } from '../../errors.js';
import { addSecret, redactSecrets } from '../../redact.js';

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

/**
 * The most release-lint reads of one GitHub answer, so a server (or whatever answers in its name)
 * cannot make the runner hold gigabytes. A GraphQL answer is a page of at most 100 nodes or 40
 * files; a REST answer is one page of a commit's patches, which can be larger. An answer over
 * its cap makes the rules that need it inconclusive ("answer too large").
 */
export const answerLimits = { graphql: 8 * 1024 * 1024, rest: 64 * 1024 * 1024 } as const;

const mib = (bytes: number) => `${bytes / 1024 / 1024} MiB`;

/** An answer that did not arrive whole: over the cap, not in time, or cut off. */
class AnswerProblem extends Error {
  constructor(
    readonly kind: 'too-large' | 'timeout' | 'cut-off',
    message: string,
  ) {
    super(message);
    // Not `AbortError`: @octokit/request would pass that on as an HTTP 500.
    this.name = 'GitHubAnswerProblem';
  }
}

/** The AnswerProblem behind an error, also when @octokit/request wrapped it. */
function answerProblem(error: unknown): AnswerProblem | undefined {
  if (error instanceof AnswerProblem) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof AnswerProblem ? cause : undefined;
}

const isTimeout = (error: unknown, signal: AbortSignal | null | undefined) =>
  (error as Error | undefined)?.name === 'TimeoutError' || (signal?.aborted === true && (signal.reason as Error | undefined)?.name === 'TimeoutError');

/**
 * `fetch` that reads at most `limit` bytes of the body (declared or streamed, after
 * decompression), and tells a timeout and a cut-off answer from an HTTP error.
 */
function cappedFetch(limit: number, api: string, timeoutMs: number): typeof fetch {
  const seconds = `${timeoutMs / 1000} s`;
  return async (url, init) => {
    const signal = init?.signal;
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      if (isTimeout(error, signal)) throw new AnswerProblem('timeout', `no answer within ${seconds}`);
      throw error;
    }
    const tooLarge = () =>
      new AnswerProblem('too-large', `answer too large: GitHub sent more than ${mib(limit)} for one ${api} request, release-lint's cap for ${api} answers`);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > limit) {
      await response.body?.cancel().catch(() => {});
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body?.getReader();
    try {
      for (;;) {
        if (!reader) break;
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limit) {
          await reader.cancel().catch(() => {});
          throw tooLarge();
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof AnswerProblem) throw error;
      if (isTimeout(error, signal)) throw new AnswerProblem('timeout', `the answer did not arrive within ${seconds} (${size.toLocaleString('en')} bytes had)`);
      throw new AnswerProblem('cut-off', `the answer was cut off after ${size.toLocaleString('en')} bytes`);
    }
    const body = Buffer.concat(chunks);
    const empty = response.status === 204 || response.status === 205 || response.status === 304;
    return new Response(empty ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

export interface ClientOptions {
  /** Attempts for 5xx, timeouts and malformed answers. */
  attempts?: number;
  /** First backoff; doubles each time. RELEASE_LINT_GITHUB_BACKOFF_MS overrides it (tests). */
  backoffMs?: number;
  /** Longest wait for a rate-limit reset before giving up (inconclusive). */
  maxRateLimitWaitMs?: number;
  /** Longest wait for one answer. RELEASE_LINT_GITHUB_TIMEOUT_MS overrides it (tests). */
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
  private readonly graphqlFetch: typeof fetch;
  private readonly restFetch: typeof fetch;
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
    this.timeoutMs = Number(process.env.RELEASE_LINT_GITHUB_TIMEOUT_MS ?? options.timeoutMs ?? 30_000);
    this.attempts = options.attempts ?? 3;
    this.backoffMs = Number(process.env.RELEASE_LINT_GITHUB_BACKOFF_MS ?? options.backoffMs ?? 1000);
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
    this.graphqlFetch = cappedFetch(answerLimits.graphql, 'GraphQL', this.timeoutMs);
    this.restFetch = cappedFetch(answerLimits.rest, 'REST', this.timeoutMs);
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
        data = await this.request(document, { ...variables, request: { signal: AbortSignal.timeout(this.timeoutMs), fetch: this.graphqlFetch } });
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
        response = await this.restFetch(`${restRoot(this.target.endpoint)}${path}`, {
          headers: { accept: 'application/vnd.github+json', 'user-agent': 'release-lint', ...(token ? { authorization: `bearer ${token}` } : {}) },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await response.text();
        body = response.ok ? JSON.parse(text) : text;
      } catch (error) {
        const problem = answerProblem(error);
        // A second try would get the same answer.
        if (problem?.kind === 'too-large') throw new GitHubError('unavailable', problem.message, tooLargeFix);
        lastProblem = problem ? problem.message : (error as Error).name === 'SyntaxError' ? 'GitHub sent a malformed answer' : networkProblem(error);
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
    const problem = answerProblem(error);
    if (problem?.kind === 'too-large') return new GitHubError('unavailable', problem.message, tooLargeFix);
    // A timeout or a cut-off answer: worth another try, and never called an HTTP 500.
    if (problem) return problem.message;
    const status = (error as { status?: number }).status;
    const message = this.redact((error as Error).message ?? String(error)).split('\n')[0];
    // @octokit/request reports a failure without any answer (connection refused or reset) as status 500 without a response.
    if (status === 500 && !(error as { response?: unknown }).response) return networkProblem(error);
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

const tooLargeFix = 'lint a clone instead (git reads the repository itself); a GitHub answer this large is not a normal one';

/** A failure without any answer, in words: `no answer (connect ECONNREFUSED …)`. */
function networkProblem(error: unknown): string {
  let detail = (error as Error | undefined)?.message ?? '';
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  // fetch's own TypeError says only "fetch failed"; its cause says what failed.
  if ((!detail || detail === 'fetch failed') && cause instanceof Error) detail = (cause.cause instanceof Error ? cause.cause.message : '') || cause.message;
  return `no answer (${(detail || 'network error').split('\n')[0]})`;
}

/** A GitHub error that stops the run (a rejected token) as a one-line input error, exit 2. */
export function toInputError(error: GitHubError): InputError {
  return new InputError(`${error.message}; ${error.fix}`);
}
