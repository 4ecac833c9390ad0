// DNS rebinding: a page on an attacker's domain that resolves to this server would otherwise read its
// answers with the browser's cookies. Only the configured public URL's host and the loopback names
// (localhost, 127.0.0.1, [::1]) are served; any other Host header → 421 with a German message.
import type { NextFunction, Request, Response } from 'express';
import { isLoopbackHost } from '../core/production';
import { HttpError, sendError } from './errors';
import { html, page } from './html';

/** The host name of a Host header ("example.org:3000" → "example.org", "[::1]:3000" → "[::1]"). */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d*$/, '');
}

export function hostCheck(publicUrl: string) {
  const publicHost = new URL(publicUrl).hostname.toLowerCase();
  return (req: Request, res: Response, next: NextFunction) => {
    const name = hostName(req.get('host') ?? '');
    if (name && (name === publicHost || isLoopbackHost(name))) return next();
    if (req.path === '/healthz') return next(); // probes of orchestrators call the pod's address
    const message = 'Unbekannter Hostname: Diese Adresse gehört nicht zu dieser KIM-Flow-Installation.';
    res.status(421);
    if (req.path.startsWith('/api/') || (req.get('accept') ?? '').startsWith('application/json')) {
      return sendError(res, new HttpError(421, 'misdirected_request', message));
    }
    res.send(page({ title: 'Falsche Adresse', body: html`<p role="alert">${message}</p>` }));
  };
}
