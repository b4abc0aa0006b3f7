/**
 * Every way a plugin can stop boot: each failure is a coded SmileError naming the plugin and the
 * offending key, and the failed boot leaves nothing running (data dir lock or connections released).
 */
import { expect } from 'chai';
import { ErrorCodes } from '@smile/sdk';
import { CORE_VERSION } from '@smile/core';
import { configFor, createStore, expectSmileError, fixture, Platform, type Store } from './support.js';

describe('boot failures', function () {
  let store: Store;

  /** Boot with these plugin folders, keeping only `only` (and their dependencies). */
  const boot = (pluginPaths: string[], only: string[], settings: Record<string, Record<string, unknown>> = {}) =>
    Platform.boot({ config: configFor(store, { pluginPaths, settings }), only });

  const fails = async (
    pluginPaths: string[],
    only: string[],
    want: { code: string; plugin: string; key: string; message?: string | RegExp },
    settings?: Record<string, Record<string, unknown>>,
  ) => {
    const e = await expectSmileError(boot(pluginPaths, only, settings), want);
    await store.expectReleased();
    return e;
  };

  before(async function () {
    this.timeout(120_000);
    store = await createStore();
    // an instance that already runs: core migrated, one institution
    const p = await Platform.boot({ config: configFor(store), only: [] });
    await p.stop();
  });
  after(async () => store?.dispose());

  it('refuses a manifest whose id is not kebab-case', async () => {
    const e = await fails([fixture('bad-id')], ['Bad_Id'], { code: ErrorCodes.MANIFEST_INVALID, plugin: 'Bad_Id', key: 'smile.id', message: 'kebab-case' });
    expect(e.message).to.contain(fixture('bad-id'));
  });

  it('refuses a manifest without engines', async () => {
    await fails([fixture('no-engines')], ['no-engines'], { code: ErrorCodes.MANIFEST_INVALID, plugin: 'no-engines', key: 'smile.engines' });
  });

  it('refuses an engines.smile that is not a semver range', async () => {
    await fails([fixture('bad-engine-range')], ['bad-engine-range'], {
      code: ErrorCodes.PLUGIN_ENGINE, plugin: 'bad-engine-range', key: 'smile.engines.smile', message: '"soon, maybe" is not a valid semver range',
    });
  });

  it('refuses a plugin made for another version of SMILE', async () => {
    expect(CORE_VERSION).to.equal('0.1.0');
    await fails([fixture('future-engine')], ['future-engine'], {
      code: ErrorCodes.PLUGIN_ENGINE, plugin: 'future-engine', key: 'smile.engines.smile', message: 'requires SMILE ^2.0.0, this is 0.1.0',
    });
  });

  it('refuses a plugin whose dependency is not installed', async () => {
    await fails([fixture('needs-missing')], ['needs-missing'], {
      code: ErrorCodes.DEPENDENCY_MISSING, plugin: 'needs-missing', key: 'smile.dependsOn.ghost-plugin', message: '"ghost-plugin" (^1.0.0), which is not installed',
    });
  });

  it('refuses a plugin whose dependency has an incompatible version', async () => {
    await fails([fixture('dependency-version')], ['needs-newer'], {
      code: ErrorCodes.DEPENDENCY_VERSION, plugin: 'needs-newer', key: 'smile.dependsOn.dep-base', message: '"dep-base" ^2.0.0, but 1.2.0 is installed',
    });
  });

  it('refuses a dependency cycle and shows it', async () => {
    await fails([fixture('cycle')], ['cycle-a', 'cycle-b'], {
      code: ErrorCodes.DEPENDENCY_CYCLE, plugin: 'cycle-a', key: 'smile.dependsOn', message: 'dependency cycle: cycle-a → cycle-b → cycle-a',
    });
  });

  it('refuses two plugins with the same id, naming both folders', async () => {
    const e = await fails([fixture('duplicate')], ['twin'], { code: ErrorCodes.PLUGIN_DUPLICATE, plugin: 'twin', key: 'smile.id' });
    expect(e.message).to.contain(fixture('duplicate/twin-one')).and.contain(fixture('duplicate/twin-two'));
  });

  it('refuses settings that do not match the plugin schema', async () => {
    await fails([fixture('settings-strict')], ['settings-strict'], {
      code: ErrorCodes.SETTINGS_INVALID, plugin: 'settings-strict', key: 'plugins.settings.settings-strict.maxItems', message: 'expected number',
    }, { 'settings-strict': { maxItems: 'ten' } });
  });

  it('refuses settings given for a plugin that is not installed', async () => {
    await fails([fixture('settings-strict')], ['settings-strict'], {
      code: ErrorCodes.PLUGIN_UNKNOWN, plugin: 'setings-strict', key: 'plugins.settings.setings-strict', message: 'names plugin "setings-strict", which is not installed',
    }, { 'setings-strict': { maxItems: 3 } });
  });

  it('reports a register() that throws', async () => {
    await fails([fixture('register-throws')], ['register-throws'], {
      code: ErrorCodes.PLUGIN_REGISTER, plugin: 'register-throws', key: 'register', message: 'register() threw: the catalogue URL is missing',
    });
  });

  it('reports a bootstrap() that throws, destroys the plugins already bootstrapped in reverse order, and records the failure', async () => {
    const lifecycle: string[] = ((globalThis as any).smileTestLifecycle = []);
    await fails([fixture('bootstrap-chain')], ['boom'], {
      code: ErrorCodes.PLUGIN_BOOTSTRAP, plugin: 'boom', key: 'bootstrap', message: 'bootstrap() failed: cannot reach the directory server',
    });
    // dependency order (not alphabetical): zeta-base ← alpha-mid ← boom
    expect(lifecycle).to.deep.equal(['bootstrap zeta-base', 'bootstrap alpha-mid', 'bootstrap boom', 'destroy alpha-mid', 'destroy zeta-base']);
    const rows = await store.query((k) => k('plugins').whereIn('id', ['zeta-base', 'alpha-mid', 'boom']).orderBy('id'));
    const boom = rows.find((r) => r.id === 'boom');
    expect(boom.state).to.equal('failed');
    expect(boom.last_error).to.contain('cannot reach the directory server');
  });

  it('refuses a service that depends on a ref nobody provides', async () => {
    await fails([fixture('service-missing')], ['service-missing'], {
      code: ErrorCodes.SERVICE_MISSING, plugin: 'service-missing', key: 'deps.pdf', message: 'needs "pdf-maker.renderer", which no enabled plugin provides',
    });
  });

  it('refuses a route with neither a permission nor public: true', async () => {
    await fails([fixture('route-no-access')], ['route-no-access'], {
      code: ErrorCodes.ROUTE_INVALID, plugin: 'route-no-access', key: '/forgot-access', message: 'must declare a permission or "public: true"',
    });
  });

  it('rolls back every migration of a run when one fails halfway, leaving the database as it was', async () => {
    const snapshot = () =>
      store.query(async (k) => ({
        tables: ((await k('information_schema.tables').where({ table_schema: 'public' }).pluck('table_name')) as string[]).sort(),
        migrations: ((await k('smile_migrations').pluck('name')) as string[]).sort(),
      }));
    const before = await snapshot();
    expect(before.migrations).to.include('core/001-core');

    await fails([fixture('halfway')], ['halfway'], {
      code: ErrorCodes.MIGRATION_FAILED, plugin: 'halfway', key: 'halfway/002-broken', message: 'migration halfway/002-broken failed, nothing was applied',
    });

    const after = await snapshot();
    expect(after.tables).not.to.include('halfway_first');
    expect(after.tables).not.to.include('halfway_second');
    expect(await store.query((k) => k('smile_migrations').where({ owner: 'halfway' }))).to.deep.equal([]);
    expect(after).to.deep.equal(before);
  });
});
