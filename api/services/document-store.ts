// Where the bytes of case documents live: one small interface, so that an S3-compatible store (or a
// folder under KIM_DATA_DIR) can replace the PostgreSQL one without touching the callers. Metadata
// (name, type, size, hash, case) is always in the CaseDocument table; only the content is here.
import type { Db } from '../../core/db/client';

export interface DocumentStore {
  put(documentId: string, content: Buffer): Promise<void>;
  get(documentId: string): Promise<Buffer | undefined>;
  delete(documentIds: string[]): Promise<void>;
}

/** Content as bytea in CaseDocumentBlob (backed up with the database, deleted in the same transaction as its row). */
export function postgresDocumentStore(db: Pick<Db, 'caseDocumentBlob'>): DocumentStore {
  return {
    async put(documentId, content) {
      await db.caseDocumentBlob.create({ data: { documentId, content: new Uint8Array(content) } });
    },
    async get(documentId) {
      const row = await db.caseDocumentBlob.findUnique({ where: { documentId } });
      return row ? Buffer.from(row.content) : undefined;
    },
    async delete(documentIds) {
      if (documentIds.length) await db.caseDocumentBlob.deleteMany({ where: { documentId: { in: documentIds } } });
    },
  };
}
