import { SmileError } from '@smile/sdk';
import { XmlCDataNode, XmlDocument, XmlElement, XmlTextNode } from 'xmldoc';
import { EWP_NS } from './ewp-xml.js';

/** Error code of a malformed `omobility-las-update-request` (HTTP 400). */
export const EWP_REQUEST_INVALID = 'SMILE_ERR_EWP_REQUEST_INVALID';

/** The signature of an EWP update request (`la:Signature`). */
export interface EwpSignature {
  signerName?: string;
  signerPosition?: string;
  signerEmail?: string;
  /** ISO 8601 in UTC (a time without offset is read as UTC). */
  timestamp: string;
  signerApp?: string;
}

/** What a partner asks with an `omobility-las-update-request`. */
export type EwpUpdateRequest =
  | { kind: 'approve'; sendingHeiId: string; omobilityId: string; proposalId: string; signature: EwpSignature }
  | { kind: 'comment'; sendingHeiId: string; omobilityId: string; proposalId: string; comment: string; signature: EwpSignature };

/** Requests are a few hundred bytes; anything far larger is refused before parsing. */
const MAX_BYTES = 256 * 1024;

function fail(message: string, cause?: unknown): never {
  throw new SmileError(EWP_REQUEST_INVALID, `invalid omobility-las-update-request: ${message}`, { plugin: 'learning-agreement', status: 400, cause });
}

/** An element with its namespace resolved. */
interface Node {
  ns: string;
  local: string;
  path: string;
  el: XmlElement;
  children: Node[];
}

/** Resolves prefixes (xmldoc keeps `prefix:name` as written) and checks that no text sits between elements. */
function resolve(el: XmlElement, scope: Map<string, string>, parentPath: string): Node {
  let own = scope;
  for (const [name, value] of Object.entries(el.attr)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      if (own === scope) own = new Map(scope);
      own.set(name === 'xmlns' ? '' : name.slice(6), value);
    }
  }
  const colon = el.name.indexOf(':');
  const prefix = colon < 0 ? '' : el.name.slice(0, colon);
  const local = colon < 0 ? el.name : el.name.slice(colon + 1);
  const ns = own.get(prefix);
  const path = parentPath ? `${parentPath}/${local}` : local;
  if (ns === undefined && prefix) fail(`${path}: undeclared namespace prefix "${prefix}"`);
  const children: Node[] = [];
  for (const child of el.children) {
    if (child instanceof XmlElement) children.push(resolve(child, own, path));
  }
  if (children.length && el.children.some((c) => (c instanceof XmlTextNode && c.text.trim()) || c instanceof XmlCDataNode)) {
    fail(`${path}: text is not allowed between elements`);
  }
  return { ns: ns ?? '', local, path, el, children };
}

/**
 * Reads the children of `node` in schema order: each spec is [namespace, name, required]. Unknown,
 * repeated or misplaced elements are errors, as xs:sequence makes them.
 */
function sequence(node: Node, specs: [string, string, boolean][]): Map<string, Node> {
  const found = new Map<string, Node>();
  let i = 0;
  for (const [ns, name, required] of specs) {
    const child = node.children[i];
    if (child && child.ns === ns && child.local === name) {
      found.set(name, child);
      i++;
    } else if (required) {
      if (!child) fail(`${node.path}: <${name}> is missing`);
      if (child.local === name) fail(`${node.path}: <${name}> must be in namespace ${ns}, not ${child.ns || 'no namespace'}`);
      fail(`${node.path}: expected <${name}>, found <${child.local}>`);
    }
  }
  const extra = node.children[i];
  if (extra) fail(`${node.path}: unexpected <${extra.local}>${extra.ns ? '' : ' (no namespace)'}`);
  return found;
}

function text(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.children.length) fail(`${node.path}: must contain text only`);
  return node.el.val;
}

function identifier(node: Node): string {
  const v = (text(node) ?? '').trim();
  if (!/^[\x21-\x7E]{1,64}$/.test(v)) fail(`${node.path}: "${v.slice(0, 80)}" is not 1–64 printable ASCII characters`);
  return v;
}

const DATE_TIME = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

