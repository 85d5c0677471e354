import { readFileSync } from 'node:fs';
import type { RequestHandler, Response } from 'express';

/** Sends a page or an asset of our own: its type, never sniffed, cached only when it is an asset. */
export function sendStatic(res: Response, type: string, body: string | Buffer, cacheSeconds: number): void {
  res
    .status(200)
    .set('content-type', type)
    .set('x-content-type-options', 'nosniff')
    .set('cache-control', cacheSeconds > 0 ? `public, max-age=${cacheSeconds}` : 'no-store')
    .send(body);
}

/**
 * `GET …/:name` for the files of `assets` (name → [where it is, content type]), read once when
 * first asked for; any other name goes on (to a 404). Names are looked up, never joined to a path.
 */
export function staticAssets(assets: Readonly<Record<string, readonly [file: () => string, type: string]>>, cacheSeconds: number): RequestHandler {
  const files = new Map<string, Buffer>();
  return (req, res, next) => {
    const name = String(req.params.name);
    const asset = Object.hasOwn(assets, name) ? assets[name] : undefined;
    if (!asset) {
      next();
      return;
    }
    let body = files.get(name);
    if (!body) files.set(name, (body = readFileSync(asset[0]())));
    sendStatic(res, asset[1], body, cacheSeconds);
  };
}
