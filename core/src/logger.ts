import { pino } from 'pino';
import type { Logger } from '@smile/sdk';

/** Paths pino redacts wherever they appear in a log object. */
const REDACT = [
  'password', '*.password', 'secret', '*.secret', 'token', '*.token', 'authorization', '*.authorization',
  'req.headers.authorization', 'req.headers.cookie', 'headers.cookie', 'databaseUrl', 'redisUrl', 'smtp.password',
  '*.apiKey', 'apiKey',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'smile' } },
    destination as any,
  ) as unknown as Logger;
}

/** Replace credentials in a connection URL with `***` (for logs and status pages). */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
