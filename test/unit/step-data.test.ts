// The zod-free data checks the workflow bundle uses (issue 17, P4: no zod in the workflows) give the
// same answer as the zod schemas the API uses: for a chain step's fields (checkStepData vs
// stepDataSchema) and a handoff step's returned data (checkHandoffData vs HANDOFF_STEPS[key].data) —
// the same parsed data (text trimmed) or the same issues (path and message, in order). The zod schemas
// of the handoff steps, now built from their field list, still answer like the literal ones before.
import { z } from 'zod';
import { chainDefinitionFor, stepDataSchema, type StepDefinition } from '../../core/domain/chains';
import { checkStepData } from '../../core/domain/chains/step-data';
import { checkCompletion, HANDOFF_STEPS } from '../../core/domain/handoff';
import { checkHandoffData, HANDOFF_STEP_SPECS } from '../../core/domain/handoff-core';

type Answer = { ok: true; data: unknown } | { ok: false; issues: Array<{ path: string[]; message: string }> };

function zodAnswer(schema: z.ZodType, input: unknown): Answer {
  const r = schema.safeParse(input);
  return r.success
    ? { ok: true, data: r.data }
    : { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) };
}

const odd: unknown[] = [undefined, null, true, 0, -1, 1.5, 1e20, '', '  ', 'x', [], {}, ['a'], { a: 1 }];

/** A step with every kind of field, required and optional. */
const ALL_KINDS: StepDefinition = {
  title: 'Alle Feldarten',
  actor: { kind: 'caseworker' },
  optional: false,
  outcomes: { done: { label: 'fertig', next: 'end' } },
  fields: [
    { key: 'moveIn', label: 'Einzug', type: 'date', required: true },
    { key: 'rent', label: 'Miete', type: 'number', required: true, min: 0, max: 5000 },
    { key: 'rooms', label: 'Zimmer', type: 'number', required: false, min: 1 },
    { key: 'share', label: 'Anteil', type: 'number', required: false, max: 1 },
    { key: 'kind', label: 'Art', type: 'select', required: true, options: { flat: 'Wohnung', room: 'Zimmer' } },
    { key: 'street', label: 'Straße', type: 'text', required: true },
    { key: 'note', label: 'Notiz', type: 'textarea', required: false },
    { key: 'size', label: 'Größe', type: 'number', required: false },
  ],
};

const valid = { moveIn: '2026-05-01', rent: 640, kind: 'flat', street: 'Hauptstr. 1' };

function chainInputs(step: StepDefinition): unknown[] {
  const inputs: unknown[] = [undefined, null, 'text', 7, [], {}, valid, { ...valid, extra: 1 }, { ...valid, a: 1, b: 2 }];
  const base: Record<string, unknown> = {};
  for (const f of step.fields) {
    const ok =
      f.type === 'date'
        ? '2026-05-01'
        : f.type === 'number'
          ? (f.min ?? 0)
          : f.type === 'select'
            ? Object.keys(f.options ?? {})[0]
            : ' Text ';
    base[f.key] = ok;
  }
  inputs.push(base, { ...base, unknownKey: 'x' });
  for (const f of step.fields) {
    const { [f.key]: _left, ...without } = base;
    inputs.push(without, { ...base, [f.key]: undefined });
    for (const v of [
      ...odd,
      '2026-5-1',
      '2026-02-30',
      'flat',
      'room',
      'FLAT',
      f.min !== undefined ? f.min - 1 : -1e9,
      f.max !== undefined ? f.max + 1 : 1e9,
    ])
      inputs.push({ ...base, [f.key]: v });
    inputs.push(
      { ...base, [f.key]: 'x'.repeat(200) },
      { ...base, [f.key]: 'x'.repeat(201) },
      { ...base, [f.key]: ' '.repeat(5) + 'x'.repeat(200) },
    );
    inputs.push({ ...base, [f.key]: 'y'.repeat(2000) }, { ...base, [f.key]: 'y'.repeat(2001) });
  }
  // several faults at once: the issues in the same order
  inputs.push({ zzz: 1, rent: 'viel', moveIn: 5, kind: 'castle', street: '   ', note: 3, rooms: 0, share: 2, aaa: 2 });
  return inputs;
}

const shipped = (['move-out', 'education-work'] as const).flatMap((t) => Object.entries(chainDefinitionFor(t)!.steps));

describe('checkStepData answers like stepDataSchema', () => {
  test.each([['all-kinds', ALL_KINDS] as const, ...shipped.filter(([, s]) => s.fields.length)])('step %s', (_key, step) => {
    const inputs = chainInputs(step);
    expect(inputs.length).toBeGreaterThan(20);
    let valids = 0;
    for (const input of inputs) {
      const want = zodAnswer(stepDataSchema(step), input);
      const got = checkStepData(step, input);
      expect({ input, answer: got }).toEqual({ input, answer: want });
      if (want.ok) valids++;
    }
    expect(valids).toBeGreaterThan(0); // the table holds valid inputs too
  });

  test('text is trimmed, optional fields left out stay out', () => {
    expect(checkStepData(ALL_KINDS, { ...valid, street: '  Weg 2 ' })).toEqual({ ok: true, data: { ...valid, street: 'Weg 2' } });
  });
});

