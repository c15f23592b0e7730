import { describe, expect, it } from 'vitest';
import { columnWidths, type PlacedCell, placeCells, rowGroups, rowHeights, type TableColumn } from './table.ts';

const five: TableColumn[] = [{ width: 3 }, { width: 2 }, { width: 2 }, { width: 2 }, { width: 1 }];
const body = { bold: false, valign: 'top' as const };

describe('table layout', () => {
  it('places cells around row and column spans (the control sheet shape)', () => {
    const cells = placeCells(
      [
        [{ content: 'Cơ quan', rowSpan: 2 }, { content: 'Thời gian', colSpan: 2 }, { content: 'Kết quả', rowSpan: 2 }, { content: 'Ghi chú', rowSpan: 2 }],
        ['Người giao', 'Người nhận'],
      ],
      five,
      body,
    );
    expect(cells.map((c) => [c.row, c.col, c.rowSpan, c.colSpan])).toEqual([
      [0, 0, 2, 1],
      [0, 1, 1, 2],
      [0, 3, 2, 1],
      [0, 4, 2, 1],
      [1, 1, 1, 1],
      [1, 2, 1, 1],
    ]);
    expect(cells[4]?.lines).toEqual([{ text: 'Người giao', bold: false, italic: false, align: 'left' }]);
  });

  it('takes the alignment from the column unless the cell or the defaults say otherwise', () => {
    const cells = placeCells([['1', 'a', { content: 'x', align: 'right' }]], [{ width: 1, align: 'center' }, { width: 1 }, { width: 1 }], body);
    expect(cells.map((c) => c.align)).toEqual(['center', 'left', 'right']);
  });

  it('rejects rows that do not fit the columns', () => {
    expect(() => placeCells([['a', 'b', 'c']], [{ width: 1 }, { width: 1 }], body)).toThrow(/more cells/);
    expect(() => placeCells([[{ content: 'a', colSpan: 3 }]], [{ width: 1 }, { width: 1 }], body)).toThrow(/past the last column/);
    expect(() => placeCells([[{ content: 'a', rowSpan: 2 }]], [{ width: 1 }], body)).toThrow(/past the last row/);
  });

  it('shares the table width in proportion to the column weights', () => {
    expect(columnWidths([{ width: 1 }, { width: 3 }], 400)).toEqual([100, 300]);
    expect(() => columnWidths([{ width: 0 }], 400)).toThrow(RangeError);
  });

  it('sizes rows to their tallest cell and spreads what a row span still needs over its rows', () => {
    const cells = placeCells(
      [
        [{ content: 'tall', rowSpan: 2 }, 'a'],
        [{ content: 'b', minHeight: 30 }],
      ],
      [{ width: 1 }, { width: 1 }],
      body,
    );
    const measure = (c: PlacedCell) => (c.lines[0]?.text === 'tall' ? 100 : 20);
    expect(rowHeights(cells, 2, measure)).toEqual([20 + 25, 30 + 25]);
  });

  it('groups the rows tied by row spans so that they stay on one page', () => {
    const cells = placeCells(
      [
        ['x', 'y'],
        [{ content: 'a', rowSpan: 2 }, 'b'],
        ['c'],
        ['d', { content: 'e', rowSpan: 3 }],
        ['f'],
        ['g'],
        ['h', 'i'],
      ],
      [{ width: 1 }, { width: 1 }],
      body,
    );
    expect(rowGroups(cells, 7)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 7 },
    ]);
  });
});
