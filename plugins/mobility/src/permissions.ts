/** Permissions of the mobility plugin (names are API: roles and other plugins refer to them). */
export const PERMISSIONS = {
  /** See the files (a role given for some components sees those components' files). */
  read: 'mobility:files.read',
  /** Create, import and edit files; act on the steps a manager owns. */
  manage: 'mobility:files.manage',
} as const;
