import { findNodeAtLocation, type Node, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';

export interface SourceIssue {
  line: number;
  column: number;
  path: string;
  message: string;
}

export type ParsedJson = { ok: true; value: unknown; tree: Node | undefined; text: string } | { ok: false; issues: SourceIssue[] };

/** Parses strict JSON, reporting syntax errors with their line and column. */
export function parseJsonWithLocations(text: string): ParsedJson {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length) {
    return {
      ok: false,
      issues: errors.slice(0, 50).map((e) => ({ ...lineCol(text, e.offset), path: '', message: printParseErrorCode(e.error) })),
    };
  }
  return { ok: true, value: JSON.parse(text), tree, text };
}

/** The line and column (1-based) of the value at `path` in the parsed source. */
export function locate(parsed: { tree: Node | undefined; text: string }, path: (string | number)[]): { line: number; column: number } {
  if (!parsed.tree) return { line: 1, column: 1 };
  // Walk up the path until a node exists (an unknown key's parent, a missing field's object).
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(parsed.tree, path.slice(0, n));
    if (node) {
      const target = node.parent?.type === 'property' && n === path.length ? node.parent : node;
      return lineCol(parsed.text, target.offset);
    }
  }
  return { line: 1, column: 1 };
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}
