import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { isContactId } from '../helpers/contactId';
import { editorList } from './listCall';
import { propertiesPage, PROPERTY_PAGE_SIZE } from '../actions/contact/customProperties';
import { readTemplatesPage, type TemplateSummary } from './templates';

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
	const listed = await editorList.call(this, 'the contacts', {
		method: 'GET',
		path: '/contacts',
		qs: {
			limit: PAGE_SIZE,
			sort: 'createdAt.desc',
			...(search ? { search } : {}),
			...(paginationToken ? { cursor: paginationToken } : {}),
		},
	});
	if (!listed) return { results: [] };
	const page = (listed.contacts ?? {}) as IDataObject;
	const items = Array.isArray(page.items) ? (page.items as IDataObject[]) : [];
	// Only ids the node can use: one it would refuse at run time is not offered.
	const results = items
		.filter((contact): contact is IDataObject & { id: string } => isContactId(contact.id))
		.map((contact) => ({ name: contactLabel(contact), value: contact.id }));
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

/** The most pages a search reads at once looking for a match (SMASHSEND does not search templates). */
const TEMPLATE_SEARCH_PAGES = 10;

/**
 * Email → Template → From List: the workspace's published (active) transactional templates,
 * newest first, a page at a time (`GET /transactional?status=ACTIVE`). SMASHSEND does not search templates: the picker's search
 * keeps those of a page whose name or title holds the text.
 */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const search = filter?.trim().toLowerCase() ?? '';
	let cursor = paginationToken;
	// Without a search, one page; with one, pages until something matches (or a few pages were read).
	for (let page = 0; ; page++) {
		const listed = await readTemplatesPage.call(this, cursor, true);
		if (!listed) return { results: [] };
		const { items, cursor: next } = listed;
		const results = items
			.filter((t) => search === '' || `${t.name} ${t.displayName ?? ''}`.toLowerCase().includes(search))
			.map((t) => ({ name: templateLabel(t), value: t.name }));
		cursor = next;
		if (results.length > 0 || !cursor || search === '' || page + 1 >= TEMPLATE_SEARCH_PAGES) {
			return { results, ...(cursor ? { paginationToken: cursor } : {}) };
		}
	}
}

/** "Welcome (welcome)", and the status when the template is not active: "Winter promo (winter-promo) · draft". */
function templateLabel(t: TemplateSummary): string {
	const title = t.displayName && t.displayName !== t.name ? `${t.displayName} (${t.name})` : t.name;
	return t.status && t.status !== 'ACTIVE' ? `${title} · ${t.status.toLowerCase()}` : title;
}

/** A local part of an address: what may stand before the @ (no spaces, no second @). */
const LOCAL_PART = /^[^\s@]+$/;

/**
 * Email → From → From List: the workspace's verified senders (`GET /identities`). A verified
 * address is listed as it is; a verified domain takes any address, so the search text becomes
 * one at each verified domain ("news" → news@mail.yourdomain.com).
 */
export async function searchSenders(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const listed = await editorList.call(this, 'the verified senders', { method: 'GET', path: '/identities' });
	if (!listed) return { results: [] };
	const identities = (listed.identities ?? {}) as IDataObject;
	// `{email, status}` / `{domain, status}` as SMASHSEND's SDK types them, or plain strings (an older SDK's).
	const verified = (list: unknown, key: string) =>
		(Array.isArray(list) ? (list as Array<IDataObject | string>) : [])
			.filter((identity) => typeof identity === 'string' || identity.status === undefined || identity.status === 'VERIFIED')
			.map((identity) => (typeof identity === 'string' ? identity : identity[key]))
			.filter((value): value is string => typeof value === 'string' && value !== '');
	const search = filter?.trim().toLowerCase() ?? '';
	const emails = verified(identities.emails, 'email').filter((email) => email.toLowerCase().includes(search));
	const [local, domainPart] = search.split('@', 2);
	const atDomains =
		search !== '' && LOCAL_PART.test(local)
			? verified(identities.domains, 'domain')
					.filter((domain) => domainPart === undefined || domain.toLowerCase().startsWith(domainPart))
					.map((domain) => `${local}@${domain}`)
					.filter((address) => !emails.includes(address))
			: [];
	return {
		results: [
			...emails.map((email) => ({ name: email, value: email })),
			...atDomains.map((address) => ({ name: `${address} (verified domain)`, value: address })),
		],
	};
}

/**
 * Contact Property → Update → From List: the workspace's custom properties (`GET
 * /contacts/properties`, 50 a page as SMASHSEND's SDK asks), filtered by name or slug.
 */
export async function searchProperties(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const listed = await editorList.call(this, 'the contact properties', {
		method: 'GET',
		path: '/contacts/properties',
		qs: { type: 'CUSTOM', limit: PROPERTY_PAGE_SIZE, ...(paginationToken ? { cursor: paginationToken } : {}) },
	});
	if (!listed) return { results: [] };
	const search = filter?.trim().toLowerCase() ?? '';
	const { items = [], hasMore, cursor } = propertiesPage(listed);
	const results = items
		.filter((p) => typeof p.id === 'string' && typeof p.apiSlug === 'string')
		.filter((p) => search === '' || `${String(p.displayName ?? '')} ${String(p.apiSlug)}`.toLowerCase().includes(search))
		.map((p) => ({ name: `${String(p.displayName ?? p.apiSlug)} (${String(p.apiSlug)})`, value: p.id as string }));
	return { results, ...(hasMore && cursor ? { paginationToken: cursor } : {}) };
}

/** Broadcast: the workspace's broadcasts in SMASHSEND's order, "Name (status)", searchable by name or subject. */
export async function searchBroadcasts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const listed = await editorList.call(this, 'the broadcasts', {
		method: 'GET',
		path: '/broadcasts',
		qs: { limit: 50, ...(paginationToken ? { cursor: paginationToken } : {}) },
	});
	if (!listed) return { results: [] };
	const page = (listed.broadcasts ?? {}) as IDataObject;
	const items = Array.isArray(page.items) ? (page.items as IDataObject[]) : [];
	const search = filter?.trim().toLowerCase() ?? '';
	const results = items
		.filter((b) => search === '' || `${String(b.name ?? '')} ${String(b.subject ?? '')}`.toLowerCase().includes(search))
		.map((b) => ({ name: `${String(b.name ?? b.subject ?? b.id)} (${String(b.status ?? '').toLowerCase()})`, value: String(b.id) }));
	const cursor = page.hasMore && typeof page.cursor === 'string' ? page.cursor : undefined;
	return { results, ...(cursor ? { paginationToken: cursor } : {}) };
}
