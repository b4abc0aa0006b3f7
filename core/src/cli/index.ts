import { parseArgs } from 'node:util';
import { SmileError, ErrorCodes } from '@smile/sdk';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { Platform } from '../platform.js';
import { migrateDown, migrateUp, migrationStatus } from '../db/migrator.js';
import { createToken, listTokens, revokeToken } from '../api/tokens.js';
import { createPlugin } from './create-plugin.js';
import { themeCommand } from './theme.js';

const HELP = `Usage: smile <command> [options]

Commands:
  start [--demo] [--no-workers] [--port N]   Start the web server (and job workers)
  worker                                      Run job workers only (scaled deployments)
  migrate up|down|status [--plugin ID] [--all]  Apply, revert or list database migrations
  plugins list [--json]                       Installed plugins, enabled per institution
  seed demo [--institution CODE]              Add the demo data to an institution
  create-plugin <id> [--dir DIR]              Scaffold a plugin that passes its own tests
  theme validate <dir> [--plugins DIR]        Check a theme folder (docs/theme-guide.md)
  tokens create --institution CODE --name NAME --permissions a,b
  tokens list [--institution CODE]
  tokens revoke <id>
  roles list [--institution CODE]             Roles, their parent and how many people hold them
  roles grant --institution CODE --email EMAIL --role KEY [--components a,b]
                                              Give a role to someone who signed in once (the first admin)
Plugin commands appear below once plugins are loaded (smile help).`;

type Out = (line: string) => void;

/** Run the CLI; returns the exit code. */
export async function main(argv: string[], out: Out = (l) => process.stdout.write(`${l}\n`), err: Out = (l) => process.stderr.write(`${l}\n`)): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return await help(out);
      case 'start':
        return await start(rest, false);
      case 'worker':
        return await start(rest, true);
      case 'migrate':
        return await migrate(rest, out);
      case 'plugins':
        return await plugins(rest, out);
      case 'seed':
        // `seed demo` is the core's; `seed <other>` belongs to a plugin (`seed catalogue`)
        return rest[0] === 'demo' || rest.length === 0 ? await seed(rest, out) : await pluginCommand(argv, out, err);
      case 'create-plugin':
        return await createPlugin(rest, out);
      case 'tokens':
        return await tokens(rest, out);
      case 'theme':
        return await themeCommand(rest, out);
      case 'roles':
        return await roles(rest, out);
      default:
        return await pluginCommand(argv, out, err);
    }
  } catch (e) {
    if (e instanceof SmileError) {
      err(e.message);
      return 2;
    }
    err(`unexpected error: ${(e as Error).stack ?? e}`);
    return 1;
  }
}

async function help(out: Out) {
  out(HELP);
  const p = await Platform.prepare({ logger: createLogger('silent'), workers: false });
  try {
    for (const [name, { plugin, def }] of p.registry.commands) out(`  ${name.padEnd(42)} ${def.description} [${plugin}]`);
  } finally {
    await p.stop();
  }
  return 0;
}

async function start(args: string[], workerOnly: boolean): Promise<number> {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean' }, 'no-workers': { type: 'boolean' }, port: { type: 'string' } } });
  const overrides: Record<string, unknown> = {};
  if (values.demo) overrides.demo = true;
  if (values.port) overrides.port = Number(values.port);
  const config = loadConfig({ overrides });
  const p = await Platform.boot({ config, workers: !values['no-workers'], migrate: config.production ? 'check' : 'auto' });
  await p.listen({ http: !workerOnly });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    p.log.info({ signal }, 'stopping');
    await p.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await new Promise(() => {});
  return 0;
}

async function withPlatform<T>(fn: (p: Platform) => Promise<T>, boot = false): Promise<T> {
  const opts = { logger: createLogger(process.env.SMILE_LOG_LEVEL ?? 'warn'), workers: false } as const;
  const p = boot ? await Platform.boot(opts) : await Platform.prepare(opts);
  try {
    return await fn(p);
  } finally {
    await p.stop();
  }
}