// The zod schemas of the handoff steps as they were written before they were built from the field
// list (core/domain/handoff.ts at b54cfbb): the API answers as before.
const note = z.string().trim().max(2000, 'Anmerkung ist zu lang (höchstens 2000 Zeichen)').optional();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT erwartet');
const euro = z.number({ error: 'Betrag muss eine Zahl sein' }).min(0, 'Betrag darf nicht negativ sein').max(100_000, 'Betrag ist zu hoch');
const BEFORE: Record<string, z.ZodType> = {
  'residence-check': z.strictObject({ note, validUntil: date.optional() }),
  wbs: z.strictObject({ note, validUntil: date.optional(), rooms: z.number().int().min(1).max(10).optional() }),
  'cost-approval': z.strictObject({ note, approvedRent: euro.optional() }),
  deposit: z.strictObject({ note, amount: euro.optional() }),
  furnishing: z.strictObject({ note, amount: euro.optional() }),
  'shelter-release': z.strictObject({ note, releasedOn: date.optional() }),
  'residence-application': z.strictObject({ note }),
  recognition: z.strictObject({ note }),
  counselling: z.strictObject({ note }),
  'school-place': z.strictObject({ note, school: z.string().trim().max(200).optional() }),
  measure: z.strictObject({ note, startDate: date.optional(), endDate: date.optional() }),
  general: z.strictObject({ note }),
  // chains v2 content (issue 14), as first written in zod
  'moving-costs': z.strictObject({ note, amount: euro.optional() }),
  'rent-direct-payment': z.strictObject({ note, from: date.optional() }),
  'address-change': z.strictObject({ note }),
  'school-change': z.strictObject({ note, school: z.string().trim().max(200).optional() }),
  'integration-course-admission': z.strictObject({ note }),
  'health-insurance': z.strictObject({ note }),
  'health-referral': z.strictObject({ note, appointment: date.optional() }),
};

function handoffInputs(keys: string[]): unknown[] {
  const inputs: unknown[] = [undefined, null, 'text', 3, [], {}, { other: 1 }, { a: 1, b: 2 }];
  const values = [...odd, ' Anm. ', 'x'.repeat(2000), ` ${'x'.repeat(2000)} `, 'x'.repeat(2001), 'y'.repeat(200), 'y'.repeat(201)];
  values.push('2026-01-31', '2026-1-31', 2, 10, 11, 0.5, 10.5, 100_000, 100_001, -0.01, 640.5);
  for (const k of keys) for (const v of values) inputs.push({ [k]: v }, { note: ' n ', [k]: v, extra: true });
  inputs.push(Object.fromEntries(keys.map((k) => [k, 'bad'])), Object.fromEntries(keys.map((k) => [k, -5])));
  return inputs;
}

describe('checkHandoffData answers like the zod schema of each handoff step', () => {
  test('every step of the catalogue is there, with the same fields', () => {
    expect(Object.keys(HANDOFF_STEP_SPECS)).toEqual(Object.keys(BEFORE));
    for (const [k, s] of Object.entries(HANDOFF_STEPS))
      expect(Object.keys(s.data.shape)).toEqual(Object.keys(HANDOFF_STEP_SPECS[k].fields));
  });

  test.each(Object.keys(BEFORE))('step %s', (key) => {
    const spec = HANDOFF_STEP_SPECS[key];
    let valids = 0;
    for (const input of handoffInputs(Object.keys(spec.fields))) {
      const want = zodAnswer(BEFORE[key], input);
      expect({ input, answer: zodAnswer(HANDOFF_STEPS[key].data, input) }).toEqual({ input, answer: want });
      expect({ input, answer: checkHandoffData(spec, input) }).toEqual({ input, answer: want });
      if (want.ok) valids++;
    }
    expect(valids).toBeGreaterThan(5);
  });

  test('checkCompletion: outcome and data, with the field named', () => {
    expect(checkCompletion('wbs', 'issued', { rooms: 3, note: ' ok ' })).toEqual({ ok: true, data: { rooms: 3, note: 'ok' } });
    expect(checkCompletion('wbs', 'issued', { rooms: 0 })).toEqual({
      ok: false,
      message: 'Ungültige Daten: data.rooms: Too small: expected number to be >=1',
      details: [{ field: 'data.rooms', message: 'Too small: expected number to be >=1' }],
    });
    expect(checkCompletion('deposit', 'approved', { amount: -1 })).toMatchObject({
      ok: false,
      details: [{ field: 'data.amount', message: 'Betrag darf nicht negativ sein' }],
    });
    expect(checkCompletion('deposit', 'maybe', {})).toMatchObject({ ok: false, details: [{ field: 'outcome' }] });
    expect(checkCompletion('nope', 'x', {})).toMatchObject({ ok: false, message: 'Unbekannter Schritt nope.' });
  });
});
