// "Meine Sitzungen" (/sitzungen): the signed-in user's own active sessions (web sessions and API tokens)
// with browser, address, login time and last activity, and "Überall abmelden", which ends every one of
// them (audited). A web session also ends by itself after KIM_SESSION_IDLE_MINUTES without a request.
import { Router, type Request, type Response } from 'express';
import { audit } from '../../core/audit';
import { formatDateTime } from '../../core/format/dates';
import type { AppDeps } from '../deps';
import { actorOf, type Auth } from '../auth';
import { html, page } from '../html';

/** A short, readable name for a User-Agent string ("Firefox unter Windows"); the full string is in the title. */
const BROWSERS: Array<[RegExp, string]> = [
  [/Edg\//, 'Edge'],
  [/Firefox\//, 'Firefox'],
  [/Chrome\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: Array<[RegExp, string]> = [
  [/Windows/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/Linux/, 'Linux'],
];

function browserName(ua: string | null): string {
  if (!ua) return 'unbekannt';
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (!browser) return ua.slice(0, 60);
  return system ? `${browser} unter ${system}` : browser;
}

export function sessionPages(deps: Pick<AppDeps, 'db'>, auth: Auth) {
  const router = Router();

  router.get('/sitzungen', async (req: Request, res: Response) => {
    const sessions = await auth.activeSessions(req.user!.id);
    res.send(
      page({
        title: 'Meine Sitzungen',
        user: req.user,
        csrf: req.csrfToken,
        body: html` <p>
            Hier stehen alle Stellen, an denen Sie gerade angemeldet sind. Eine Sitzung im Browser endet nach ${auth.idleMinutes} Minuten
            ohne Aktivität von selbst.
          </p>
          <table>
            <caption>
              Aktive Sitzungen (${sessions.length})
            </caption>
            <thead>
              <tr>
                <th scope="col">Art</th>
                <th scope="col">Browser</th>
                <th scope="col">Adresse</th>
                <th scope="col">Angemeldet</th>
                <th scope="col">Zuletzt aktiv</th>
                <th scope="col">Gültig bis</th>
              </tr>
            </thead>
            <tbody>
              ${sessions.map(
                (s) => html`<tr${s.id === req.sessionId ? html` aria-current="true"` : ''}>
                  <td>${s.kind === 'api' ? 'API-Token' : 'Browser'}${s.id === req.sessionId ? html` <strong>(diese Sitzung)</strong>` : ''}</td>
                  <td title="${s.userAgent ?? ''}">${browserName(s.userAgent)}</td>
                  <td>${s.ip ?? 'unbekannt'}</td>
                  <td>${formatDateTime(s.createdAt)}</td>
                  <td>${formatDateTime(s.lastSeenAt)}</td>
                  <td>${formatDateTime(s.expiresAt)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
          <form method="post" action="/sitzungen/ueberall-abmelden">
            <input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}" />
            <p class="hint" id="ueberall-hinweis">Beendet alle Sitzungen und API-Token, auch diese hier. Danach melden Sie sich neu an.</p>
            <button type="submit" aria-describedby="ueberall-hinweis">Überall abmelden</button>
          </form>`,
      }),
    );
  });

  router.post('/sitzungen/ueberall-abmelden', async (req: Request, res: Response) => {
    const ended = await auth.revokeAll(req.user!.id);
    await audit(deps.db, actorOf(req), 'session.revoke_all', { type: 'User', id: req.user!.id }, { sessions: ended });
    auth.clearSessionCookie(res);
    res.redirect(303, '/login');
  });

  return router;
}
