import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { DbSessionStore, RequestSession, SESSION_COOKIE, sessionIdOf } from '../src/http/sessions.js';
import { Invalidations } from '../src/db/invalidations.js';

const TIMEOUTS = { idleMs: 2 * 3_600_000, absoluteMs: 12 * 3_600_000 };
const HOUR = 3_600_000;

/** Only what `RequestSession.load` reads of a Koa context: the session cookie. */
const withCookie = (token: string) => ({ cookies: { get: (name: string) => (name === SESSION_COOKIE ? token : undefined) } }) as any;

describe('session timeouts', () => {
  let t: TestPlatform;
  let store: DbSessionStore;
  before(async () => {
    t = await startTestPlatform({ plugins: ['base'] });
    // uncached: each load reads the row, as on a server whose invalidation channel is down
    const offline = new Invalidations(undefined, t.platform.log);
    offline.live = false;
    store = new DbSessionStore(t.knex, TIMEOUTS, offline);
  });
  after(() => t?.stop());

  /** A session row signed in `age` ago and last seen `idle` ago; returns its cookie value. */
  async function session(o: { age: number; idle: number; institutionId?: number }): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await t.knex('sessions').insert({
      id: sessionIdOf(token), institution_id: o.institutionId ?? t.institution.id, data: JSON.stringify({ personId: null, label: 'x' }),
      created_at: new Date(now - o.age), last_seen_at: new Date(now - o.idle), expires_at: new Date(now - o.age + TIMEOUTS.absoluteMs),
    });
    return token;
  }
  const load = async (token: string, institutionId = t.institution.id) => (await RequestSession.load(withCookie(token), store, institutionId, TIMEOUTS)).exists;

  it('keeps a session used within the idle timeout and before its absolute end', async () => {
    expect(await load(await session({ age: 11 * HOUR, idle: 1 * HOUR }))).to.equal(true);
  });

  it('ends a session idle for longer than the idle timeout', async () => {
    expect(await load(await session({ age: 3 * HOUR, idle: 2 * HOUR + 60_000 }))).to.equal(false);
  });

  it('ends a session past its absolute lifetime, however active', async () => {
    expect(await load(await session({ age: 12 * HOUR + 60_000, idle: 0 }))).to.equal(false);
  });

  it('does not honour a session of another institution', async () => {
    const other = await t.createInstitution({ code: 'elsewhere' });
    const token = await session({ age: 0, idle: 0, institutionId: other.id });
    expect(await load(token)).to.equal(false);
    expect(await load(token, other.id)).to.equal(true);
  });

  it('purges expired and idle sessions, and only those', async () => {
    const live = await session({ age: HOUR, idle: 0 });
    await session({ age: 3 * HOUR, idle: 3 * HOUR });
    await store.purge();
    const left = (await t.knex('sessions').pluck('id')) as string[];
    expect(left).to.include(sessionIdOf(live));
    const stale = await t.knex('sessions').where('last_seen_at', '<', new Date(Date.now() - TIMEOUTS.idleMs));
    expect(stale).to.deep.equal([]);
  });
});
