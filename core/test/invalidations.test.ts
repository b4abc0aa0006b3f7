// Two platform processes on one PostgreSQL server: what one changes (a sign-out everywhere, a role
// given) reaches the sessions and permissions the other holds in memory, through the invalidation
// channel; with the channel down, the other holds nothing and reads every time.
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { Platform } from '../src/platform.js';
import { sessionIdOf } from '../src/http/sessions.js';
import { fixture } from './support.js';

const PLUGINS = ['signin-probe', 'base'];

/** Wait until `check` holds: a change heard through the channel arrives a little after the request that made it. */
async function eventually(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('two processes on one database server: caches follow each other’s changes', function () {
  this.timeout(90_000);
  let a: TestPlatform;
  let b: Platform;
  let bUrl: string;

  before(async function () {
    if (!process.env.DATABASE_URL) return this.skip(); // the embedded database has one process
    a = await startTestPlatform({ plugins: PLUGINS, pluginPaths: [fixture('signin-probe')] });
    // the second process: same database and configuration, sessions and jobs under the same prefix
    b = await Platform.boot({ config: a.platform.config, only: PLUGINS, jobsPrefix: (a.platform as any).opts.jobsPrefix });
    const { port } = await b.listen({ port: 0, host: '127.0.0.1' });
    bUrl = `http://127.0.0.1:${port}`;
    for (const code of ['UFR1']) await a.resolve(coreServices.roles).saveComponent({ institutionId: a.institution.id, label: 'test' }, { code, name: { fr: code, en: code } });
  });
  after(async () => {
    await b?.stop();
    await a?.stop();
  });

  /** Delete a person's session where it is stored (the table, or Redis), telling no process. */
  async function removeQuietly(personId: number, cookie: string): Promise<void> {
    const store = a.platform.sessions as { redis?: { del(k: string): Promise<number> }; key?(id: string): string };
    const token = /smile_sid=([^;]+)/.exec(cookie)![1]!;
    if (store.redis) await store.redis.del(store.key!(sessionIdOf(token)));
    else await a.knex('sessions').where({ person_id: personId }).del();
  }

  /** `/probe/whoami` on process B with a session cookie. */
  const whoOnB = async (cookie: string) => (await (await fetch(`${bUrl}/probe/whoami`, { headers: { cookie } })).json()) as { kind: string; roles: string[]; canUfr1: boolean };

  it('a role given and a sign-out everywhere in one process count in the other', async () => {
    const s = await a.signIn(['student'], { displayName: 'Ada Two-Process' });
    expect((await whoOnB(s.cookie)).kind).to.equal('user');
    expect((await whoOnB(s.cookie)).canUfr1, 'read again: now from B’s memory').to.equal(false);

    // given in A: B's memory of the person (kept without limit while the channel is live) is dropped
    await a.resolve(coreServices.roles).assign({ institutionId: a.institution.id, label: 'test' }, s.personId, 'referent', ['UFR1']);
    await eventually('B sees the role given in A', async () => (await whoOnB(s.cookie)).canUfr1);

    // signed out everywhere in A: B's cached session is dropped
    await a.platform.sessions.deleteByPerson(s.personId);
    await eventually('B sees the sign-out made in A', async () => (await whoOnB(s.cookie)).kind === 'anonymous');
  });

  it('with the channel down, holds nothing: a sign-out elsewhere counts at once; back up, caches again', async () => {
    await eventually('B listens', () => b.invalidations.live);
    await a.knex.raw(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'smile-invalidations' and datname = current_database()`);
    await eventually('B knows its channel is down', () => !b.invalidations.live);

    const s = await a.signIn(['student'], { displayName: 'Bea Channel-Down' });
    expect((await whoOnB(s.cookie)).kind).to.equal('user');
    // removed behind every process's back (no announcement): only a process that reads each time can see it
    await removeQuietly(s.personId, s.cookie);
    expect((await whoOnB(s.cookie)).kind, 'B read the session again').to.equal('anonymous');

    await eventually('B listens again', () => b.invalidations.live);
    const again = await a.signIn(['student'], { displayName: 'Cy Channel-Up' });
    expect((await whoOnB(again.cookie)).kind).to.equal('user');
    await a.platform.sessions.deleteByPerson(again.personId);
    await eventually('B sees the sign-out made in A', async () => (await whoOnB(again.cookie)).kind === 'anonymous');
  });
});
