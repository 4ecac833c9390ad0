import { suppressCount, suppressTable, SUPPRESSED as S } from '../../core/domain/suppression';

describe('small-cell suppression', () => {
  it('primary: 1–4 become „< 5“, 0 and ≥ 5 stay', () => {
    expect(suppressTable({ cells: [[0, 1, 4, 5, 12]] }).cells).toEqual([[0, S, S, 5, 12]]);
    expect([0, 1, 4, 5].map(suppressCount)).toEqual([0, S, S, 5]);
  });

  it('secondary: a single hidden cell in a row with a total hides the next smallest cell', () => {
    const t = suppressTable({ cells: [[3, 10, 20]], rowTotals: true });
    expect(t.cells).toEqual([[S, S, 20]]);
    expect(t.rowTotals).toEqual([33]);
  });

  it('secondary: when no other cell can hide it, the total is hidden', () => {
    const t = suppressTable({ cells: [[2, 0]], rowTotals: true });
    expect(t.cells).toEqual([[S, 0]]);
    expect(t.rowTotals).toEqual([S]);
  });

  it('rows and columns with totals: no line keeps exactly one hidden cell', () => {
    const cells = [
      [1, 12, 30],
      [7, 9, 40],
      [8, 15, 2],
    ];
    const t = suppressTable({ cells, rowTotals: true, colTotals: true });
    const grid = [...t.cells.map((row, r) => [...row, t.rowTotals![r]]), [...t.colTotals!, t.total!]];
    for (const line of [...grid, ...grid[0].map((_, c) => grid.map((row) => row[c]))]) {
      expect(line.filter((v) => v === S).length).not.toBe(1);
    }
    // every shown number is the true count
    cells.forEach((row, r) => row.forEach((v, c) => t.cells[r][c] !== S && expect(t.cells[r][c]).toBe(v)));
    expect(t.total).toBe(124);
  });

  it('a planted single case cannot be computed back from any total', () => {
    // one placement of a rare kind among many
    const t = suppressTable({ cells: [[1, 25, 30, 0]], rowTotals: true, colTotals: true });
    expect(t.cells[0][0]).toBe(S);
    const shown = [...t.cells[0], t.rowTotals![0]];
    expect(shown.filter((v) => v === S).length).toBeGreaterThanOrEqual(2);
  });
});
