// The chain diagram: a server-rendered inline SVG of a chain definition's steps in order (boxes,
// arrows), each step's state from the process's step rows, the current step highlighted with who holds
// it and its due date. Edges to the next box are straight arrows; forward jumps run on the left,
// back-edges (loops) as dashed arrows on the right. No script, no inline styles: geometry and fonts
// as presentation attributes, colours through classes in app.css (contrast ≥ 4.5:1 for text,
// ≥ 3:1 for borders and arrows). Below the SVG: a text alternative (ordered list) for screen readers.
import { formatDate } from '../../core/format/dates';
import type { ChainDefinition } from '../../core/domain/chains';
import type { StepPhase } from '../../core/domain/chains/state';
import { html, type SafeHtml } from '../html';

export type StepState = 'done' | 'skipped' | 'current' | 'upcoming' | 'bypassed' | 'cancelled';

export interface DiagramCurrent {
  key: string;
  phase: StepPhase;
  /** who holds the step: a department's name or „Fallmanagement“ (consent: the department it waits for) */
  holder: string;
  dueAt?: Date | string | null;
  activeFrom?: Date | string | null;
  overdue?: boolean;
  /** this branch alone is held (hold per branch) */
  held?: boolean;
}

export interface DiagramStepRow {
  seq: number;
  key: string;
  status: string;
  outcome: string | null;
}

export interface DiagramInput {
  /** unique on the page (ids of title, desc, markers) */
  id: string;
  definition: ChainDefinition;
  status: 'running' | 'on_hold' | 'completed' | 'cancelled';
  steps: DiagramStepRow[];
  current?: DiagramCurrent;
  /** every open step while parallel branches run (each drawn as current); `current` is the first */
  currents?: DiagramCurrent[];
}

export interface StepView {
  key: string;
  index: number;
  title: string;
  state: StepState;
  text: string;
  earlier?: string;
}

const STATE_GLYPH: Record<StepState, string> = { done: '✓', skipped: '↷', current: '▶', upcoming: '○', bypassed: '–', cancelled: '✕' };

function currentText(c: DiagramCurrent, status: DiagramInput['status']): string {
  const parts: string[] = [];
  if (status === 'on_hold') parts.push('angehalten');
  else if (c.held) parts.push('Zweig angehalten');
  if (c.phase === 'waiting') {
    parts.push(c.activeFrom ? `wartet, beginnt am ${formatDate(c.activeFrom)}` : 'wartet');
  } else {
    parts.push(
      c.phase === 'returned'
        ? 'zurückgegeben an Fallmanagement'
        : c.phase === 'handoff'
          ? `bei ${c.holder}`
          : c.phase === 'consent'
            ? `wartet: Einwilligung für ${c.holder} fehlt`
            : `aktuell bei ${c.holder}`,
    );
    if (c.dueAt) parts.push(`fällig bis ${formatDate(c.dueAt)}`);
  }
  if (c.overdue) parts.push('überfällig');
  return parts.join(' · ');
}

/** The state of every step of the definition, in definition order. */
export function stepViews(input: DiagramInput): StepView[] {
  const def = input.definition;
  const order = Object.keys(def.steps);
  const pos = new Map(order.map((k, i) => [k, i]));
  const latest = new Map<string, DiagramStepRow>();
  for (const r of [...input.steps].sort((a, b) => a.seq - b.seq)) latest.set(r.key, r);
  const ended = input.status === 'completed' || input.status === 'cancelled';
  const curs = ended
    ? []
    : (input.currents?.length ? input.currents : input.current ? [input.current] : []).filter((c) => def.steps[c.key]);
  const cur = curs[0];
  const curPos = curs.length ? Math.min(...curs.map((c) => pos.get(c.key)!)) : Infinity;
  const outcomeLabel = (key: string, o: string | null) => (o ? (def.steps[key]?.outcomes[o]?.label ?? o) : '');

  return order.map((key, index) => {
    const title = def.steps[key].title;
    const here = curs.find((c) => c.key === key);
    if (here) return { key, index, title, state: 'current', text: currentText(here, input.status) };
    const row = latest.get(key);
    if (!row) {
      const bypassed = ended || index < curPos;
      return { key, index, title, state: bypassed ? 'bypassed' : 'upcoming', text: bypassed ? 'nicht durchlaufen' : 'offen' };
    }
    if (row.status === 'cancelled') return { key, index, title, state: 'cancelled', text: 'abgebrochen' };
    if (row.status === 'done' || row.status === 'skipped') {
      const earlier = row.status === 'skipped' ? 'übersprungen' : outcomeLabel(key, row.outcome);
      // done in an earlier pass, but the chain has looped back before it: it comes again
      if (cur && index > curPos) return { key, index, title, state: 'upcoming', text: `offen (zuvor: ${earlier})`, earlier };
      if (row.status === 'skipped') return { key, index, title, state: 'skipped', text: 'übersprungen' };
      return { key, index, title, state: 'done', text: `erledigt: ${earlier}` };
    }
    return { key, index, title, state: ended ? 'bypassed' : 'upcoming', text: ended ? 'nicht abgeschlossen' : 'offen' };
  });
}

