import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SmileError, ErrorCodes } from '@smile/sdk';
import { loadConfig } from '../config.js';
import { installedSnapshot, validateTheme } from '../themes/validate.js';

type Out = (line: string) => void;

const USAGE = 'usage: smile theme validate <dir> [--plugins DIR]... [--json]';

/**
 * `smile theme validate <dir>`: check a theme folder against what is installed (core, plugins/,
 * themes/, npm packages, SMILE_PLUGIN_PATHS and --plugins folders). Exit code 1 when an error is found.
 */
export async function themeCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { plugins: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  });
  const [action, dir] = positionals;
  if (action !== 'validate' || !dir) throw new SmileError(ErrorCodes.VALIDATION, USAGE, { key: 'theme' });
  const target = path.resolve(dir);
  if (!existsSync(target)) throw new SmileError(ErrorCodes.VALIDATION, `${dir} does not exist`, { key: 'theme' });
  const config = loadConfig();
  const same = (p: string) => existsSync(p) && realpathSync(p) === realpathSync(target);
  // the theme under test is read from <dir>: a broken manifest must be reported, not stop discovery
  const extraPaths = [...config.plugins.paths, ...(values.plugins ?? []).map((p) => path.resolve(p))].filter((p) => !same(p));
  const installed = installedSnapshot({ rootDir: config.rootDir, extraPaths });
  const findings = await validateTheme(target, installed);
  if (values.json) out(JSON.stringify(findings, null, 2));
  else {
    for (const f of findings) out(`${f.level} ${f.rule} ${f.file ?? '.'}: ${f.message}`);
    const errors = findings.filter((f) => f.level === 'error').length;
    const warnings = findings.length - errors;
    out(`${errors} error(s), ${warnings} warning(s) in ${dir}${findings.length ? ' — rules explained in docs/theme-guide.md' : ''}`);
  }
  return findings.some((f) => f.level === 'error') ? 1 : 0;
}
