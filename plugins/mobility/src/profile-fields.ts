/**
 * The fields of a file a student completes, by name. An exchange type lists the ones it requires
 * (`mobility_exchange_types.required_fields`); the configuration page offers exactly these, and the
 * student's profile page checks them. Labels are `mobility:profile.fields.<name>`.
 */
export const PROFILE_FIELDS = ['birthDate', 'nationality', 'gender', 'email', 'homeAddress', 'plannedDates', 'eqfLevel', 'isced', 'specialNeeds'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** Required when an institution has not chosen. */
export const DEFAULT_REQUIRED_FIELDS: readonly ProfileField[] = ['birthDate', 'nationality', 'gender', 'email', 'homeAddress'];

export const isProfileField = (v: unknown): v is ProfileField => typeof v === 'string' && (PROFILE_FIELDS as readonly string[]).includes(v);
