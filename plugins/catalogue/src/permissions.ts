/** Permissions of the catalogue (names are API: roles and other plugins refer to them). */
export const PERMISSIONS = {
  /** See the whole offer in the back office (closed elements, local edits, import history). */
  read: 'catalogue:offer.read',
  /** Edit formations and elements, open/close them to mobility, use the offer editor. */
  edit: 'catalogue:offer.edit',
  /** Run imports and syncs, copy a year forward. */
  import: 'catalogue:import.run',
} as const;
