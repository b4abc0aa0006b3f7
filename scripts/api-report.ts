/**
 * Generates sdk/api-report.md: the public API of @smile/sdk (the `.` and `./testing` entry points),
 * one section per exported symbol with its kind and declared signature, sorted by name, so that
 * any change to what plugin authors can use shows up in a review diff.
 *
 * Signatures come from the compiler's declaration emit (what a consumer of the package sees:
 * inferred types spelled out, bodies dropped), printed without comments.
 *
 * Run: `npm run api-report`. test/docs.test.ts fails when the committed report is stale.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SDK_SRC = path.join(ROOT, 'sdk', 'src');
export const API_REPORT = path.join(ROOT, 'sdk', 'api-report.md');

/** The package entry points, as in sdk/package.json `exports`. */
export const ENTRY_POINTS = [
  { specifier: '@smile/sdk', file: path.join(SDK_SRC, 'index.ts') },
  { specifier: '@smile/sdk/testing', file: path.join(SDK_SRC, 'testing.ts') },
] as const;

/** One exported symbol of an entry point. */
export interface ApiExport {
  name: string;
  /** `function`, `class`, `interface`, `type`, `const`, `re-export`, … */
  kind: string;
  /** Declared signature text (declaration emit, comments removed). */
  signature: string;
  /** Source file of the declaration, relative to the repository. */
  source: string;
  /** Does the declaration carry a TSDoc comment? External re-exports count as documented by their package. */
  documented: boolean;
  /** Exported with `export type` (no run-time value). */
  typeOnly: boolean;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  declaration: true,
  emitDeclarationOnly: true,
  rootDir: SDK_SRC,
  outDir: path.join(ROOT, '.api-report-virtual'),
  types: ['node'],
  noEmitOnError: false,
};

const norm = (f: string) => path.resolve(f);

function kindOf(st: ts.Statement): string {
  if (ts.isFunctionDeclaration(st)) return 'function';
  if (ts.isClassDeclaration(st)) return st.modifiers?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword) ? 'abstract class' : 'class';
  if (ts.isInterfaceDeclaration(st)) return 'interface';
  if (ts.isTypeAliasDeclaration(st)) return 'type';
  if (ts.isEnumDeclaration(st)) return 'enum';
  if (ts.isModuleDeclaration(st)) return 'namespace';
  if (ts.isVariableStatement(st)) {
    const f = st.declarationList.flags;
    return f & ts.NodeFlags.Const ? 'const' : f & ts.NodeFlags.Let ? 'let' : 'var';
  }
  return ts.SyntaxKind[st.kind];
}

function declaredNames(st: ts.Statement): string[] {
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.map((d) => d.name.getText());
  const named = st as ts.Statement & { name?: ts.Identifier };
  return named.name && ts.isIdentifier(named.name) ? [named.name.text] : [];
}

/** Remove `export` / `declare` / `default` so that the report shows the declaration itself. */
function stripModifiers(st: ts.Statement): ts.Statement {
  const keep = (mods: readonly ts.ModifierLike[] | undefined) =>
    mods?.filter((m) => ![ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.DeclareKeyword, ts.SyntaxKind.DefaultKeyword].includes(m.kind));
  const f = ts.factory;
  if (ts.isFunctionDeclaration(st)) return f.updateFunctionDeclaration(st, keep(st.modifiers), st.asteriskToken, st.name, st.typeParameters, st.parameters, st.type, st.body);
  if (ts.isClassDeclaration(st)) return f.updateClassDeclaration(st, keep(st.modifiers), st.name, st.typeParameters, st.heritageClauses, st.members);
  if (ts.isInterfaceDeclaration(st)) return f.updateInterfaceDeclaration(st, keep(st.modifiers), st.name, st.typeParameters, st.heritageClauses, st.members);
  if (ts.isTypeAliasDeclaration(st)) return f.updateTypeAliasDeclaration(st, keep(st.modifiers), st.name, st.typeParameters, st.type);
  if (ts.isVariableStatement(st)) return f.updateVariableStatement(st, keep(st.modifiers), st.declarationList);
  if (ts.isEnumDeclaration(st)) return f.updateEnumDeclaration(st, keep(st.modifiers), st.name, st.members);
  return st;
}

function hasTsDoc(decl: ts.Declaration): boolean {
  return ts.getJSDocCommentsAndTags(decl).some((d) => ts.isJSDoc(d) && (d.comment !== undefined || (d.tags?.length ?? 0) > 0));
}

/** The SDK's public API: each entry point's exports, and the unexported declarations they refer to. */
export interface SdkApi {
  entries: { specifier: string; file: string; exports: ApiExport[] }[];
  /** Unexported declarations of sdk/src that appear in the declaration emit (referenced by exported signatures). */
  internals: { name: string; kind: string; signature: string; source: string }[];
}

