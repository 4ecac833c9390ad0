// Administration of chain definitions (admin role): /admin/ketten lists every type with its versions
// and takes an upload (JSON or YAML); /admin/ketten/pruefen checks it and shows the diff against the
// current version and a diagram preview; POST /admin/ketten publishes it (services/chain-definitions.ts,
// the same checks as POST /api/admin/chain-definitions). A second submit of the same preview stores
// nothing twice: the form names the version it was compared against.
import type { Request, Response } from 'express';
import { ROLES } from '../access';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { HttpError, notFound } from '../errors';
import {
  checkUpload,
  currentChainDefinition,
  definitionYaml,
  listChainDefinitions,
  parseDefinitionText,
  publishChainDefinition,
  readChainDefinition,
} from '../services/chain-definitions';
import type { DefinitionIssue } from '../../core/domain/chains/validation';
import { definitionPreviewView, definitionsListView, definitionVersionView, lineDiff } from '../views/admin-chain-definitions';
import { layout, pageRouter } from './page-route';

const ADMIN = { roles: ROLES.administration, denied: 'Nur die Administration kann Kettendefinitionen verwalten.' };
const TITLE = 'Kettendefinitionen';

export function chainDefinitionPages(deps: AppDeps) {
  const pages = pageRouter();

  async function renderList(req: Request, res: Response, status = 200, text?: string, issues?: DefinitionIssue[], notice?: string) {
    const items = await listChainDefinitions(deps.db);
    res.status(status).send(layout(deps, req, TITLE, definitionsListView({ items, csrf: req.csrfToken, text, issues, notice })));
  }

  const textOf = (req: Request) => (typeof req.body?.definition === 'string' ? (req.body.definition as string) : '');

  /** the upload checked; issues (also unreadable text) as a list */
  async function check(text: string) {
    let raw: unknown;
    try {
      raw = parseDefinitionText(text);
    } catch (err) {
      if (err instanceof HttpError) return { ok: false as const, issues: [{ field: 'definition', message: err.message }] };
      throw err;
    }
    return checkUpload(deps.db, raw);
  }

  pages.get('/admin/ketten', ADMIN, async (req: Request, res: Response) => {
    const ok = typeof req.query.ok === 'string' && /^[\w-]{1,40}@\d{1,6}$/.test(req.query.ok) ? req.query.ok.split('@') : undefined;
    await renderList(req, res, 200, undefined, undefined, ok ? `Version ${ok[1]} von „${ok[0]}“ veröffentlicht.` : undefined);
  });

  pages.get('/admin/ketten/:type/:version', ADMIN, async (req: Request, res: Response) => {
    const version = Number(req.params.version);
    const def = Number.isInteger(version) ? await readChainDefinition(deps.db, String(req.params.type), version) : undefined;
    if (!def) throw notFound('Kettendefinition');
    const current = await currentChainDefinition(deps.db, def.type);
    res.send(
      layout(
        deps,
        req,
        `${TITLE}: ${def.type} Version ${def.version}`,
        definitionVersionView({ definition: def, text: definitionYaml(def), current: current?.version === def.version }),
      ),
    );
  });

  pages.post('/admin/ketten/pruefen', ADMIN, async (req: Request, res: Response) => {
    const text = textOf(req);
    const checked = await check(text);
    if (!checked.ok) return renderList(req, res, 400, text, checked.issues);
    const d = checked.definition;
    const current = await currentChainDefinition(deps.db, d.type);
    const diff = lineDiff(current ? definitionYaml(current) : '', definitionYaml(d));
    res.send(layout(deps, req, `${TITLE}: Vorschau`, definitionPreviewView({ definition: d, current, diff, text, csrf: req.csrfToken })));
  });

  pages.post('/admin/ketten', ADMIN, async (req: Request, res: Response) => {
    const text = textOf(req);
    const basedOn = /^\d{1,6}$/.test(String(req.body?.basedOn ?? '')) ? Number(req.body.basedOn) : undefined;
    const checked = await check(text);
    if (!checked.ok) return renderList(req, res, 400, text, checked.issues);
    try {
      const r = await publishChainDefinition(deps.db, actorOf(req), parseDefinitionText(text), { basedOn });
      return res.redirect(303, `/admin/ketten?ok=${encodeURIComponent(`${r.type}@${r.version}`)}`);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 409) throw err;
      // the same preview submitted twice: the first submit published it
      const latest = await currentChainDefinition(deps.db, checked.definition.type);
      if (latest && definitionYaml(latest) === definitionYaml(checked.definition))
        return res.redirect(303, `/admin/ketten?ok=${encodeURIComponent(`${latest.type}@${latest.version}`)}`);
      return renderList(req, res, 409, text, [{ field: 'definition', message: err.message + ' Bitte erneut prüfen.' }]);
    }
  });

  return pages.router;
}
