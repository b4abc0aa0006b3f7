/**
 * Generates docs/hooks.md from the core hook catalogue (`createCoreHooks()` in sdk/src/hooks.ts).
 * The TSDoc of each hook is the single source: this script reads it with the TypeScript
 * compiler API, so the page can never drift from the code (test/docs.test.ts checks it).
 *
 * Run: `npm run docs:hooks`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HOOKS_SOURCE = path.join(ROOT, 'sdk', 'src', 'hooks.ts');
export const HOOKS_DOC = path.join(ROOT, 'docs', 'hooks.md');

/** One hook of the core catalogue, as documented in its TSDoc. */
export interface HookDoc {
  name: string;
  /** tapable class, e.g. `AsyncSeriesBailHook`. */
  hookClass: string;
  /** Type arguments as written, e.g. `[ResolveInstitutionInput]`, `Institution | undefined`. */
  typeArguments: string[];
  /** Argument names given to the hook constructor, e.g. `['input']`. */
  argNames: string[];
  /** Signature of a tap function, e.g. `(input: ResolveInstitutionInput) => Institution | undefined`. */
  tapSignature: string;
  description: string;
  since?: string;
  mutates?: string;
  /** Other block tags (`@deprecated`, …) by name. */
  otherTags: Record<string, string>;
}

/** A named stage of `HookStage`. */
export interface StageDoc {
  name: string;
  value: string;
}

/** What the generator reads from sdk/src/hooks.ts. */
export interface HookCatalogue {
  hooks: HookDoc[];
  stages: StageDoc[];
  stagesDescription: string;
  /** Interfaces declared in hooks.ts (the types the signatures use), with their source text. */
  types: { name: string; text: string }[];
  /** Types imported by hooks.ts: local name → `Name` from `module`. */
  imports: { local: string; imported: string; from: string }[];
}

const ASYNC = /^Async/;

function commentText(c: string | ts.NodeArray<ts.JSDocComment> | undefined): string {
  if (c === undefined) return '';
  if (typeof c === 'string') return c;
  return c.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
}

function jsDocOf(node: ts.Node): { description: string; tags: Record<string, string> } {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const doc = docs[docs.length - 1];
  const tags: Record<string, string> = {};
  for (const tag of doc?.tags ?? []) tags[tag.tagName.text] = commentText(tag.comment).trim();
  return { description: commentText(doc?.comment).trim(), tags };
}

/** The object literal handed to `Object.freeze(...)` in `createCoreHooks()`. */
function catalogueLiteral(sf: ts.SourceFile): ts.ObjectLiteralExpression {
  const fn = sf.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === 'createCoreHooks');
  if (!fn?.body) throw new Error(`createCoreHooks() not found in ${HOOKS_SOURCE}`);
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (
      ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.getText(sf) === 'Object.freeze' &&
      n.arguments[0] && ts.isObjectLiteralExpression(n.arguments[0])
    ) {
      found = n.arguments[0];
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  if (!found) throw new Error('createCoreHooks() must return Object.freeze({ ... })');
  return found;
}

/** Split a tuple type `[A, B]` into its element texts. */
function tupleElements(node: ts.TypeNode | undefined, sf: ts.SourceFile): string[] {
  if (!node) return [];
  if (ts.isTupleTypeNode(node)) return node.elements.map((e) => e.getText(sf));
  return [node.getText(sf)];
}

function tapSignature(hookClass: string, typeArgs: readonly ts.TypeNode[], argNames: string[], sf: ts.SourceFile): string {
  const args = tupleElements(typeArgs[0], sf);
  const params = args.map((t, i) => `${argNames[i] ?? `arg${i}`}: ${t}`).join(', ');
  let result = 'void';
  if (/Waterfall/.test(hookClass)) result = args[0] ?? 'void';
  else if (/Bail/.test(hookClass)) result = typeArgs[1] ? `${typeArgs[1].getText(sf)}` : 'unknown';
  if (/Bail/.test(hookClass) && !/\bundefined\b/.test(result)) result = `${result} | undefined`;
  const ret = ASYNC.test(hookClass) ? `${result} | Promise<${result}>` : result;
  return `(${params}) => ${ret}`;
}

