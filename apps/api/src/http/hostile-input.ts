import type { FieldProblem } from '@app/kernel';

/**
 * Checks on input as parsed, before anything (guards, interceptors, the validation pipe, services)
 * looks at it: control characters PostgreSQL refuses or nobody types, and JSON nested deeper than any
 * body of this API (class-transformer and canonical JSON recurse, so a deep body could exhaust the stack).
 */

/** Deeper than any DTO of this API (at most 4) by a wide margin. */
export const MAX_JSON_DEPTH = 32;
/** Enough to correct a request; a body with thousands of bad strings need not be listed in full. */
const MAX_PROBLEMS = 20;

/** C0 controls and DEL, except tab, line feed and carriage return: refused in every string, everywhere. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const FORBIDDEN_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Every C0 control and DEL: refused in one-line text (query and path parameters, names, ids, codes). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const ANY_CONTROL = /[\u0000-\u001F\u007F]/;

/** A field path as the validation pipe writes it (`contact.address.street`, `workHistory[2]`). */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const shown = safeName(key);
  return parent ? `${parent}.${shown}` : shown;
}

/** Property names are echoed in field paths: never a control character or an unbounded name. */
function safeName(key: string): string {
  const clean = key.replace(new RegExp(ANY_CONTROL.source, 'g'), '\uFFFD');
  return clean.length > 100 ? `${clean.slice(0, 100)}…` : clean;
}

interface Pending {
  value: unknown;
  path: string;
  depth: number;
  /** The top-level field the value sits in: named when it is too deep (the full path could be 32 names long). */
  top: string;
}

/**
 * Walks a parsed JSON body without recursion (so any depth is safe to inspect) and lists control
 * characters in property names and string values, and containers nested deeper than MAX_JSON_DEPTH.
 */
export function inspectJsonBody(body: unknown, forbidden: RegExp = FORBIDDEN_CONTROLS): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: Pending[] = [{ value: body, path: '', depth: 1, top: '(body)' }];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value, path, depth, top } = stack.pop()!;
    if (typeof value === 'string') {
      if (forbidden.test(value)) problems.push({ field: path || '(body)', code: 'control-characters' });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) {
      if (!problems.some((p) => p.field === top && p.code === 'too-deep')) problems.push({ field: top, code: 'too-deep', params: { max: MAX_JSON_DEPTH } });
      continue;
    }
    const children: Pending[] = [];
    if (Array.isArray(value)) {
      value.forEach((item, index) => children.push({ value: item, path: childPath(path, index), depth: depth + 1, top }));
    } else {
      for (const [key, item] of Object.entries(value)) {
        const at = childPath(path, key);
        if (ANY_CONTROL.test(key)) problems.push({ field: at, code: 'control-characters' });
        children.push({ value: item, path: at, depth: depth + 1, top: depth === 1 && path === '' ? at : top });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]); // in document order
  }
  return problems.slice(0, MAX_PROBLEMS);
}

/** Query parameters are one-line values: any control character in a name or a value is refused. */
export function inspectQuery(query: unknown): FieldProblem[] {
  return query !== null && typeof query === 'object' ? inspectJsonBody(query, ANY_CONTROL) : [];
}
