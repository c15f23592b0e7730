/**
 * Table layout, apart from drawing so it can be tested without a PDF: where each cell goes,
 * how tall each row is, and which rows must stay on one page together.
 *
 * A cell may span columns (colSpan) and rows (rowSpan). Rows tied together by a rowSpan form
 * one group that never breaks across pages; the header rows are repeated on every page.
 */
export type Align = 'left' | 'center' | 'right' | 'justify';
export type VAlign = 'top' | 'middle' | 'bottom';

/** One paragraph inside a cell. */
export interface CellLine {
  text: string;
  bold?: boolean;
  italic?: boolean;
  align?: Align;
  /** Font size in pt; the table's size when absent. */
  size?: number;
}

export interface TableCell {
  /** A string (may contain "\n"), or paragraphs with their own style. */
  content: string | number | (string | CellLine)[];
  colSpan?: number;
  rowSpan?: number;
  align?: Align;
  valign?: VAlign;
  bold?: boolean;
  italic?: boolean;
  /** Minimum height in pt, e.g. room for a handwritten signature. */
  minHeight?: number;
}

export type TableCellInput = string | number | TableCell;

export interface TableColumn {
  /** Relative width: the columns share the table width in proportion to these numbers. */
  width: number;
  align?: Align;
}

export interface TableSpec {
  columns: TableColumn[];
  /** Header rows, bold and centred unless a cell says otherwise; repeated on each page. */
  header?: TableCellInput[][];
  rows: TableCellInput[][];
  /** Body font size in pt (default: the document's size minus one). */
  fontSize?: number;
  /** Cell padding in pt (default 4). */
  padding?: number;
  /** Repeat the header rows at the top of each continuation page (default true). */
  repeatHeader?: boolean;
}

export interface PlacedCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  lines: CellLine[];
  align: Align;
  valign: VAlign;
  minHeight: number;
}

export interface RowGroup {
  /** First row index (inclusive) and last (exclusive). */
  start: number;
  end: number;
}

function normalizeCell(input: TableCellInput, defaults: { bold: boolean; align: Align; valign: VAlign }): TableCell & {
  bold: boolean;
  align: Align;
  valign: VAlign;
} {
  if (typeof input === 'string' || typeof input === 'number') {
    return { content: input, bold: defaults.bold, align: defaults.align, valign: defaults.valign };
  }
  return {
    ...input,
    bold: input.bold ?? defaults.bold,
    align: input.align ?? defaults.align,
    valign: input.valign ?? defaults.valign,
  };
}

function cellLines(cell: TableCell & { bold: boolean; align: Align }): CellLine[] {
  const { content } = cell;
  const base = { bold: cell.bold, italic: cell.italic ?? false, align: cell.align };
  if (typeof content === 'string' || typeof content === 'number') {
    return [{ ...base, text: String(content) }];
  }
  return content.map((l) => (typeof l === 'string' ? { ...base, text: l } : { ...base, ...l }));
}

/**
 * Places the cells of a grid, skipping slots taken by row spans from above. Throws when a
 * row holds more cells than there are columns, or a row span runs past the last row.
 */
export function placeCells(
  rows: TableCellInput[][],
  columns: TableColumn[],
  defaults: { bold: boolean; align?: Align; valign: VAlign },
): PlacedCell[] {
  const n = columns.length;
  const taken: boolean[][] = rows.map(() => new Array<boolean>(n).fill(false));
  const placed: PlacedCell[] = [];
  rows.forEach((row, r) => {
    let c = 0;
    for (const input of row) {
      while (c < n && taken[r]?.[c]) c++;
      const col = columns[c];
      if (!col) throw new RangeError(`Table row ${r + 1} has more cells than the ${n} columns`);
      const cell = normalizeCell(input, { bold: defaults.bold, align: defaults.align ?? col.align ?? 'left', valign: defaults.valign });
      const colSpan = Math.max(1, Math.floor(cell.colSpan ?? 1));
      const rowSpan = Math.max(1, Math.floor(cell.rowSpan ?? 1));
      if (c + colSpan > n) throw new RangeError(`Table row ${r + 1}: a cell spans past the last column`);
      if (r + rowSpan > rows.length) throw new RangeError(`Table row ${r + 1}: a cell spans past the last row`);
      for (let rr = r; rr < r + rowSpan; rr++) {
        for (let cc = c; cc < c + colSpan; cc++) {
          const slots = taken[rr];
          if (!slots || slots[cc]) throw new RangeError(`Table row ${r + 1}: overlapping cells`);
          slots[cc] = true;
        }
      }
      placed.push({
        row: r,
        col: c,
        rowSpan,
        colSpan,
        lines: cellLines(cell),
        align: cell.align,
        valign: cell.valign,
        minHeight: cell.minHeight ?? 0,
      });
      c += colSpan;
    }
  });
  return placed;
}

/** Column widths in pt: the table width shared in proportion to the relative widths. */
export function columnWidths(columns: TableColumn[], tableWidth: number): number[] {
  const total = columns.reduce((s, c) => s + Math.max(0, c.width), 0);
  if (!(total > 0)) throw new RangeError('Table columns need a positive width');
  return columns.map((c) => (Math.max(0, c.width) / total) * tableWidth);
}

/** Width in pt of a placed cell. */
export function cellWidth(cell: PlacedCell, widths: number[]): number {
  let w = 0;
  for (let i = cell.col; i < cell.col + cell.colSpan; i++) w += widths[i] ?? 0;
  return w;
}

/**
 * Row heights: each row is as tall as its tallest single-row cell; a cell spanning rows that
 * needs more than its rows give shares the missing height out evenly among them. `measure`
 * returns the height of a cell's content (padding included) at the cell's width.
 */
export function rowHeights(cells: PlacedCell[], rowCount: number, measure: (cell: PlacedCell) => number): number[] {
  const heights = new Array<number>(rowCount).fill(0);
  const need = new Map<PlacedCell, number>();
  for (const cell of cells) need.set(cell, Math.max(measure(cell), cell.minHeight));
  for (const cell of cells) {
    if (cell.rowSpan === 1) heights[cell.row] = Math.max(heights[cell.row] ?? 0, need.get(cell) ?? 0);
  }
  // Shorter spans first, so a long span sees the rows the short ones already grew.
  const spanning = cells.filter((c) => c.rowSpan > 1).sort((a, b) => a.rowSpan - b.rowSpan);
  for (const cell of spanning) {
    const last = cell.row + cell.rowSpan - 1;
    let have = 0;
    for (let r = cell.row; r <= last; r++) have += heights[r] ?? 0;
    const missing = (need.get(cell) ?? 0) - have;
    if (missing > 0) {
      for (let r = cell.row; r <= last; r++) heights[r] = (heights[r] ?? 0) + missing / cell.rowSpan;
    }
  }
  return heights;
}

/** Consecutive rows tied together by row spans; every other row is a group of its own. */
export function rowGroups(cells: PlacedCell[], rowCount: number): RowGroup[] {
  const reach = Array.from({ length: rowCount }, (_, r) => r + 1);
  for (const cell of cells) {
    reach[cell.row] = Math.max(reach[cell.row] ?? 0, cell.row + cell.rowSpan);
  }
  const groups: RowGroup[] = [];
  let start = 0;
  while (start < rowCount) {
    let end = reach[start] ?? start + 1;
    for (let r = start; r < end; r++) end = Math.max(end, reach[r] ?? 0);
    groups.push({ start, end });
    start = end;
  }
  return groups;
}