function signature(node: Node): EwpSignature {
  const la = EWP_NS.getResponse;
  const f = sequence(node, [[la, 'signer-name', false], [la, 'signer-position', false], [la, 'signer-email', false], [la, 'timestamp', true], [la, 'signer-app', false]]);
  const raw = text(f.get('timestamp'))!.trim();
  const m = DATE_TIME.exec(raw);
  const when = m ? new Date(m[8] ? raw : `${raw}Z`) : null;
  // Date() rolls 30 February over to March: the calendar day is checked on its own.
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !when || Number.isNaN(when.getTime()) || day!.getUTCDate() !== Number(m[3]) || day!.getUTCMonth() !== Number(m[2]) - 1) fail(`${node.path}/timestamp: "${raw.slice(0, 40)}" is not a date-time`);
  const opt = (name: string) => {
    const v = text(f.get(name))?.trim();
    return v ? v : undefined;
  };
  const sig: EwpSignature = { timestamp: when.toISOString() };
  const name = opt('signer-name'), position = opt('signer-position'), email = opt('signer-email'), app = opt('signer-app');
  if (name) sig.signerName = name;
  if (position) sig.signerPosition = position;
  if (email) sig.signerEmail = email;
  if (app) sig.signerApp = app;
  return sig;
}

/**
 * Reads an EWP `omobility-las-update-request` (approve-proposal-v1 or comment-proposal-v1), checking
 * namespaces, element order and value formats as the XSD does. Throws `SMILE_ERR_EWP_REQUEST_INVALID`
 * (HTTP 400) saying what is wrong and where. DOCTYPEs are refused (no entity expansion).
 */
export function readLaUpdateRequest(xml: string | Buffer): EwpUpdateRequest {
  const source = Buffer.isBuffer(xml) ? xml.toString('utf8') : xml;
  if (typeof source !== 'string' || !source.trim()) fail('the body is empty');
  if (Buffer.byteLength(source, 'utf8') > MAX_BYTES) fail(`the body is larger than ${MAX_BYTES} bytes`);
  if (/<!DOCTYPE/i.test(source)) fail('a DOCTYPE is not allowed');
  let doc: XmlDocument;
  try {
    doc = new XmlDocument(source.replace(/^\uFEFF/, ''));
  } catch (e) {
    fail(`not well-formed XML (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`, e);
  }
  const root = resolve(doc, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), '');
  const req = EWP_NS.updateRequest;
  if (root.local !== 'omobility-las-update-request' || root.ns !== req) {
    fail(`the root element must be <omobility-las-update-request> in namespace ${req}, not <${root.local}>${root.ns ? ` in ${root.ns}` : ''}`);
  }
  const kindNode = root.children[1];
  if (kindNode && !(kindNode.ns === req && ['approve-proposal-v1', 'comment-proposal-v1'].includes(kindNode.local))) {
    fail(`${root.path}: expected <approve-proposal-v1> or <comment-proposal-v1>, found <${kindNode.local}>`);
  }
  const kind = kindNode?.local === 'comment-proposal-v1' ? 'comment' : 'approve';
  const top = sequence(root, [[req, 'sending-hei-id', true], [req, kind === 'comment' ? 'comment-proposal-v1' : 'approve-proposal-v1', true]]);
  const sendingHeiId = identifier(top.get('sending-hei-id')!);
  const body = top.get(kind === 'comment' ? 'comment-proposal-v1' : 'approve-proposal-v1')!;
  const specs: [string, string, boolean][] = [[req, 'omobility-id', true], [req, 'changes-proposal-id', true]];
  if (kind === 'comment') specs.push([req, 'comment', true]);
  specs.push([req, 'signature', true]);
  const f = sequence(body, specs);
  const omobilityId = identifier(f.get('omobility-id')!);
  const proposalId = (text(f.get('changes-proposal-id')) ?? '').trim();
  if (!proposalId) fail(`${body.path}/changes-proposal-id: is empty`);
  const sig = signature(f.get('signature')!);
  if (kind === 'approve') return { kind, sendingHeiId, omobilityId, proposalId, signature: sig };
  const comment = (text(f.get('comment')) ?? '').trim();
  if (!comment) fail(`${body.path}/comment: is empty`);
  return { kind, sendingHeiId, omobilityId, proposalId, comment, signature: sig };
}
