import type { IDisplayOptions, IExecuteFunctions } from 'n8n-workflow';

/** When a parameter shows: the parameters it depends on (and `@version`, the node's version). */
export type Show = NonNullable<IDisplayOptions['show']>;

/** Shown from node version 2 on (n8n's light versioning: saved version 1 nodes keep their parameters). */
export const FROM_VERSION_2: Show = { '@version': [{ _cnd: { gte: 2 } }] };
/** Shown from node version 3 on: Simplify on Create or Update and Update, Delete's `{ deleted: true }`. */
export const FROM_VERSION_3: Show = { '@version': [{ _cnd: { gte: 3 } }] };
/** Shown from node version 4 on: Event → Send's properties as fields, Get Many's Sort of its own. */
export const FROM_VERSION_4: Show = { '@version': [{ _cnd: { gte: 4 } }] };
/** Shown on versions 1 to 3 only: what version 4 replaced (Event → Send's Properties (JSON) alone, Sort among the Filters). */
export const UP_TO_VERSION_3: Show = { '@version': [1, 2, 3] };
/** Shown on versions 1 and 2 only: what version 3 replaced (Options' Timeout (Ms), Max Retries and Max Wait one by one). */
export const UP_TO_VERSION_2: Show = { '@version': [1, 2] };
/** Shown on version 1 only. */
export const VERSION_1: Show = { '@version': [1] };

/** The node's version (1 when n8n gives none, as for nodes saved before versions). */
export function nodeVersion(this: IExecuteFunctions): number {
	const version = Number(this.getNode().typeVersion);
	return Number.isFinite(version) ? version : 1;
}
