/** Permissions of the mobility plugin (names are API: roles and other plugins refer to them). */
export const PERMISSIONS = {
  /** See the files (a role given for some components sees those components' files). */
  read: 'mobility:files.read',
  /** Create, import and edit files; act on the steps a manager owns. */
  manage: 'mobility:files.manage',
  /** See and complete one's own file (the person the file is about): the student space. */
  self: 'mobility:own-file.use',
  /** Edit the processes, exchange types, application periods and document types. */
  configure: 'mobility:processes.configure',
} as const;
