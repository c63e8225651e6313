import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { ApiContext } from './context.js';

/** Larger than the largest valid submission (source + stdin + expected output) plus a margin. */
export const MAX_BODY_BYTES = 256 * 1024 + 2 * 16 * 1024 * 1024 + 64 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

/**
 * The thin HTTP adapter for Apollo: reads and parses the body itself (so an oversized body is
 * refused with 413 before it is read, and malformed JSON gets 400), then hands over.
 */
export async function handleGraphQLHttp(
  apollo: ApolloServer<ApiContext>,
  req: IncomingMessage,
  res: ServerResponse,
  context: () => Promise<ApiContext>,
): Promise<void> {
  let body: unknown = undefined;
  if (req.method === 'POST') {
    let text: string;
    try {
      text = await readBody(req, MAX_BODY_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        sendJson(res, 413, { errors: [{ message: 'request body too large', extensions: { code: 'BAD_USER_INPUT' } }] });
        req.destroy();
        return;
      }
      throw e;
    }
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      sendJson(res, 400, { errors: [{ message: 'malformed JSON body', extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = new URL(req.url ?? '/', 'http://local');
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context,
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

export { sendJson };
