/**
 * A GitHub GraphQL stand-in on 127.0.0.1: it executes GitHub's published schema
 * (@octokit/graphql-schema) over fixture data, validates every query it receives (and that every
 * connection asks for 1–100 nodes), and can inject failures. Nothing leaves the machine.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { schema as published } from '@octokit/graphql-schema';
import {
  buildClientSchema,
  getNamedType,
  graphql,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';

export const githubSchema: GraphQLSchema = buildClientSchema(published.json as never);

/** Problems in a query: schema validation errors and connections without a 1–100 first/last. */
export function queryProblems(source: string, variables: Record<string, unknown> = {}): string[] {
  let document;
  try {
    document = parse(source);
  } catch (error) {
    return [`syntax: ${(error as Error).message}`];
  }
  const problems = validate(githubSchema, document).map((e) => e.message);
  const typeInfo = new TypeInfo(githubSchema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const type = typeInfo.getType();
        if (!type || !getNamedType(type).name.endsWith('Connection')) return;
        const sizes = (node.arguments ?? []).filter((a) => a.name.value === 'first' || a.name.value === 'last');
        if (sizes.length === 0) problems.push(`${node.name.value}: a connection without first/last`);
        for (const size of sizes) {
          const value = size.value.kind === 'IntValue' ? Number(size.value.value) : size.value.kind === 'Variable' ? Number(variables[size.value.name.value]) : NaN;
          if (!(value >= 1 && value <= 100)) problems.push(`${node.name.value}: ${size.name.value} must be 1-100`);
        }
      },
    }),
  );
  return problems;
}

/** A connection page over a list, as GitHub pages them (cursor = index). */
export function page<T>(items: T[], args: { first?: number; after?: string }) {
  const start = args.after ? Number(args.after) + 1 : 0;
  const nodes = items.slice(start, start + (args.first ?? 100));
  const end = start + nodes.length - 1;
  return { totalCount: items.length, nodes, pageInfo: { hasNextPage: end < items.length - 1, endCursor: nodes.length ? String(end) : null } };
}

/**
 * A failure to inject, or `{ status, body }`: this answer (JSON) instead of the real one.
 * `too-large` streams up to 1 GiB of JSON, as long as the client reads; `no-answer` never answers;
 * `cut-off` closes the connection in the middle of the body.
 */
export type Fault = '502' | 'malformed' | 'unauthorized' | 'forbidden' | 'rate-limited' | 'graphql-error' | 'too-large' | 'no-answer' | 'cut-off' | { status: number; body: unknown };

/** Answers with a transport fault; false for the faults that are ordinary answers. */
function transportFault(fault: Fault | undefined, response: ServerResponse, standIn: GitHubStandIn): boolean {
  if (fault === 'no-answer') return true;
  if (fault === 'cut-off') {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
    response.write('{"data": {"repository": {', () => response.socket?.destroy());
    return true;
  }
  if (fault !== 'too-large') return false;
  response.on('error', () => {});
  response.writeHead(200, { 'content-type': 'application/json' });
  response.write('{"data": {"x": "');
  const chunk = Buffer.alloc(1 << 20, 'a');
  const pump = () => {
    while (standIn.tooLargeSent < 1 << 30) {
      if (response.destroyed) return;
      standIn.tooLargeSent += chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    response.end('"}}');
  };
  pump();
  return true;
}

export interface GitHubStandIn {
  url: string;
  /** Root value: `repository(owner, name)`, `rateLimit`; functions get the field's arguments. */
  root: Record<string, unknown>;
  /** Consumed one per request. */
  faults: Fault[];
  /** Answers REST GETs (path with query string): status and JSON body, or a fault. */
  rest?: (path: string) => { status: number; body: unknown } | Fault;
  /** Bytes of `too-large` answers written so far (the client stops reading at its cap). */
  tooLargeSent: number;
  /** Every query received, with its problems (must stay empty) and its authorization header. */
  requests: Array<{ query: string; variables: Record<string, unknown>; problems: string[]; authorization: string }>;
  /** Every REST path requested, with its authorization header. */
  restRequests: Array<{ path: string; authorization: string }>;
  close(): Promise<void>;
}

const fieldResolver: GraphQLFieldResolver<Record<string, unknown>, unknown> = (source, args, context, info) => {
  const value = source?.[info.fieldName];
  return typeof value === 'function' ? value(args, context, info) : value;
};

export async function startGitHubStandIn(root: Record<string, unknown> = {}): Promise<GitHubStandIn> {
  const standIn: GitHubStandIn = { url: '', root, faults: [], requests: [], restRequests: [], tooLargeSent: 0, close: async () => {} };
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET') {
      standIn.restRequests.push({ path: request.url ?? '', authorization: String(request.headers.authorization ?? '') });
      const fault = standIn.faults.shift() ?? standIn.rest?.(request.url ?? '');
      if (transportFault(fault, response, standIn)) return;
      const answer =
        fault === '502'
          ? { status: 502, body: { message: 'Bad Gateway' } }
          : typeof fault === 'object'
            ? fault
            : { status: 404, body: { message: 'Not Found' } };
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const problems = queryProblems(body.query ?? '', body.variables ?? {});
      standIn.requests.push({ query: body.query, variables: body.variables ?? {}, problems, authorization: String(request.headers.authorization ?? '') });
      const fault = standIn.faults.shift();
      const send = (status: number, payload: unknown, raw?: string) => {
        response.writeHead(status, { 'content-type': raw === undefined ? 'application/json' : 'text/html' });
        response.end(raw ?? JSON.stringify(payload));
      };
      if (transportFault(fault, response, standIn)) return;
      if (typeof fault === 'object') return send(fault.status, fault.body);
      if (fault === '502') return send(502, undefined, '<html>502 Bad Gateway</html>');
      if (fault === 'malformed') return send(200, undefined, '{"data": {"repository": ');
      if (fault === 'unauthorized') return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql' });
      if (fault === 'forbidden') {
        return send(200, { data: null, errors: [{ type: 'FORBIDDEN', path: ['repository'], message: 'Resource not accessible by integration' }] });
      }
      if (fault === 'graphql-error') return send(200, { data: null, errors: [{ message: "Field 'x' doesn't exist on type 'Repository'" }] });
      if (fault === 'rate-limited') return send(200, { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation.' }] });
      if (problems.length) return send(200, { errors: problems.map((message) => ({ message })) });
      const result = await graphql({ schema: githubSchema, source: body.query, variableValues: body.variables, rootValue: standIn.root, fieldResolver, typeResolver: (v: any) => v.__typename });
      send(200, result);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  standIn.url = `http://127.0.0.1:${port}/graphql`;
  standIn.close = () => new Promise((resolve) => server.close(() => resolve()));
  return standIn;
}
