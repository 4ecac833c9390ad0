// Page routes declare who may open them: `pages.get(path, roles, handler)` with a role set from
// access.ts (or 'login' for every logged-in user; the service then decides per record). A user
// outside the set gets 403 with the route's German message before the handler runs.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from '../deps';
import type { RoleSet } from '../access';
import { forbidden } from '../errors';
import { page, type SafeHtml } from '../html';

type Handler = (req: Request, res: Response, next: NextFunction) => unknown;

export interface PageAccess {
  roles: RoleSet | 'login';
  /** the message of the 403 for other roles */
  denied?: string;
}

export function pageRouter() {
  const router = Router();
  const guard = (access: PageAccess, handler: Handler) => (req: Request, res: Response, next: NextFunction) => {
    if (access.roles !== 'login' && !(access.roles as readonly string[]).includes(req.user!.role)) throw forbidden(access.denied);
    return handler(req, res, next);
  };
  return {
    router,
    get: (path: string, access: PageAccess, handler: Handler) => {
      router.get(path, guard(access, handler));
    },
    post: (path: string, access: PageAccess, handler: Handler) => {
      router.post(path, guard(access, handler));
    },
  };
}

/** The layout with the logged-in user's navigation (pages behind the login). */
export const layout = (deps: Pick<AppDeps, 'capture'>, req: Request, title: string, body: SafeHtml) =>
  page({ title, body, user: req.user, csrf: req.csrfToken, devInbox: Boolean(deps.capture) });

export const LOGIN: PageAccess = { roles: 'login' };
