/**
 * What the Learning Agreement's storage and circuit share: permissions, settings, the shapes of
 * stored agreements, versions, signatures and refusals, and the coded refusal of an action.
 * @packageDocumentation
 */
import { ErrorCodes, SmileError, z } from '@smile/sdk';
import type { AuditActor } from '@smile/sdk';
import { LA_ADD_REASONS, LA_DELETE_REASONS, LA_MOBILITY_TYPES, LA_PARTIES } from './model.js';
import type { LaDocument, LaParty } from './model.js';

/** Permissions of the plugin (names are API: roles refer to them). */
export const PERMISSIONS = {
  /** See Learning Agreements (staff page, downloads, API), in one's component scope. */
  read: 'learning-agreement:agreements.read',
  /** Sign for the receiving institution (delegation: any holder signs for the institution). */
  sign: 'learning-agreement:agreements.sign',
  /** Record a signature given on paper, send a new signing link. */
  manage: 'learning-agreement:agreements.manage',
  /** The student's own agreement: the mobility plugin's own-file permission. */
  self: 'mobility:own-file.use',
} as const;

const person = z.object({
  givenNames: z.string().max(200).default(''),
  familyName: z.string().max(200).default(''),
  email: z.string().max(320).default(''),
  phone: z.string().max(50).optional(),
  position: z.string().max(200).optional(),
});

/** The plugin settings (instance, with institution overrides). */
export const settingsSchema = z.object({
  /** Who signs, in order. Each party once. */
  signatureOrder: z
    .array(z.enum(LA_PARTIES))
    .length(3)
    .refine((l) => new Set(l).size === 3, 'each party exactly once')
    .default(['student', 'sending', 'receiving']),
  /** Days a signing link mailed to the sending institution stays valid. */
  linkValidityDays: z.number().int().min(1).max(90).default(14),
  /** The receiving institution's contact and responsible person; mail to the office goes to its address. */
  officeContact: person.default({ givenNames: '', familyName: '', email: '' }),
  /** Where the institution's recognition provisions are published. */
  provisionsUrl: z.string().url().optional(),
  /** The mobility type written in new agreements. */
  mobilityType: z.enum(LA_MOBILITY_TYPES).default('physical'),
});
export type LaSettings = z.infer<typeof settingsSchema>;

/** Where the latest version stands. */
export const LA_STATES = ['draft', 'signing', 'refused', 'signed'] as const;
export type LaState = (typeof LA_STATES)[number];

/** A stored signature. */
export interface StoredSignature {
  id: number;
  party: LaParty;
  name: string;
  position: string | null;
  email: string;
  signedAt: Date;
  ip: string | null;
  hashSigned: string;
  onPaper: boolean;
  scanId: number | null;
  personId: number | null;
  viaLink: boolean;
  recordedBy: number | null;
}

/** A stored refusal: the version goes back to the student. */
export interface StoredRefusal {
  party: LaParty;
  name: string;
  email: string | null;
  comment: string;
  refusedAt: Date;
}

/** One version, with what happened to it. */
export interface StoredVersion {
  id: number;
  number: number;
  kind: 'first' | 'change';
  /** The document as agreed: no signatures, no earlier versions, no branding. */
  document: LaDocument;
  hash: string;
  createdBy: string;
  createdAt: Date;
  signatures: StoredSignature[];
  refusal: StoredRefusal | null;
  /** Derived: `signed` (all parties), `refused`, `superseded` (a newer version exists), `pending`. */
  status: 'pending' | 'signed' | 'refused' | 'superseded';
}

/** An agreement with its versions, oldest first. */
export interface StoredAgreement {
  id: number;
  institutionId: number;
  fileId: number;
  omobilityId: string;
  academicYear: number;
  state: LaState;
  latestVersion: number;
  choiceMissing: boolean;
  /** Optimistic-locking counter of the agreement row. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  versions: StoredVersion[];
}

/** A component removed or added by a change proposal. */
export const changeItemSchema = z.discriminatedUnion('change', [
  z.object({
    table: z.enum(['studied', 'recognised', 'virtual']),
    change: z.literal('deleted'),
    reason: z.enum(LA_DELETE_REASONS),
    reasonText: z.string().max(500).optional(),
    component: z.record(z.string(), z.unknown()),
  }),
  z.object({
    table: z.enum(['studied', 'recognised', 'virtual']),
    change: z.literal('added'),
    reason: z.enum(LA_ADD_REASONS),
    reasonText: z.string().max(500).optional(),
    component: z.record(z.string(), z.unknown()),
  }),
]);
export type ChangeItem = z.infer<typeof changeItemSchema>;

/** Why an action on a Learning Agreement is refused; each reason has a message in `la.errors.*`. */
export type LaErrorReason =
  | 'stale' | 'alreadySigned' | 'notYourTurn' | 'refused' | 'signed' | 'locked' | 'incomplete' | 'comment'
  | 'linkUnknown' | 'linkExpired' | 'linkUsed' | 'linkRevoked' | 'noSignedVersion' | 'changeInProgress'
  | 'invalid' | 'notFound' | 'scan';

const STATUS: Record<LaErrorReason, number> = {
  stale: 409, alreadySigned: 409, notYourTurn: 409, refused: 409, signed: 409, locked: 409, incomplete: 422, comment: 422,
  linkUnknown: 404, linkExpired: 410, linkUsed: 410, linkRevoked: 410, noSignedVersion: 409, changeInProgress: 409,
  invalid: 422, notFound: 404, scan: 422,
};
const CODE: Partial<Record<number, string>> = { 404: ErrorCodes.NOT_FOUND, 409: ErrorCodes.CONFLICT };

/** A refused action, with a reason the pages turn into a message in the user's language. */
export class LaError extends SmileError {
  constructor(readonly reason: LaErrorReason, message: string, readonly details: { missing?: string[]; field?: string } = {}) {
    super(CODE[STATUS[reason]] ?? ErrorCodes.VALIDATION, message, { plugin: 'learning-agreement', status: STATUS[reason], expose: true, key: details.field });
  }
}

/** Who acts on an agreement: a person (student, staff), the holder of a signing link, or the platform. */
export type LaActor = AuditActor & { institutionId: number; personId?: number | null };
