/**
 * A malformed instance configuration stops with SMILE_ERR_CONFIG_INVALID naming the key, before
 * anything starts.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ErrorCodes } from '@smile/sdk';
import { loadConfig } from '@smile/core';
import { expectSmileError, tempDir } from './support.js';

describe('instance configuration', () => {
  /** A working directory holding `smile.config.json` with `body`. */
  const withConfigFile = (body: string) => {
    const cwd = tempDir('smile-config-');
    writeFileSync(path.join(cwd, 'smile.config.json'), body);
    return cwd;
  };
  const load = async (o: { env?: NodeJS.ProcessEnv; cwd: string }) => loadConfig({ env: o.env ?? {}, cwd: o.cwd });

  it('reads a valid file, then lets the environment override it', async () => {
    const cwd = withConfigFile(JSON.stringify({ port: 8080, dataDir: './data', plugins: { paths: ['./more-plugins'] } }));
    const c = await load({ cwd, env: { PORT: '9090', SMILE_LOG_LEVEL: 'warn' } });
    expect(c.port).to.equal(9090);
    expect(c.logLevel).to.equal('warn');
    expect(c.dataDir).to.equal(path.join(cwd, 'data'));
    expect(c.plugins.paths).to.deep.equal([path.join(cwd, 'more-plugins')]);
    expect(c.configFile).to.equal(path.join(cwd, 'smile.config.json'));
  });

  it('refuses a smile.config.json that is not JSON, naming the file', async () => {
    const cwd = withConfigFile('{ "port": 3000, }');
    const file = path.join(cwd, 'smile.config.json');
    const e = await expectSmileError(load({ cwd }), { code: ErrorCodes.CONFIG_INVALID, key: file, message: `cannot parse ${file}` });
    expect(e.plugin).to.equal(undefined);
  });

  it('refuses an unknown key, naming it', async () => {
    const cwd = withConfigFile(JSON.stringify({ prot: 3000 }));
    await expectSmileError(load({ cwd }), { code: ErrorCodes.CONFIG_INVALID, key: 'prot', message: /Unrecognized key: "prot"/ });
  });

  it('refuses an unknown nested key, naming its full path', async () => {
    const cwd = withConfigFile(JSON.stringify({ plugins: { path: ['./x'] } }));
    await expectSmileError(load({ cwd }), { code: ErrorCodes.CONFIG_INVALID, key: 'plugins.path' });
  });

  it('refuses a PORT environment variable that is not a number', async () => {
    const cwd = tempDir('smile-config-');
    await expectSmileError(load({ cwd, env: { PORT: 'eighty' } }), { code: ErrorCodes.CONFIG_INVALID, key: 'PORT', message: 'PORT must be a whole number, got "eighty"' });
  });

  it('refuses a port in the file that is not a number', async () => {
    const cwd = withConfigFile(JSON.stringify({ port: '3000' }));
    await expectSmileError(load({ cwd }), { code: ErrorCodes.CONFIG_INVALID, key: 'port', message: 'expected number' });
  });

  it('refuses a SMILE_CONFIG that points to no file', async () => {
    const cwd = tempDir('smile-config-');
    await expectSmileError(load({ cwd, env: { SMILE_CONFIG: 'prod.json' } }), { code: ErrorCodes.CONFIG_INVALID, key: 'SMILE_CONFIG', message: 'prod.json does not exist' });
  });
});
