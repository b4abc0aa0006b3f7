import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { HOOKS_DOC, readHookCatalogue, renderHooksDoc } from '../scripts/gen-hooks-doc.js';
import { API_REPORT, readSdkApi, renderApiReport, type SdkApi } from '../scripts/api-report.js';

/** First differing line, so a failure says where the committed file went stale. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}:\n  committed: ${JSON.stringify(a[i] ?? '(end of file)')}\n  generated: ${JSON.stringify(e[i] ?? '(end of file)')}`;
  }
  return '(no difference)';
}

describe('generated documentation', () => {
  describe('docs/hooks.md', () => {
    it('documents every core hook with @since and @mutates', () => {
      const { hooks } = readHookCatalogue();
      expect(hooks.length, 'createCoreHooks() has no hooks?').to.be.greaterThan(0);
      const missing = hooks.flatMap((h) => [
        ...(h.description ? [] : [`${h.name}: no description`]),
        ...(h.since ? [] : [`${h.name}: no @since`]),
        ...(h.mutates ? [] : [`${h.name}: no @mutates`]),
      ]);
      expect(missing, `hook TSDoc in sdk/src/hooks.ts is incomplete:\n  ${missing.join('\n  ')}`).to.deep.equal([]);
    });

    it('is up to date with sdk/src/hooks.ts', () => {
      const expected = renderHooksDoc();
      const actual = existsSync(HOOKS_DOC) ? readFileSync(HOOKS_DOC, 'utf8') : '';
      if (actual !== expected) {
        expect.fail(`docs/hooks.md is stale: run npm run docs:hooks and commit the result (${firstDifference(actual, expected)})`);
      }
    });
  });

  describe('sdk/api-report.md', function () {
    // the type checker reads koa, knex, zod and node typings: a few seconds
    this.timeout(120_000);
    let api: SdkApi;
    before(() => {
      api = readSdkApi();
    });

    it('has a TSDoc comment on every export of @smile/sdk and @smile/sdk/testing', () => {
      const missing = api.entries.flatMap((e) => e.exports.filter((x) => !x.documented).map((x) => `${x.name} (${x.source}, exported by ${e.specifier})`));
      expect(missing, `exports without TSDoc:\n  ${missing.join('\n  ')}`).to.deep.equal([]);
    });

    it('is up to date with the SDK exports', () => {
      const expected = renderApiReport(api);
      const actual = existsSync(API_REPORT) ? readFileSync(API_REPORT, 'utf8') : '';
      if (actual !== expected) {
        expect.fail(`sdk/api-report.md is stale: the public API of @smile/sdk changed. Run npm run api-report, review the diff and commit it (${firstDifference(actual, expected)})`);
      }
    });
  });
});
