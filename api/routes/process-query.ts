// The filters of the process list: GET /api/processes (JSON), /api/processes.csv and the list pages.
import { z } from 'zod';
import { CHAIN_TYPES } from '../../core/domain/chains';

export const PROCESS_STATUSES = ['running', 'on_hold', 'completed', 'cancelled'] as const;

export const processQuery = z.object({
  type: z.enum(CHAIN_TYPES, { error: `Typ muss ${CHAIN_TYPES.join(' oder ')} sein` }).optional(),
  status: z.enum(PROCESS_STATUSES, { error: 'Status muss running, on_hold, completed oder cancelled sein' }).optional(),
  department: z.string().max(64).optional(),
  overdue: z
    .enum(['true', 'false'], { error: 'overdue muss true oder false sein' })
    .transform((v) => v === 'true')
    .optional(),
  caseId: z.uuid({ error: 'caseId ungültig' }).optional(),
  limit: z.coerce
    .number({ error: 'limit muss eine Zahl sein' })
    .int()
    .min(1, 'limit mindestens 1')
    .max(200, 'limit höchstens 200')
    .default(50),
  cursor: z.string().max(400, 'cursor zu lang').optional(),
  caseworker: z.uuid({ error: 'caseworker muss die ID einer Fallmanagerin / eines Fallmanagers sein' }).optional(),
  step: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'step muss ein Schritt-Schlüssel sein (z. B. wbs)')
    .optional(),
  olderThanDays: z.coerce
    .number({ error: 'olderThanDays muss eine Zahl sein' })
    .int('olderThanDays muss eine ganze Zahl sein')
    .min(0, 'olderThanDays mindestens 0')
    .max(3650, 'olderThanDays höchstens 3650')
    .optional(),
  q: z.string().trim().min(1, 'q darf nicht leer sein').max(64, 'q höchstens 64 Zeichen').optional(),
  sort: z.enum(['startedAt', 'dueAt'], { error: 'sort muss startedAt oder dueAt sein' }).optional(),
  order: z.enum(['asc', 'desc'], { error: 'order muss asc oder desc sein' }).optional(),
});
