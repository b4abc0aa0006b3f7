import { definePlugin } from '@smile/sdk';

/** Placeholder while the plugin is written. */
export default definePlugin({});
