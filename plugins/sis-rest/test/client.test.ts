import { expect } from 'chai';
import { RateLimiter, RestClient, RestError, retryAfterMs, safeUrl, type ClientOptions, type Clock } from '../src/client.js';
import { startPegaseStandIn, type PegaseStandIn } from './pegase-stand-in.js';

/** A clock whose sleeps return at once and move time on: spacing and backoff are read from it, not waited for. */
function fakeClock(start = Date.UTC(2026, 8, 1, 5, 0, 0)) {
  const clock = {
    time: start,
    sleeps: [] as number[],
    now: () => clock.time,
    async sleep(ms: number) {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock satisfies Clock;
}

describe('sis-rest: rate limit', () => {
  it('spaces request starts 1/rps apart, also for concurrent callers, and not at all with 0', async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter(4, clock);
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await limiter.acquire();
      starts.push(clock.now());
    }
    expect(starts).to.deep.equal([0, 250, 500]);
    // time passes without requests: the next one goes at once
    clock.time = 2000;
    await limiter.acquire();
    expect(clock.now()).to.equal(2000);

    // three callers at the same instant: they start 0, 500 and 1000 ms later
    const frozen = { now: () => 0, waits: [] as number[], async sleep(ms: number) { frozen.waits.push(ms); } };
    const l2 = new RateLimiter(2, frozen);
    await Promise.all([l2.acquire(), l2.acquire(), l2.acquire()]);
    expect(frozen.waits).to.deep.equal([500, 1000]);

    const c3 = fakeClock(0);
    const l3 = new RateLimiter(0, c3);
    await Promise.all([l3.acquire(), l3.acquire()]);
    expect(c3.sleeps).to.deep.equal([]);
  });

  it('reads Retry-After in seconds and as a date', () => {
    const now = Date.UTC(2026, 8, 1, 5, 0, 0);
    expect(retryAfterMs('2', now)).to.equal(2000);
    expect(retryAfterMs(new Date(now + 30_000).toUTCString(), now)).to.equal(30_000);
    expect(retryAfterMs('bientôt', now)).to.equal(null);
    expect(retryAfterMs(null, now)).to.equal(null);
  });
});

describe('sis-rest: HTTP client against a Pégase stand-in', () => {
  let api: PegaseStandIn;
  before(async () => {
    api = await startPegaseStandIn();
  });
  after(async () => api?.close());
  beforeEach(() => api.reset());

  const client = (clock: Clock, over: Partial<ClientOptions> = {}) =>
    new RestClient({ baseUrl: api.url, authHeader: { name: 'Authorization', value: `Bearer ${api.token}` }, timeoutMs: 5000, maxRetries: 3, retryDelayMs: 100, requestsPerSecond: 0, clock, ...over });
  const structures = (c: RestClient) => c.getJson(c.url(`/etablissements/${api.etablissement}/structures?page=0&taille=10`));
  const failure = (p: Promise<unknown>) => p.then(() => expect.fail('it should have failed'), (e: Error) => e);

  it('retries a 500 and gets the page', async () => {
    api.fail({ resource: 'structures', status: 500 });
    const clock = fakeClock();
    const page = await structures(client(clock));
    expect((page.body as { items: unknown[] }).items).to.have.length(3);
    expect(api.requests.map((r) => r.status)).to.deep.equal([500, 200]);
    expect(clock.sleeps).to.deep.equal([100]);
  });

  it('doubles the wait after each failure, and gives up after maxRetries', async () => {
    api.fail({ resource: 'structures', status: 503, times: 3 });
    const clock = fakeClock();
    await structures(client(clock));
    expect(clock.sleeps).to.deep.equal([100, 200, 400]);

    api.reset();
    api.fail({ resource: 'structures', status: 502, times: Infinity });
    const e = await failure(structures(client(fakeClock(), { maxRetries: 2 })));
    expect(e).to.be.instanceOf(RestError);
    expect(e.message).to.match(/answered 502 Bad Gateway \(gave up after 3 attempts\)$/);
    expect(api.requests).to.have.length(3);
  });

  it('waits as long as a 429 Retry-After asks, in seconds or as a date', async () => {
    const clock = fakeClock();
    api.fail({ resource: 'structures', status: 429, retryAfter: '7' });
    // the date is read when the second 429 comes, 7 s later
    api.fail({ resource: 'structures', status: 429, retryAfter: new Date(clock.time + 7000 + 20_000).toUTCString() });
    await structures(client(clock));
    expect(clock.sleeps).to.deep.equal([7000, 20_000]);
    expect(api.requests.map((r) => r.status)).to.deep.equal([429, 429, 200]);
  });

  it('does not retry a 401, says to check the auth header, and never repeats the credentials', async () => {
    const token = api.token;
    const c = client(fakeClock());
    api.token = 'another-token';
    const e = await failure(structures(c));
    expect(e.message).to.match(/answered 401 Unauthorized: check the auth header/);
    expect(api.requests).to.have.length(1);
    expect(e.message).not.to.contain(token);

    api.reset();
    api.fail({ resource: 'structures', status: 403, body: JSON.stringify({ message: `jeton Bearer ${api.token} expiré` }) });
    const echoed = await failure(structures(client(fakeClock())));
    expect(echoed.message).to.contain('[redacted]').and.not.contain(api.token);
  });

  it('fails at once on malformed JSON', async () => {
    api.fail({ resource: 'structures', body: '{"items": [{"code": "UFR-ECO", ' });
    const e = await failure(structures(client(fakeClock())));
    expect(e.message).to.match(/did not answer JSON \(application\/json\)/);
    expect(api.requests).to.have.length(1);
  });

  it('retries a request that times out', async () => {
    api.fail({ resource: 'structures', hang: true });
    const clock = fakeClock();
    const page = await structures(client(clock, { timeoutMs: 150 }));
    expect((page.body as { items: unknown[] }).items).to.have.length(3);
    expect(api.requests).to.have.length(2);
  });

  it('keeps the auth header on the API: redirects and links to another site are refused', async () => {
    api.fail({ resource: 'structures', status: 302, headers: { location: 'http://localhost:9/collect' } });
    const e = await failure(structures(client(fakeClock())));
    expect(e.message).to.match(/refused to follow http:\/\/localhost:9\/collect/);
    const c = client(fakeClock());
    const direct = await failure(c.getJson(new URL('https://elsewhere.example/odf')));
    expect(direct.message).to.match(/not on http:\/\/127\.0\.0\.1/);
    expect(safeUrl('https://user:pw@api.example/x?page=2')).to.equal('https://api.example/x?page=2');
  });
});