/** The hooks of an object literal `{ name: new TapableClass<...>([...]), ... }`, with their TSDoc. */
function hooksOfLiteral(lit: ts.ObjectLiteralExpression, sf: ts.SourceFile): HookDoc[] {
  const hooks: HookDoc[] = [];
  for (const prop of lit.properties) {
    if (!ts.isPropertyAssignment(prop)) throw new Error(`unexpected member in a hook set: ${prop.getText(sf)}`);
    const name = prop.name.getText(sf);
    const init = prop.initializer;
    if (!ts.isNewExpression(init)) throw new Error(`hook ${name} must be created with "new <TapableClass><...>([...])"`);
    const hookClass = init.expression.getText(sf);
    const typeArgs = init.typeArguments ?? ts.factory.createNodeArray<ts.TypeNode>();
    const namesArg = init.arguments?.[0];
    const argNames = namesArg && ts.isArrayLiteralExpression(namesArg)
      ? namesArg.elements.map((e) => (ts.isStringLiteral(e) ? e.text : e.getText(sf)))
      : [];
    const { description, tags } = jsDocOf(prop);
    const { since, mutates, ...otherTags } = tags;
    hooks.push({
      name,
      hookClass,
      typeArguments: typeArgs.map((t) => t.getText(sf)),
      argNames,
      tapSignature: tapSignature(hookClass, typeArgs, argNames, sf),
      description,
      since,
      mutates,
      otherTags,
    });
  }
  return hooks;
}

/** A hook set a plugin of this repository offers (`defineHooks(owner, () => ({ ... }))`). */
export interface PluginHookSet {
  owner: string;
  /** The exported constant holding the ref (`catalogueHooks`). */
  ref: string;
  /** Source file, relative to the repository root. */
  file: string;
  hooks: HookDoc[];
}

/** Every `defineHooks` call under plugins/<id>/src, in path order. */
export function readPluginHookSets(root = ROOT): PluginHookSet[] {
  const out: PluginHookSet[] = [];
  const pluginsDir = path.join(root, 'plugins');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []));
  for (const plugin of readdirSync(pluginsDir).sort()) {
    const src = path.join(pluginsDir, plugin, 'src');
    if (!existsSync(src)) continue;
    for (const file of walk(src).sort()) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('defineHooks(')) continue;
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      for (const st of sf.statements) {
        if (!ts.isVariableStatement(st)) continue;
        for (const d of st.declarationList.declarations) {
          const init = d.initializer;
          if (!init || !ts.isCallExpression(init) || init.expression.getText(sf) !== 'defineHooks') continue;
          const [ownerArg, createArg] = init.arguments;
          if (!ownerArg || !ts.isStringLiteral(ownerArg) || !createArg || !ts.isArrowFunction(createArg)) continue;
          let body: ts.Node = createArg.body;
          while (ts.isParenthesizedExpression(body)) body = body.expression;
          if (!ts.isObjectLiteralExpression(body)) continue;
          out.push({ owner: ownerArg.text, ref: d.name.getText(sf), file: path.relative(root, file).split(path.sep).join('/'), hooks: hooksOfLiteral(body, sf) });
        }
      }
    }
  }
  return out;
}

/** Read the hook catalogue from sdk/src/hooks.ts (or from `source`, for tests). */
export function readHookCatalogue(source = readFileSync(HOOKS_SOURCE, 'utf8')): HookCatalogue {
  const sf = ts.createSourceFile(HOOKS_SOURCE, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

  const hooks = hooksOfLiteral(catalogueLiteral(sf), sf);

  const stages: StageDoc[] = [];
  let stagesDescription = '';
  const types: { name: string; text: string }[] = [];
  const imports: HookCatalogue['imports'] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
      const from = (st.moduleSpecifier as ts.StringLiteral).text;
      if (from === 'tapable') continue;
      for (const el of st.importClause.namedBindings.elements) {
        imports.push({ local: el.name.text, imported: (el.propertyName ?? el.name).text, from });
      }
    }
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (d.name.getText(sf) !== 'HookStage' || !d.initializer) continue;
        stagesDescription = jsDocOf(d).description;
        let lit: ts.Node = d.initializer;
        if (ts.isCallExpression(lit) && lit.arguments[0]) lit = lit.arguments[0];
        if (!ts.isObjectLiteralExpression(lit)) throw new Error('HookStage must be an object literal');
        for (const p of lit.properties) {
          if (ts.isPropertyAssignment(p)) stages.push({ name: p.name.getText(sf), value: p.initializer.getText(sf) });
        }
      }
    }
    if (ts.isInterfaceDeclaration(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      const name = st.name.text;
      // the plugin-facing helper types are explained in prose; list the data shapes the hooks pass
      if (['TapOptions', 'TapOnly', 'HookSetRef'].includes(name)) continue;
      types.push({ name, text: source.slice(st.getFullStart(), st.end).trim() });
    }
  }
  return { hooks, stages, stagesDescription, types, imports };
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
const cell = (s: string) => oneLine(s).replace(/\|/g, '\\|');