async function migrate(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { plugin: { type: 'string' }, all: { type: 'boolean' } } });
  const action = positionals[0] ?? 'status';
  return withPlatform(async (p) => {
    const sources = p.migrationSources();
    if (values.plugin && !sources.some((s) => s.owner === values.plugin)) {
      throw new SmileError(ErrorCodes.PLUGIN_UNKNOWN, `no plugin "${values.plugin}"`, { plugin: values.plugin, key: '--plugin' });
    }
    if (action === 'up') {
      const only = values.plugin ? sources.filter((s) => s.owner === 'core' || s.owner === values.plugin) : sources;
      const done = await migrateUp(p.db.knex, only, out);
      out(done.length ? `${done.length} migration(s) applied` : 'already up to date');
    } else if (action === 'down') {
      const done = await migrateDown(p.db.knex, sources, { owner: values.plugin, all: values.all }, out);
      out(done.length ? `${done.length} migration(s) reverted` : 'nothing to revert');
    } else if (action === 'status') {
      for (const m of await migrationStatus(p.db.knex, sources)) out(`${m.applied ? 'applied' : 'pending'}  ${m.name}${m.batch ? `  (batch ${m.batch})` : ''}`);
    } else {
      throw new SmileError(ErrorCodes.VALIDATION, `unknown migrate action "${action}" (up, down, status)`, { key: 'migrate' });
    }
    return 0;
  });
}

async function plugins(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if ((positionals[0] ?? 'list') !== 'list') throw new SmileError(ErrorCodes.VALIDATION, `unknown action "plugins ${positionals[0]}"`, { key: 'plugins' });
  return withPlatform(async (p) => {
    await p.migratePhase();
    const insts = await p.institutions.all();
    const rows = p.plugins.map((x) => ({
      id: x.id, version: x.version, kind: x.manifest.kind, maturity: x.manifest.maturity,
      enabled: Object.fromEntries(insts.map((i) => [i.code, p.isEnabled(x.id, i)])),
    }));
    if (values.json) out(JSON.stringify(rows, null, 2));
    else {
      out(`${'ID'.padEnd(24)}${'VERSION'.padEnd(10)}${'KIND'.padEnd(11)}${'MATURITY'.padEnd(14)}ENABLED`);
      for (const r of rows) {
        const en = Object.entries(r.enabled).map(([c, e]) => `${c}:${e ? 'yes' : 'no'}`).join(' ') || '(no institution yet)';
        out(`${r.id.padEnd(24)}${r.version.padEnd(10)}${r.kind.padEnd(11)}${r.maturity.padEnd(14)}${en}`);
      }
    }
    return 0;
  });
}

async function seed(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { institution: { type: 'string' }, size: { type: 'string' } } });
  if (positionals[0] !== 'demo') throw new SmileError(ErrorCodes.VALIDATION, 'usage: smile seed demo [--institution CODE]', { key: 'seed' });
  return withPlatform(async (p) => {
    const list = await p.institutions.all();
    const inst = values.institution ? list.find((i) => i.code === values.institution) : list[0];
    if (!inst) throw new SmileError(ErrorCodes.INSTITUTION_UNKNOWN, `no institution "${values.institution}"`, { key: '--institution' });
    await p.seed(inst, values.size ? Number(values.size) : 'demo');
    out(`demo data added to ${inst.code}`);
    return 0;
  }, true);
}

async function tokens(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { institution: { type: 'string' }, name: { type: 'string' }, permissions: { type: 'string' } },
  });
  const action = positionals[0];
  return withPlatform(async (p) => {
    await p.migratePhase();
    const find = async (code: string | undefined) => {
      if (!code) return undefined;
      const i = await p.institutions.byCode(code);
      if (!i) throw new SmileError(ErrorCodes.INSTITUTION_UNKNOWN, `no institution with code "${code}"`, { key: '--institution' });
      return i;
    };
    if (action === 'create') {
      const inst = await find(values.institution);
      if (!inst || !values.name) throw new SmileError(ErrorCodes.VALIDATION, 'usage: smile tokens create --institution CODE --name NAME --permissions a,b', { key: 'tokens' });
      const perms = (values.permissions ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const { token, id } = await createToken(p.db.knex, { institutionId: inst.id, name: values.name, permissions: perms, known: new Set(p.registry.permissions.keys()) });
      out(`token ${id} created for ${inst.code}; it is shown only once:`);
      out(token);
    } else if (action === 'list') {
      const inst = await find(values.institution);
      for (const t of await listTokens(p.db.knex, inst?.id)) {
        out(`${String(t.id).padEnd(5)} ${`smile_${t.prefix}_…`.padEnd(18)} ${t.name.padEnd(24)} ${t.revoked_at ? 'revoked' : 'active '} ${t.permissions.join(',')}`);
      }
    } else if (action === 'revoke') {
      const id = Number(positionals[1]);
      if (!Number.isInteger(id)) throw new SmileError(ErrorCodes.VALIDATION, 'usage: smile tokens revoke <id>', { key: 'tokens' });
      if (!(await revokeToken(p.db.knex, id))) throw new SmileError(ErrorCodes.NOT_FOUND, `no active token ${id}`, { key: 'id' });
      out(`token ${id} revoked`);
    } else {
      throw new SmileError(ErrorCodes.VALIDATION, 'usage: smile tokens create|list|revoke', { key: 'tokens' });
    }
    return 0;
  });
}

