import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { editorList } from './listCall';

/** The workspace's transactional templates as the Template picker and the Variables fields read them. */

/** Templates per page of the picker (SMASHSEND's largest page). */
const TEMPLATE_PAGE_SIZE = 100;

/** A template as the pickers need it: the name a send gives, its title and status. */
export interface TemplateSummary {
	id?: string;
	name: string;
	displayName?: string;
	status?: string;
	/** As the list gives them, when it does (`{name: {id, defaultValue}}`). */
	variables?: unknown;
}

/**
 * One page of the workspace's templates, after `cursor` (the editor's one call); throws the
 * dropdown's error when SMASHSEND refused; undefined when the call was cancelled. With
 * `publishedOnly`, the active ones only (SMASHSEND's `status=ACTIVE`): drafts, paused and
 * archived templates are not offered to send with.
 */
export async function readTemplatesPage(
	this: ILoadOptionsFunctions,
	cursor?: string,
	publishedOnly = false,
): Promise<{ items: TemplateSummary[]; cursor?: string } | undefined> {
	const listed = await editorList.call(this, 'the templates', {
		method: 'GET',
		path: '/transactional',
		qs: { limit: TEMPLATE_PAGE_SIZE, ...(publishedOnly ? { status: 'ACTIVE' } : {}), ...(cursor ? { cursor } : {}) },
	});
	if (!listed) return undefined;
	const page = templatesPage(listed);
	// Should SMASHSEND not filter, the picker still offers no draft, paused or archived template.
	return publishedOnly ? { ...page, items: page.items.filter((t) => t.status === undefined || t.status === 'ACTIVE') } : page;
}

/** One page of `GET /transactional`: `{transactional: {items, cursor, hasMore}}`. */
function templatesPage(json: IDataObject): { items: TemplateSummary[]; cursor?: string } {
	const page = (json.transactional ?? {}) as IDataObject;
	const items = (Array.isArray(page.items) ? (page.items as IDataObject[]) : [])
		.filter((t) => typeof t.name === 'string' && t.name !== '')
		.map((t) => ({
			id: typeof t.id === 'string' ? t.id : undefined,
			name: t.name as string,
			displayName: typeof t.displayName === 'string' ? t.displayName : undefined,
			status: typeof t.status === 'string' ? t.status : undefined,
			variables: t.variables ?? undefined,
		}));
	const cursor = page.hasMore === true && typeof page.cursor === 'string' ? page.cursor : undefined;
	return { items, cursor };
}
