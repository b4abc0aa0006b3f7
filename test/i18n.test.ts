import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { findRootForTests } from './support/platform.js';
import { readOwnerStrings } from '@smile/core';

const root = findRootForTests();

/** Every folder that owns strings and views: the core, plugins, themes, examples. */
function owners(): string[] {
  const dirs = [path.join(root, 'core')];
  for (const group of ['plugins', 'themes', 'examples']) {
    const g = path.join(root, group);
    if (existsSync(g)) for (const d of readdirSync(g)) if (existsSync(path.join(g, d, 'package.json'))) dirs.push(path.join(g, d));
  }
  return dirs;
}

function keys(obj: unknown, prefix = ''): string[] {
  if (!obj || typeof obj !== 'object') return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function files(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? files(full, ext) : full.endsWith(ext) ? [full] : [];
  });
}

/** Literal text a visitor would read that does not come from a locale file. */
export function untranslatedLiterals(template: string): string[] {
  const found: string[] = [];
  let s = template.replace(/<%[\s\S]*?%>/g, ' ').replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<!--[\s\S]*?-->/g, ' ');
  for (const m of s.matchAll(/\b(aria-label|title|placeholder|alt)="([^"]*)"/g)) if (/[A-Za-zÀ-ÿ]{2,}/.test(m[2]!)) found.push(`${m[1]}="${m[2]}"`);
  s = s.replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;|&#\d+;/gi, ' ');
  for (const chunk of s.split(/\s{2,}|\n/)) {
    const text = chunk.trim();
    if (/[A-Za-zÀ-ÿ]{2,}/.test(text)) found.push(text);
  }
  return found;
}

describe('languages', () => {
  for (const dir of owners()) {
    const name = path.relative(root, dir);
    const fr = path.join(dir, 'locales', 'fr.json');
    const en = path.join(dir, 'locales', 'en.json');
    if (!existsSync(fr) && !existsSync(en) && !existsSync(path.join(dir, 'locales', 'fr'))) continue;

    it(`${name}: every string exists in French and in English`, () => {
      expect(existsSync(fr) || existsSync(path.join(dir, 'locales', 'fr')), `${name}/locales/fr.json`).to.equal(true);
      expect(existsSync(en) || existsSync(path.join(dir, 'locales', 'en')), `${name}/locales/en.json`).to.equal(true);
      const f = new Set(keys(readOwnerStrings(dir, 'fr')));
      const e = new Set(keys(readOwnerStrings(dir, 'en')));
      expect([...f].filter((k) => !e.has(k)), 'in French only').to.deep.equal([]);
      expect([...e].filter((k) => !f.has(k)), 'in English only').to.deep.equal([]);
    });
  }

  for (const dir of owners()) {
    const views = [...files(path.join(dir, 'views'), '.ejs'), ...files(path.join(dir, 'overrides'), '.ejs')];
    for (const v of views) {
      it(`${path.relative(root, v)} has no untranslated text`, () => {
        expect(untranslatedLiterals(readFileSync(v, 'utf8'))).to.deep.equal([]);
      });
    }
  }

  it('the literal finder catches text and attributes, and ignores template code', () => {
    expect(untranslatedLiterals('<p>Hello there</p>')).to.deep.equal(['Hello there']);
    expect(untranslatedLiterals('<button aria-label="Close">x</button>')).to.deep.equal(['aria-label="Close"']);
    expect(untranslatedLiterals('<p><%= t("a") %></p><% if (x) { %><b><%- y %></b><% } %>')).to.deep.equal([]);
  });
});
