import { definePlugin } from '@smile/sdk';

export default definePlugin({});