interface Edge {
  from: number;
  to: number;
  labels: string[];
}

/** The definition's edges between steps (to: index; the end is order.length). */
export function chainEdges(def: ChainDefinition): Edge[] {
  const order = Object.keys(def.steps);
  const pos = new Map(order.map((k, i) => [k, i]));
  const edges = new Map<string, Edge>();
  const add = (from: number, to: number, label: string) => {
    const id = `${from}>${to}`;
    const e = edges.get(id) ?? { from, to, labels: [] };
    e.labels.push(label);
    edges.set(id, e);
  };
  order.forEach((key, from) => {
    const a = def.steps[key].actor;
    // a fork starts each branch at the same time
    if (a.kind === 'fork') for (const b of a.branches) if (pos.has(b)) add(from, pos.get(b)!, 'parallel');
    for (const o of Object.values(def.steps[key].outcomes)) {
      if (o.next === 'join') {
        // a branch is done: the chain goes on where the fork's "joined" leads once every branch is
        const fork = forkOf(def, key);
        const next = fork ? def.steps[fork].outcomes.joined?.next : undefined;
        const to = next === undefined ? undefined : next === 'end' ? order.length : pos.get(next);
        if (to !== undefined) add(from, to, `${o.label} (Zweig fertig)`);
        continue;
      }
      const to = o.next === 'end' ? order.length : pos.get(o.next);
      if (to === undefined) continue;
      const id = `${from}>${to}`;
      const e = edges.get(id) ?? { from, to, labels: [] };
      e.labels.push(o.label);
      edges.set(id, e);
    }
  });
  return [...edges.values()];
}

/** The fork step a step's branch belongs to (reachable from one of its branches without leaving it). */
export function forkOf(def: ChainDefinition, key: string): string | undefined {
  for (const [f, s] of Object.entries(def.steps)) {
    if (s.actor.kind !== 'fork') continue;
    const seen = new Set<string>();
    const queue = [...s.actor.branches];
    while (queue.length) {
      const k = queue.shift()!;
      if (seen.has(k) || !def.steps[k]) continue;
      seen.add(k);
      for (const o of Object.values(def.steps[k].outcomes)) if (o.next !== 'end' && o.next !== 'join') queue.push(o.next);
    }
    if (seen.has(key)) return f;
  }
  return undefined;
}

/** Lanes beside the boxes: shorter spans inside, overlapping (or touching) spans in different lanes. */
function assignLanes(edges: Edge[]): Map<Edge, number> {
  const lanes: Array<Array<[number, number]>> = [];
  const out = new Map<Edge, number>();
  const span = (e: Edge): [number, number] => [Math.min(e.from, e.to), Math.max(e.from, e.to)];
  for (const e of [...edges].sort((a, b) => span(a)[1] - span(a)[0] - (span(b)[1] - span(b)[0]) || span(a)[0] - span(b)[0])) {
    const [lo, hi] = span(e);
    let lane = lanes.findIndex((l) => l.every(([a, b]) => hi < a || lo > b));
    if (lane < 0) {
      lane = lanes.length;
      lanes.push([]);
    }
    lanes[lane].push([lo, hi]);
    out.set(e, lane);
  }
  return out;
}

/** A rough width of text in DejaVu Sans / system-ui (px), to squeeze only what would overflow. */
function textWidth(s: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of s) {
    if (" .,;:!|il()/[]'’`".includes(ch)) em += 0.33;
    else if ('fjrt-'.includes(ch)) em += 0.42;
    else if (/[A-ZÄÖÜmwMW§%]/.test(ch)) em += 0.78;
    else em += 0.62;
  }
  return em * size * (bold ? 1.1 : 1);
}

