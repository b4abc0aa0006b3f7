/**
 * The JSONPath-like paths of the field mapping: `$.items[*]`, `a.b.c`, `libelles[langue=fr].valeur`,
 * `tags[0]`, `..code`, `^.code` (the object around the current one), `a | b` (the first that gives a
 * value). Small on purpose: enough to reach into a vendor's JSON, nothing to evaluate.
 * @packageDocumentation
 */

/** One step of a path. */
export type Step =
  | { kind: 'key'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; key: string[]; negate: boolean; value: string }
  | { kind: 'descend'; name: string }
  | { kind: 'parent' };

/** A parsed path: its alternatives, tried in order. */
export interface CompiledPath {
  source: string;
  alternatives: Step[][];
}

/** A value reached by a path, with the objects around it (nearest last), for `^`. */
export interface Match {
  value: unknown;
  parents: object[];
}

/** A path that cannot be read; `at` is the 0-based character where reading stopped. */
export class PathError extends Error {
  constructor(readonly source: string, readonly at: number, reason: string) {
    super(`cannot read the path "${source}" at character ${at + 1}: ${reason}`);
  }
}

const cache = new Map<string, CompiledPath>();

/** Split on `|` outside brackets and quotes. */
function alternatives(source: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '|' && depth === 0) {
      out.push({ text: source.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  out.push({ text: source.slice(start), offset: start });
  return out;
}

const unquote = (s: string) => (/^(['"]).*\1$/s.test(s) ? s.slice(1, -1) : s);

function parseOne(source: string, text: string, offset: number): Step[] {
  const steps: Step[] = [];
  const lead = text.length - text.trimStart().length;
  const s = text.trim();
  let i = 0;
  const fail = (reason: string): never => {
    throw new PathError(source, offset + lead + i, reason);
  };
  const name = (): string => {
    const start = i;
    while (i < s.length && !'.[]^'.includes(s[i]!)) i++;
    const n = s.slice(start, i).trim();
    if (!n) fail('a name is expected');
    return n;
  };
  if (!s) fail('the path is empty');
  if (s[0] === '$') i = 1;
  else if (s[0] !== '.' && s[0] !== '[' && s[0] !== '^') steps.push(s[0] === '*' ? (i++, { kind: 'all' }) : { kind: 'key', name: name() });
  while (i < s.length) {
    const c = s[i]!;
    if (c === '^') {
      i++;
      steps.push({ kind: 'parent' });
    } else if (c === '.' && s[i + 1] === '.') {
      i += 2;
      steps.push({ kind: 'descend', name: name() });
    } else if (c === '.') {
      i++;
      if (s[i] === '^') continue;
      if (s[i] === '*') {
        i++;
        steps.push({ kind: 'all' });
      } else steps.push({ kind: 'key', name: name() });
    } else if (c === '[') {
      let j = i + 1;
      let quote = '';
      while (j < s.length && (quote || s[j] !== ']')) {
        if (quote && s[j] === quote) quote = '';
        else if (!quote && (s[j] === "'" || s[j] === '"')) quote = s[j]!;
        j++;
      }
      if (j >= s.length) fail('"]" is missing');
      const inner = s.slice(i + 1, j).trim();
      let m: RegExpExecArray | null;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^(['"]).*\1$/s.test(inner)) steps.push({ kind: 'key', name: unquote(inner) });
      else if ((m = /^([^=!'"]+?)\s*(!?=)\s*(.*)$/s.exec(inner))) {
        const key = m[1]!.trim().split('.').map((k) => k.trim());
        if (key.some((k) => !k)) fail('a filter is written [key=value]');
        steps.push({ kind: 'filter', key, negate: m[2] === '!=', value: unquote(m[3]!.trim()) });
      } else fail('inside [] write *, a number, a quoted name or key=value');
      i = j + 1;
    } else fail(`unexpected "${c}"`);
  }
  return steps;
}

/** Parse a path (cached). Throws {@link PathError}. */
export function compilePath(source: string): CompiledPath {
  let p = cache.get(source);
  if (!p) {
    p = { source, alternatives: alternatives(source).map((a) => parseOne(source, a.text, a.offset)) };
    if (cache.size > 2000) cache.clear();
    cache.set(source, p);
  }
  return p;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function lookup(value: unknown, key: string[]): unknown {
  let v = value;
  for (const k of key) {
    if (!isObject(v) || !own(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

function step(matches: Match[], s: Step): Match[] {
  const out: Match[] = [];
  for (const m of matches) {
    const v = m.value;
    switch (s.kind) {
      case 'key':
        if (isObject(v)) {
          if (own(v, s.name)) out.push({ value: v[s.name], parents: [...m.parents, v] });
        } else if (Array.isArray(v)) {
          // a name applied to a list reads it in each item: `langues.code` gives every code
          for (const item of v) if (isObject(item) && own(item, s.name)) out.push({ value: item[s.name], parents: [...m.parents, item] });
        }
        break;
      case 'index':
        if (Array.isArray(v)) {
          const item = v[s.index < 0 ? v.length + s.index : s.index];
          if (item !== undefined) out.push({ value: item, parents: m.parents });
        }
        break;
      case 'all':
        if (Array.isArray(v)) for (const item of v) out.push({ value: item, parents: m.parents });
        else if (isObject(v)) for (const item of Object.values(v)) out.push({ value: item, parents: [...m.parents, v] });
        break;
      case 'filter': {
        const test = (item: unknown) => {
          const found = lookup(item, s.key);
          const same = found !== undefined && found !== null && String(found).toLowerCase() === s.value.toLowerCase();
          return s.negate ? !same : same;
        };
        if (Array.isArray(v)) for (const item of v) (isObject(item) && test(item)) && out.push({ value: item, parents: m.parents });
        else if (isObject(v) && test(v)) out.push(m);
        break;
      }
      case 'descend': {
        const walk = (node: unknown, parents: object[]) => {
          if (Array.isArray(node)) for (const item of node) walk(item, parents);
          else if (isObject(node)) {
            if (own(node, s.name)) out.push({ value: node[s.name], parents: [...parents, node] });
            for (const child of Object.values(node)) walk(child, [...parents, node]);
          }
        };
        walk(v, m.parents);
        break;
      }
      case 'parent':
        if (m.parents.length) out.push({ value: m.parents[m.parents.length - 1], parents: m.parents.slice(0, -1) });
        break;
    }
  }
  return out;
}

/** Follow `steps` from `start`. */
export function walk(steps: Step[], start: Match): Match[] {
  let matches = [start];
  for (const s of steps) {
    matches = step(matches, s);
    if (!matches.length) break;
  }
  return matches;
}

const hasValue = (m: Match) => m.value !== undefined && m.value !== null && m.value !== '';

/**
 * Every value `path` reaches from `value` (an item; `$` is the item itself). Alternatives are
 * tried in order: the first that reaches a non-empty value wins.
 */
export function evaluate(path: CompiledPath | string, value: unknown, parents: object[] = []): Match[] {
  const p = typeof path === 'string' ? compilePath(path) : path;
  let last: Match[] = [];
  for (const alt of p.alternatives) {
    last = walk(alt, { value, parents });
    if (last.some(hasValue)) return last;
  }
  return last;
}

/**
 * The list a page holds at `itemsPath`. `list` is the array the path reads before its first `[*]`,
 * filter or `..` (the page's own list: its length drives paging); `null` when the page does not
 * have it at all (a wrong path or an unexpected answer, not an empty page).
 */
export function itemsOf(itemsPath: CompiledPath | string, body: unknown): { items: Match[]; list: unknown[] | null } {
  const p = typeof itemsPath === 'string' ? compilePath(itemsPath) : itemsPath;
  const steps = p.alternatives[0]!;
  let cut = steps.findIndex((s) => s.kind !== 'key' && s.kind !== 'index');
  if (cut < 0) cut = steps.length;
  const head = walk(steps.slice(0, cut), { value: body, parents: [] });
  if (cut === steps.length) {
    // `items` alone names the list: its elements are the items
    const found = head[0];
    if (!found || found.value === undefined || found.value === null) return { items: [], list: null };
    if (Array.isArray(found.value)) return { items: found.value.map((value) => ({ value, parents: found.parents })), list: found.value };
    return { items: [found], list: [found.value] };
  }
  const found = head[0];
  if (!found || found.value === undefined || found.value === null) return { items: [], list: null };
  const list = Array.isArray(found.value) ? found.value : isObject(found.value) ? Object.values(found.value) : null;
  if (!list) return { items: [], list: null };
  let items = head;
  for (const s of steps.slice(cut)) items = step(items, s);
  return { items, list };
}