/** The Markdown of docs/hooks.md. */
export function renderHooksDoc(source?: string): string {
  const { hooks, stages, stagesDescription, types, imports } = readHookCatalogue(source);
  const out: string[] = [];
  const p = (...lines: string[]) => out.push(...lines);

  p(
    '<!-- Generated by scripts/gen-hooks-doc.ts from sdk/src/hooks.ts. Do not edit by hand: change the TSDoc and run `npm run docs:hooks`. -->',
    '',
    '# Hooks',
    '',
    'Hooks let a plugin take part in something the kernel (or another plugin) does: add a section to the home',
    'page, recognise who is calling, change a message before it is queued. They are [tapable](https://github.com/webpack/tapable)',
    'hooks, run in the flow of the work (the caller awaits them), in a defined order. Hook signatures are API: changing a hook\'s',
    'class or arguments is a breaking change of `@smile/sdk`.',
    '',
    'Hooks are not events. An **event** (`r.subscribe`, `events.emit`) is a notification after a transaction has',
    'committed, delivered later through the job queue, one job per subscriber; a failing subscriber retries on its own',
    'and never affects the emitter. A **hook** runs now, inside the caller\'s work: a tap that throws makes the caller fail.',
    '',
    '## Naming',
    '',
    '| prefix | tapable class | what a tap does |',
    '|---|---|---|',
    '| `before*` / `after*` | `AsyncSeriesHook` | a side effect before or after something happens; the return value is ignored |',
    '| `transform*` | `AsyncSeriesWaterfallHook`, `SyncWaterfallHook` | receives a value and **returns** the next one (waterfall) |',
    '| `resolve*` | `AsyncSeriesBailHook` | returns a result to win, or `undefined` to let the next tap try (bail) |',
    '',
    'Other names (`seedDemo`) are plain series hooks: each tap does its part, in order.',
    '',
    '## Tapping a core hook',
    '',
    'A plugin receives a **tap-only view** of the catalogue as `r.hooks` in `register(r)`. It can tap, but it can neither',
    'call a hook nor remove other plugins\' taps. The tap is always named after the plugin id (that name appears in',
    'tapable traces and errors).',
    '',
    '```ts',
    "import { definePlugin, HookStage } from '@smile/sdk';",
    '',
    'export default definePlugin({',
    '  register(r) {',
    '    // default stage (NORMAL)',
    "    r.hooks.afterMailSent.tap(async (mail) => { /* … */ });",
    '    // with a named stage',
    '    r.hooks.transformHomeSections.tap({ stage: HookStage.LATE }, (sections, home) => [',
    "      ...sections,",
    "      { plugin: r.id, title: home.language === 'fr' ? 'Bonjour' : 'Hello', html: '<p>…</p>' },",
    '    ]);',
    '  },',
    '});',
    '```',
    '',
    'Async hooks accept a function returning a value or a promise. `transformOpenApi` is synchronous: its taps must',
    'return the document directly.',
    '',
    '## Stages',
    '',
    stagesDescription,
    '',
    '| stage | value |',
    '|---|---|',
    ...stages.map((s) => `| \`HookStage.${s.name}\` | ${s.value} |`),
    '',
    'Any number is accepted (`{ stage: HookStage.LATE + 10 }`), but a named stage says why. Taps of equal stage run',
    'in registration order: the kernel\'s own taps first, then plugins in dependency order (a plugin after the',
    'plugins it depends on; ties by id).',
    '',
    '## Core hooks',
    '',
    '| hook | class | since | may a tap mutate? |',
    '|---|---|---|---|',
    ...hooks.map((h) => `| [\`${h.name}\`](#${h.name.toLowerCase()}) | \`${h.hookClass}\` | ${h.since ?? '—'} | ${cell(h.mutates ?? '—')} |`),
    '',
  );

  for (const h of hooks) {
    p(
      `### ${h.name}`,
      '',
      '```ts',
      `${h.name}: ${h.hookClass}<${h.typeArguments.join(', ')}>`,
      `// r.hooks.${h.name}.tap(fn) or .tap({ stage }, fn), with`,
      `fn: ${h.tapSignature}`,
      '```',
      '',
      h.description,
      '',
      `- **Since:** ${h.since ?? '—'}`,
      `- **Mutates:** ${h.mutates ?? '—'}`,
      ...Object.entries(h.otherTags).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `- **@${k}:** ${v || '(no text)'}`),
      '',
    );
  }

  p(
    '## Hooks owned by a plugin',
    '',
    'A plugin can offer hooks of its own to the plugins that depend on it, the same way the kernel offers the core',
    'catalogue. The owner calls them; dependents only tap them.',
    '',
    '1. The owner declares the set with `defineHooks(ownerId, create)` and exports the ref from its public module:',
    '',
    '   ```ts',
    "   import { defineHooks } from '@smile/sdk';",
    "   import { AsyncSeriesWaterfallHook } from 'tapable';",
    '',
    "   export const catalogueHooks = defineHooks('catalogue', () => ({",
    '     /**',
    '      * Courses shown to a student; taps may filter or annotate them.',
    '      * @since 1.0.0',
    '      * @mutates yes — return the (new) list',
    '      */',
    "     transformCourses: new AsyncSeriesWaterfallHook<[Course[], { institutionId: number }]>(['courses', 'ctx']),",
    '   }));',
    '   ```',
    '',
    '2. In its `register(r)`, the owner creates them with `const hooks = r.provideHooks(catalogueHooks)` and calls',
    '   them (`await hooks.transformCourses.promise(courses, { institutionId })`). Only the plugin named as `owner` may',
    '   provide a set, and only once.',
    '',
    '3. A dependent lists the owner in its manifest `dependsOn` and taps through `r.hooksOf(catalogueHooks)`:',
    '',
    '   ```ts',
    '   r.hooksOf(catalogueHooks).transformCourses.tap((courses) => courses.filter((c) => c.open));',
    '   ```',
    '',
    '   `hooksOf` fails at boot with `SMILE_ERR_HOOK_UNKNOWN` when the owner is not in `dependsOn`, or when the owner',
    '   did not provide the set. Because plugins register in dependency order, the owner has always provided its',
    '   hooks before a dependent asks for them.',
    '',
    'Document each plugin hook like the core ones (purpose, `@since`, `@mutates`) and treat its signature as the',
    'plugin\'s public API.',
    '',
  );
  const sets = readPluginHookSets();
  if (sets.length) {
    p('## Hooks offered by the plugins of this repository', '');
    for (const set of sets) {
      p(`### \`${set.ref}\` (plugin \`${set.owner}\`)`, '', `Declared in ${set.file}; tap with \`r.hooksOf(${set.ref})\` after listing \`${set.owner}\` in \`dependsOn\`.`, '');
      for (const h of set.hooks) {
        p(
          `#### ${set.owner}: ${h.name}`,
          '',
          '```ts',
          `${h.name}: ${h.hookClass}<${h.typeArguments.join(', ')}>`,
          `fn: ${h.tapSignature}`,
          '```',
          '',
          h.description,
          '',
          `- **Since:** ${h.since ?? '—'}`,
          `- **Mutates:** ${h.mutates ?? '—'}`,
          '',
        );
      }
    }
  }
  p(
    '## Types used by the core hooks',
    '',
    'Declared in sdk/src/hooks.ts (all exported by `@smile/sdk`). The signatures also use '
      + imports
        .map((i) => `\`${i.local}\`${i.local !== i.imported ? ` (\`${i.imported}\`)` : ''} from \`${i.from.startsWith('.') ? `sdk/src/${i.from.replace(/^\.\//, '').replace(/\.js$/, '.ts')}` : i.from}\``)
        .join(', ')
      + '.',
    '',
  );
  for (const t of types) {
    p(`### ${t.name}`, '', '```ts', t.text, '```', '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  writeFileSync(HOOKS_DOC, renderHooksDoc());
  process.stdout.write(`wrote ${path.relative(process.cwd(), HOOKS_DOC)}\n`);
}
