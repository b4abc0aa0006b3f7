import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { KeyValueStore } from '@smile/sdk';

const PERIOD = 30;
/** One step either side: tolerates a phone clock 30 s off. */
const WINDOW = 1;

/** A new random secret (160 bits, RFC 4226's recommendation), base32 as authenticator apps take it. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

function totp(secret: string, issuer = '', label = 'SMILE'): TOTP {
  return new TOTP({ issuer, label, issuerInLabel: issuer !== '', secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD });
}

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export const totpUri = (secret: string, issuer: string, label: string): string => totp(secret, issuer, label).toString();

/** The secret grouped by four characters, easier to type from the screen. */
export const groupSecret = (secret: string): string => secret.replace(/(.{4})/g, '$1 ').trim();

/** The QR code of `uri` as inline SVG with an accessible name; generated here from our own URI, so safe to inline. */
export async function qrSvg(uri: string, label: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const safe = label.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return svg.replace('<svg ', `<svg role="img" aria-label="${safe}" focusable="false" class="auth-local-qr" `);
}

/** The current code, for tests. */
export const currentCode = (secret: string, timestamp = Date.now()): string => totp(secret).generate({ timestamp });

/**
 * Check a code typed by the person. A code is single-use: the time step it belongs to is recorded
 * in the shared store under `who` (an account, or a setup in progress), and a second use within
 * the validity window is `replayed`.
 */
export async function checkTotp(kv: KeyValueStore, who: string, secret: string, typed: string): Promise<'ok' | 'bad' | 'replayed'> {
  const token = typed.replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(token)) return 'bad';
  const t = totp(secret);
  const delta = t.validate({ token, window: WINDOW });
  if (delta === null) return 'bad';
  const step = t.counter() + delta;
  // kept until the step has left the window on every side
  const fresh = await kv.setIfAbsent(`auth-local:totp-used:${who}:${step}`, '1', (2 * WINDOW + 2) * PERIOD * 1000);
  return fresh ? 'ok' : 'replayed';
}
