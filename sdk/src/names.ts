/** `<plugin-id>.<entity>.<past-tense>`, e.g. `mobility.file.validated`. */
export const EVENT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z][a-z0-9-]*\.[a-z][a-z-]*$/;
/** `<plugin-id>:<resource>.<action>`, e.g. `mobility:file.validate`. */
export const PERMISSION_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*:[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;
