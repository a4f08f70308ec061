import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { editorCall, listFailure } from './listCall';

/** Contacts per page of the picker (SMASHSEND allows up to 100). */
const PAGE_SIZE = 50;

/**
 * Contact → From List: SMASHSEND's contacts, newest first, searched by email or name
 * (`GET /contacts?search=`), a page at a time as the user scrolls.
 */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const search = filter?.trim();
	const listed = await editorCall.call(this, {
		method: 'GET',
		path: '/contacts',
		qs: {
			limit: PAGE_SIZE,
			sort: 'createdAt.desc',
			...(search ? { search } : {}),
			...(paginationToken ? { cursor: paginationToken } : {}),
		},
	});
	if (listed.status !== 'delivered') {
		if (listed.status === 'failed') throw listFailure.call(this, 'the contacts', listed.failure);
		return { results: [] };
	}
	const page = (listed.value.contacts ?? {}) as IDataObject;
	const items = Array.isArray(page.items) ? (page.items as IDataObject[]) : [];
	const results = items
		.filter((contact) => typeof contact.id === 'string')
		.map((contact) => ({ name: contactLabel(contact), value: contact.id as string }));
	const cursor = page.hasMore === true && typeof page.cursor === 'string' ? page.cursor : undefined;
	return { results, ...(cursor ? { paginationToken: cursor } : {}) };
}

/** "ada@example.com (Ada Lovelace)": the email, and the name when there is one. */
function contactLabel(contact: IDataObject): string {
	const properties = (contact.properties ?? {}) as IDataObject;
	const email = typeof properties.email === 'string' && properties.email !== '' ? properties.email : String(contact.id);
	const name = [properties.firstName, properties.lastName].filter((part) => typeof part === 'string' && part.trim() !== '').join(' ');
	return name ? `${email} (${name})` : email;
}
