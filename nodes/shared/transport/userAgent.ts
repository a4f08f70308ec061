import { name, version } from '../../../package.json';

/** Names this package and its version on every call, so SMASHSEND can tell n8n traffic apart. */
export const USER_AGENT = `${name}/${version} (n8n community node)`;
