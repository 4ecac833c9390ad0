// Documents of a case (lease, WBS, decisions, certificates): PDF, JPEG or PNG — recognised by their
// first bytes, never by name or declared type — up to 10 MB. Upload and every download are audited;
// a chain step whose definition says `requiresDocument` accepts its outcome only once a document was
// uploaded for it (processId + stepKey).
import crypto from 'node:crypto';
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { AuthUser } from '../auth';
import { badRequest, conflict, HttpError, notFound } from '../errors';
import { caseForChange } from './cases';
import { caseForRead } from './case-cycle';
import { postgresDocumentStore, type DocumentStore } from './document-store';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
const TX = { timeout: 30_000, maxWait: 5_000 };

export const DOCUMENT_TYPES = [
  { mediaType: 'application/pdf', ext: 'pdf', magic: [Buffer.from('%PDF-')] },
  { mediaType: 'image/jpeg', ext: 'jpg', magic: [Buffer.from([0xff, 0xd8, 0xff])] },
  { mediaType: 'image/png', ext: 'png', magic: [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])] },
] as const;

/** The file's type by its first bytes, or undefined. */
export function sniffDocumentType(content: Buffer) {
  return DOCUMENT_TYPES.find((t) => t.magic.some((m) => content.subarray(0, m.length).equals(m)));
}

/** A file name safe for the header and the list: no path, no control characters, at most 120 characters. */
export function cleanFileName(name: string | undefined, ext: string) {
  const base = (name ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 120);
  return base || `dokument.${ext}`;
}

export const tooLarge = () => new HttpError(413, 'too_large', 'Die Datei ist größer als 10 MB.');

export async function addDocument(
  db: Db,
  user: AuthUser,
  actor: Actor,
  caseId: string,
  file: { name?: string; content: Buffer },
  link: { processId?: string; stepKey?: string } = {},
  store?: DocumentStore,
) {
  await caseForChange(db, user, caseId);
  if (file.content.length > MAX_DOCUMENT_BYTES) throw tooLarge();
  if (!file.content.length) throw badRequest('Die Datei ist leer.', [{ field: 'file', message: 'Datei: leer' }]);
  const type = sniffDocumentType(file.content);
  if (!type)
    throw new HttpError(415, 'unsupported_type', 'Nur PDF, JPEG oder PNG (erkannt am Inhalt der Datei).', [
      { field: 'file', message: 'Datei: Typ nicht erlaubt' },
    ]);
  if (link.processId) {
    const p = await db.process.findFirst({ where: { id: link.processId, caseId }, select: { id: true } });
    if (!p) throw badRequest('Die Kette gehört nicht zu diesem Fall.', [{ field: 'processId', message: 'Kette: unbekannt' }]);
    if (!link.stepKey) throw badRequest('Schritt fehlt.', [{ field: 'stepKey', message: 'Schritt fehlt' }]);
  }
  return db.$transaction(async (tx) => {
    const d = await tx.caseDocument.create({
      data: {
        caseId,
        fileName: cleanFileName(file.name, type.ext),
        mediaType: type.mediaType,
        size: file.content.length,
        sha256: crypto.createHash('sha256').update(file.content).digest('hex'),
        processId: link.processId ?? null,
        stepKey: link.processId ? (link.stepKey ?? null) : null,
        uploadedById: user.id,
      },
    });
    await (store ?? postgresDocumentStore(tx)).put(d.id, file.content);
    await audit(
      tx,
      actor,
      'case.document.add',
      { type: 'CaseDocument', id: d.id, caseId },
      {
        mediaType: d.mediaType,
        size: d.size,
        ...(d.processId ? { processId: d.processId, stepKey: d.stepKey } : {}),
      },
    );
    return d;
  }, TX);
}

export async function listDocuments(db: Db, user: AuthUser, actor: Actor, caseId: string) {
  await caseForRead(db, user, actor, caseId, 'case.document.read');
  const items = await db.caseDocument.findMany({ where: { caseId }, orderBy: { createdAt: 'desc' }, take: 500 });
  await audit(db, actor, 'case.document.list', { type: 'Case', id: caseId, caseId });
  return items;
}

/** One document's content; the download is audited. */
export async function readDocument(db: Db, user: AuthUser, actor: Actor, caseId: string, documentId: string, store?: DocumentStore) {
  await caseForRead(db, user, actor, caseId, 'case.document.read');
  const d = await db.caseDocument.findFirst({ where: { id: documentId, caseId } });
  if (!d) throw notFound('Dokument');
  const content = await (store ?? postgresDocumentStore(db)).get(d.id);
  if (!content) throw notFound('Dokument');
  await audit(db, actor, 'case.document.download', { type: 'CaseDocument', id: d.id, caseId });
  return { document: d, content };
}

/** For a step whose definition requires a document: refuses the outcome until one was uploaded for it. */
export async function requireStepDocument(db: Db, processId: string, stepKey: string, stepTitle: string) {
  const d = await db.caseDocument.findFirst({ where: { processId, stepKey }, select: { id: true } });
  if (!d)
    throw conflict(`Für den Schritt „${stepTitle}“ muss zuerst ein Dokument hochgeladen werden (z. B. der unterschriebene Mietvertrag).`, {
      field: 'file',
    });
}

/** Content-Disposition with the name in ASCII and RFC 5987 form. */
export function contentDisposition(name: string) {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