async function roles(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { institution: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, components: { type: 'string' } },
  });
  return withPlatform(async (p) => {
    await p.migratePhase();
    const inst = await pickInstitution(p, values.institution);
    await p.roles.sync(inst.id);
    if (positionals[0] === 'list') {
      for (const r of await p.roles.list(inst.id)) {
        out(`${r.key.padEnd(14)} ${r.name.en.padEnd(28)} parent=${(r.parent ?? '-').padEnd(13)} people=${String(r.userCount).padEnd(5)} ${r.externalAccess ? 'external' : ''}`);
      }
      return 0;
    }
    if (positionals[0] === 'grant') {
      if (!values.email || !values.role) throw new SmileError(ErrorCodes.VALIDATION, 'usage: smile roles grant --institution CODE --email EMAIL --role KEY [--components a,b]', { key: 'roles' });
      const known = (await p.identity.findByEmail(values.email)).map((x) => x.id);
      const here = known.length ? ((await p.db.knex('institution_people').where({ institution_id: inst.id }).whereIn('person_id', known).pluck('person_id')) as number[]) : [];
      if (here.length === 0) throw new SmileError(ErrorCodes.NOT_FOUND, `nobody with the e-mail ${values.email} has signed in to ${inst.code} yet: sign in once, then run this again`, { key: '--email' });
      if (here.length > 1) throw new SmileError(ErrorCodes.VALIDATION, `${here.length} people of ${inst.code} have the e-mail ${values.email} (ids ${here.join(', ')}): give the role from the administration pages`, { key: '--email' });
      const components = (values.components ?? '').split(',').map((c) => c.trim()).filter(Boolean);
      await p.roles.assign({ institutionId: inst.id, label: 'smile roles grant (command line)' }, here[0]!, values.role, components);
      out(`${values.email} now holds ${values.role}${components.length ? ` for ${components.join(', ')}` : ''} in ${inst.code}`);
      return 0;
    }
    throw new SmileError(ErrorCodes.VALIDATION, 'usage: smile roles list|grant', { key: 'roles' });
  });
}

/** The institution named by `--institution CODE`, or the only one (commands of the core and of plugins). */
async function pickInstitution(p: Platform, code: string | undefined) {
  const fail = (message: string) => new SmileError(ErrorCodes.INSTITUTION_UNKNOWN, message, { key: '--institution' });
  if (code) {
    const inst = await p.institutions.byCode(code);
    if (!inst) throw fail(`no institution with the code "${code}"`);
    return inst;
  }
  const all = await p.institutions.all();
  if (all.length === 1) return all[0]!;
  if (!all.length) throw fail('no institution yet: start SMILE once to create one');
  throw fail(`${all.length} institutions (${all.map((i) => i.code).join(', ')}): name one with --institution CODE`);
}

async function pluginCommand(argv: string[], out: Out, err: Out): Promise<number> {
  return withPlatform(async (p) => {
    // longest matching command name wins ("import catalogue" before "import")
    const names = [...p.registry.commands.keys()].sort((a, b) => b.split(' ').length - a.split(' ').length);
    const name = names.find((n) => n.split(' ').every((w, i) => argv[i] === w));
    if (!name) {
      err(`unknown command "${argv[0]}"\n\n${HELP}`);
      return 2;
    }
    const { plugin, def } = p.registry.commands.get(name)!;
    const options: Record<string, { type: 'string' | 'boolean' }> = Object.fromEntries(Object.entries(def.options ?? {}).map(([k, v]) => [k, { type: v.type }]));
    const parsed = parseArgs({ args: argv.slice(name.split(' ').length), allowPositionals: true, options });
    const code = await def.run(
      { positionals: parsed.positionals, options: parsed.values as Record<string, string | boolean | undefined> },
      { log: p.log.child({ plugin }), db: p.db, resolve: (r) => p.resolve(r), print: out, institution: (code) => pickInstitution(p, code) },
    );
    return typeof code === 'number' ? code : 0;
  }, true);
}
