// Small-cell suppression for public committee papers (issue: reports). Pure and deterministic.
// Primary: every count from 1 to 4 is shown as „< 5“ (0 stays 0: it reveals no one). Secondary: where a
// row or column has a published total, a single suppressed cell could be computed back (total minus
// the others), so a second cell of that row/column is suppressed too — the smallest other non-zero
// count, else the total itself. Repeated over rows and columns until nothing changes.

export const SUPPRESSED = '< 5' as const;
export const MIN_CELL = 5;
export type Cell = number | typeof SUPPRESSED;

export interface CountTable {
  /** counts, rows × columns */
  cells: number[][];
  /** publish a total per row (last column) / per column (last row) */
  rowTotals?: boolean;
  colTotals?: boolean;
}

export interface SuppressedTable {
  cells: Cell[][];
  rowTotals?: Cell[];
  colTotals?: Cell[];
  /** the grand total (when both totals are published) */
  total?: Cell;
}

const small = (n: number) => n > 0 && n < MIN_CELL;

/**
 * Suppresses a table of counts. Totals are computed from the cells (never passed in), so they are
 * consistent with them. The result's numbers are the true counts wherever they are shown.
 */
export function suppressTable(t: CountTable): SuppressedTable {
  const rows = t.cells.length;
  const cols = rows ? t.cells[0].length : 0;
  // an extended grid: cells, then (optionally) a totals column and a totals row
  const R = rows + (t.colTotals ? 1 : 0);
  const C = cols + (t.rowTotals ? 1 : 0);
  const value: number[][] = [];
  for (let r = 0; r < R; r++) {
    value.push([]);
    for (let c = 0; c < C; c++) {
      const inR = r < rows;
      const inC = c < cols;
      let v: number;
      if (inR && inC) v = t.cells[r][c];
      else if (inR) v = t.cells[r].reduce((a, b) => a + b, 0);
      else if (inC) v = t.cells.reduce((a, row) => a + row[c], 0);
      else v = t.cells.flat().reduce((a, b) => a + b, 0);
      value[r].push(v);
    }
  }
  const hidden = value.map((row) => row.map(small));
  // lines that carry a published total: every row when rowTotals (total in column C-1), likewise columns
  const lines: Array<Array<[number, number]>> = [];
  if (t.rowTotals) for (let r = 0; r < R; r++) lines.push(Array.from({ length: C }, (_, c) => [r, c] as [number, number]));
  if (t.colTotals) for (let c = 0; c < C; c++) lines.push(Array.from({ length: R }, (_, r) => [r, c] as [number, number]));
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const hiddenCount = line.filter(([r, c]) => hidden[r][c]).length;
      if (hiddenCount !== 1) continue;
      // suppress the smallest other non-zero shown cell; the line's total (its last position) last
      const candidates = line
        .slice(0, -1)
        .filter(([r, c]) => !hidden[r][c] && value[r][c] > 0)
        .sort(([r1, c1], [r2, c2]) => value[r1][c1] - value[r2][c2] || r1 - r2 || c1 - c2);
      const [r, c] = candidates[0] ?? line[line.length - 1];
      hidden[r][c] = true;
      changed = true;
    }
  }
  const show = (r: number, c: number): Cell => (hidden[r][c] ? SUPPRESSED : value[r][c]);
  const out: SuppressedTable = { cells: t.cells.map((row, r) => row.map((_, c) => show(r, c))) };
  if (t.rowTotals) out.rowTotals = t.cells.map((_, r) => show(r, cols));
  if (t.colTotals) out.colTotals = Array.from({ length: cols }, (_, c) => show(rows, c));
  if (t.rowTotals && t.colTotals) out.total = show(rows, cols);
  return out;
}

/** A single count (no table): „< 5“ for 1–4. */
export const suppressCount = (n: number): Cell => (small(n) ? SUPPRESSED : n);

/** A statistic (median, share) over `n` cases is only published when n ≥ 5; else null. */
export const statisticOver = <T>(n: number, value: T): T | null => (n >= MIN_CELL ? value : null);