/** Read every export of the SDK entry points, with signatures from the declaration emit. */
export function readSdkApi(): SdkApi {
  const program = ts.createProgram(ENTRY_POINTS.map((e) => e.file), COMPILER_OPTIONS);
  const checker = program.getTypeChecker();

  // declaration emit, in memory: source file (absolute .ts) → parsed .d.ts
  const dts = new Map<string, ts.SourceFile>();
  const outDir = COMPILER_OPTIONS.outDir!;
  const result = program.emit(undefined, (fileName, text) => {
    if (!fileName.endsWith('.d.ts')) return;
    const src = norm(path.join(SDK_SRC, path.relative(outDir, fileName).replace(/\.d\.ts$/, '.ts')));
    dts.set(src, ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
  }, undefined, true);
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    throw new Error(`declaration emit failed:\n${ts.formatDiagnosticsWithColorAndContext(errors, {
      getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n',
    })}`);
  }

  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

  const entries = ENTRY_POINTS.map((entry) => {
    const sf = program.getSourceFile(entry.file);
    const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) throw new Error(`cannot read ${entry.file}`);
    const exports: ApiExport[] = [];
    for (const sym of checker.getExportsOfModule(moduleSymbol)) {
      const name = sym.getName();
      const aliasDecl = sym.declarations?.[0];
      const typeOnly = !!aliasDecl && ts.isExportSpecifier(aliasDecl) && (aliasDecl.isTypeOnly || aliasDecl.parent.parent.isTypeOnly);
      const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
      const decl = target.declarations?.[0];
      if (!decl) throw new Error(`export ${name} of ${entry.specifier} has no declaration`);
      const declFile = norm(decl.getSourceFile().fileName);

      if (!declFile.startsWith(SDK_SRC + path.sep)) {
        // re-export of another package (zod's `z`): report where it comes from, not its whole type
        const exportDecl = aliasDecl && ts.isExportSpecifier(aliasDecl) ? aliasDecl.parent.parent : undefined;
        const from = exportDecl?.moduleSpecifier && ts.isStringLiteral(exportDecl.moduleSpecifier) ? exportDecl.moduleSpecifier.text : '?';
        const original = aliasDecl && ts.isExportSpecifier(aliasDecl) ? (aliasDecl.propertyName ?? aliasDecl.name).getText() : name;
        exports.push({
          name, kind: 're-export', signature: `export { ${original === name ? name : `${original} as ${name}`} } from '${from}';`,
          source: from, documented: true, typeOnly,
        });
        continue;
      }

      const emitted = dts.get(declFile);
      if (!emitted) throw new Error(`no declaration emitted for ${declFile}`);
      const statements = emitted.statements.filter((st) => declaredNames(st).includes(target.getName()));
      if (statements.length === 0) throw new Error(`${target.getName()} not found in the declarations of ${declFile}`);
      const signature = statements
        .map((st) => printer.printNode(ts.EmitHint.Unspecified, stripModifiers(st), emitted))
        .join('\n')
        .replace(/^(\s*)(?:export )?declare /gm, '$1');
      exports.push({
        name,
        kind: kindOf(statements[0]!),
        signature,
        source: path.relative(ROOT, declFile).split(path.sep).join('/'),
        documented: (target.declarations ?? []).some(hasTsDoc),
        typeOnly,
      });
    }
    exports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { specifier: entry.specifier, file: path.relative(ROOT, entry.file).split(path.sep).join('/'), exports };
  });

  const internals: SdkApi['internals'] = [];
  for (const [src, emitted] of dts) {
    for (const st of emitted.statements) {
      if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || ts.isExportAssignment(st)) continue;
      if (ts.getCombinedModifierFlags(st as unknown as ts.Declaration) & ts.ModifierFlags.Export) continue;
      for (const name of declaredNames(st)) {
        internals.push({
          name,
          kind: kindOf(st),
          signature: printer.printNode(ts.EmitHint.Unspecified, stripModifiers(st), emitted).replace(/^(\s*)declare /gm, '$1'),
          source: path.relative(ROOT, src).split(path.sep).join('/'),
        });
      }
    }
  }
  internals.sort((a, b) => (a.source + a.name < b.source + b.name ? -1 : 1));
  return { entries, internals };
}

/** The Markdown of sdk/api-report.md. */
export function renderApiReport(api: SdkApi = readSdkApi()): string {
  const out: string[] = [
    '<!-- Generated by scripts/api-report.ts. Do not edit by hand: run `npm run api-report` and commit the result. -->',
    '',
    '# API report: @smile/sdk',
    '',
    'Everything a plugin or theme author can import, with the signature a consumer sees. A change in this file is a',
    'change of the plugin contract: review it as such (a removed or narrowed export, or a changed hook or service',
    'signature, is a breaking change).',
    '',
  ];
  for (const entry of api.entries) {
    out.push(`## \`${entry.specifier}\``, '', `Entry: \`${entry.file}\``, '', '| export | kind | declared in |', '|---|---|---|');
    for (const e of entry.exports) {
      out.push(`| [\`${e.name}\`](#${anchor(entry.specifier, e.name)}) | ${e.kind}${e.typeOnly ? ' (type-only export)' : ''}${e.documented ? '' : ' — **undocumented**'} | \`${e.source}\` |`);
    }
    out.push('');
    for (const e of entry.exports) {
      out.push(
        `<a id="${anchor(entry.specifier, e.name)}"></a>`,
        `### \`${e.name}\` (${entry.specifier})`,
        '',
        `${e.kind}${e.typeOnly ? ', type-only export' : ''}, from \`${e.source}\``,
        '',
        '```ts',
        e.signature.trimEnd(),
        '```',
        '',
      );
    }
  }
  out.push(
    '## Unexported declarations used by the signatures above',
    '',
    'Not importable, but part of the shape of exported types: changing them can break plugins too.',
    '',
  );
  for (const i of api.internals) {
    out.push(`### \`${i.name}\` (internal)`, '', `${i.kind}, from \`${i.source}\``, '', '```ts', i.signature.trimEnd(), '```', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function anchor(specifier: string, name: string): string {
  return `${specifier.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}-${name}`.toLowerCase();
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  writeFileSync(API_REPORT, renderApiReport());
  process.stdout.write(`wrote ${path.relative(process.cwd(), API_REPORT)}\n`);
}