const fit = (s: string, size: number, max: number, bold = false) =>
  textWidth(s, size, bold) > max ? html` textLength="${Math.floor(max)}" lengthAdjust="spacingAndGlyphs"` : '';

const BOX_W = 520;
const BOX_H = 44;
const GAP = 16;
const LANE = 14;
const PAD = 12;

export function chainDiagram(input: DiagramInput): SafeHtml {
  const def = input.definition;
  const views = stepViews(input);
  const edges = chainEdges(def);
  const n = views.length;
  const adjacent = edges.filter((e) => e.to === e.from + 1);
  const forward = edges.filter((e) => e.to > e.from + 1);
  const back = edges.filter((e) => e.to <= e.from);
  const leftLanes = assignLanes(forward);
  const rightLanes = assignLanes(back.filter((e) => e.to !== e.from));
  const nLeft = Math.max(0, ...leftLanes.values()) + (forward.length ? 1 : 0);
  const nRight = Math.max(0, ...rightLanes.values()) + (rightLanes.size ? 1 : 0);
  const hasSelf = back.some((e) => e.to === e.from);
  const x0 = PAD + 10 + nLeft * LANE;
  const x1 = x0 + BOX_W;
  const width = x1 + Math.max(nRight * LANE + 10, hasSelf ? 30 : 0) + PAD;
  const top = (i: number) => PAD + i * (BOX_H + GAP);
  const endY = top(n);
  const END_H = 30;
  const height = endY + END_H + PAD;
  const p = `cd-${input.id.replace(/[^\w-]/g, '').slice(0, 40)}`;
  const yOut = (i: number) => (i >= n ? endY + END_H / 2 : top(i) + BOX_H * 0.68);
  const yIn = (i: number) => (i >= n ? endY + END_H / 2 : top(i) + BOX_H * 0.32);
  const endX0 = x0 + BOX_W / 2 - 50;

  const boxes = views.map((v) => {
    const y = top(v.index);
    const title = `${v.index + 1}. ${v.title}`;
    const status = `${STATE_GLYPH[v.state]} ${v.text}`;
    return html`<g class="cd-step cd-${v.state}">
    <rect x="${x0}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="6" ry="6" stroke-width="${v.state === 'current' ? 4 : 2}"${v.state === 'bypassed' ? html` stroke-dasharray="4 4"` : ''}></rect>
    <text class="cd-title" x="${x0 + 12}" y="${y + 18}" font-size="14" font-weight="${v.state === 'current' ? 700 : 600}"${fit(title, 14, BOX_W - 24, true)}>${title}</text>
    <text class="cd-state" x="${x0 + 12}" y="${y + 36}" font-size="13"${v.state === 'current' ? html` font-weight="700"` : ''}${fit(status, 13, BOX_W - 24, v.state === 'current')}>${status}</text>
  </g>`;
  });

  const arrows = adjacent.map((e) => {
    const x = x0 + BOX_W / 2;
    const y1 = top(e.from) + BOX_H;
    const y2 = e.to >= n ? endY : top(e.to);
    return html`<path class="cd-edge" d="M${x} ${y1} V${y2 - 2}" marker-end="url(#${p}-arrow)"></path>`;
  });

  const side = (e: Edge, lane: number, left: boolean) => {
    const r = 6;
    const ya = yOut(e.from);
    const yb = yIn(e.to);
    const xa = left ? x0 : x1;
    const xb = e.to >= n ? (left ? endX0 : endX0 + 100) : xa;
    const xl = left ? x0 - 10 - lane * LANE : x1 + 10 + lane * LANE;
    const s = left ? 1 : -1; // direction back towards the boxes
    const dy = yb > ya ? 1 : -1;
    const d = `M${xa} ${ya} H${xl + s * r} Q${xl} ${ya} ${xl} ${ya + dy * r} V${yb - dy * r} Q${xl} ${yb} ${xl + s * r} ${yb} H${xb + (left ? -2 : 2)}`;
    return html`<path class="${left ? 'cd-edge' : 'cd-edge cd-back'}" d="${d}"${left ? '' : html` stroke-dasharray="6 4"`} marker-end="url(#${p}-${left ? 'arrow' : 'arrow-back'})"></path>`;
  };
  const self = back
    .filter((e) => e.to === e.from)
    .map((e) => {
      const y = top(e.from);
      return html`<path class="cd-edge cd-back" d="M${x1} ${y + 12} C${x1 + 26} ${y + 6} ${x1 + 26} ${y + BOX_H - 6} ${x1 + 2} ${y + BOX_H - 12}" stroke-dasharray="6 4" marker-end="url(#${p}-arrow-back)"></path>`;
    });

  // the description (for screen readers with the SVG; the list below has every step)
  const currentViews = views.filter((v) => v.state === 'current');
  const cur = currentViews[0];
  const forks = Object.entries(def.steps).flatMap(([, st]) =>
    st.actor.kind === 'fork'
      ? [`${st.title} teilt sich in parallele Zweige: ${st.actor.branches.map((b) => def.steps[b]?.title ?? b).join(' und ')}`]
      : [],
  );
  const doneCount = views.filter((v) => v.state === 'done' || v.state === 'skipped').length;
  const loops = back.map((e) =>
    e.to === e.from
      ? `${views[e.from].title} (${e.labels.join(' / ')}) wird wiederholt`
      : `${views[e.from].title} (${e.labels.join(' / ')}) zurück zu ${views[e.to].title}`,
  );
  const jumps = forward.map((e) => `${views[e.from].title} (${e.labels.join(' / ')}) weiter zu ${e.to >= n ? 'Ende' : views[e.to].title}`);
  const desc = [
    `${def.title}, ${n} Schritte.`,
    forks.length ? `${forks.join('; ')}.` : '',
    currentViews.length > 1
      ? `Aktuelle Schritte (parallel): ${currentViews.map((v) => `${v.index + 1}. ${v.title}, ${v.text}`).join('; ')}.`
      : cur
        ? `Aktueller Schritt ${cur.index + 1}: ${cur.title}, ${cur.text}.`
        : input.status === 'completed'
          ? 'Die Kette ist abgeschlossen.'
          : input.status === 'cancelled'
            ? 'Die Kette wurde abgebrochen.'
            : '',
    `${doneCount} ${doneCount === 1 ? 'Schritt' : 'Schritte'} erledigt.`,
    loops.length ? `Rücksprünge: ${loops.join('; ')}.` : '',
    jumps.length ? `Sprünge: ${jumps.join('; ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');

  return html`<figure class="chain-figure">
<svg class="chain-diagram" role="img" aria-labelledby="${p}-title" aria-describedby="${p}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, 'DejaVu Sans', Arial, sans-serif" focusable="false">
  <title id="${p}-title">Ablauf der Kette: ${def.title}</title>
  <desc id="${p}-desc">${desc}</desc>
  <defs>
    <marker id="${p}-arrow" class="cd-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"></path></marker>
    <marker id="${p}-arrow-back" class="cd-arrowhead cd-back" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"></path></marker>
  </defs>
  ${arrows}
  ${forward.map((e) => side(e, leftLanes.get(e)!, true))}
  ${back.filter((e) => e.to !== e.from).map((e) => side(e, rightLanes.get(e)!, false))}
  ${self}
  ${boxes}
  <g class="cd-step cd-end"><rect x="${endX0}" y="${endY}" width="100" height="${END_H}" rx="15" ry="15" stroke-width="2"></rect>
  <text class="cd-title" x="${endX0 + 50}" y="${endY + 20}" font-size="14" font-weight="600" text-anchor="middle">Ende</text></g>
</svg>
<figcaption class="hint">Legende: ✓ erledigt, ▶ aktueller Schritt (dicker Rahmen), ○ offen, – nicht durchlaufen, ↷ übersprungen.
  Pfeile links: Sprünge nach vorn; gestrichelte Pfeile rechts: Rücksprünge${loops.length ? ` (${back.map((e) => `${views[e.from].title}: ${e.labels.join(' / ')} → ${e.to === e.from ? 'erneut' : views[e.to].title}`).join('; ')})` : ''}.</figcaption>
</figure>
<ol class="visually-hidden" aria-label="Schritte der Kette ${def.title}">
  ${views.map((v) => html`<li${v.state === 'current' ? html` aria-current="step"` : ''}>${v.title}: ${v.text}</li>`)}
</ol>`;
}
