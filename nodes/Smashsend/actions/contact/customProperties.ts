import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { networkCause, networkCodeNote } from '../../../shared/transport/networkErrors';
import type { RestRequest } from '../../../shared/transport/restApi';
import { statusNote } from '../../../shared/transport/response';
import type { CallResult } from '../../delivery/call';
import { showValue } from '../../helpers/emailAddress';
import { failureText, type CallFailure } from '../../contract/failures';
import type { PrepareContext } from '../../contract/Operation';
import { lookupFailure } from '../../runner/lookupFailure';
import { walkPages } from '../../runner/pages';
import { listOf } from '../../parameters/list';
import { forItem } from '../../contract/failures';

/**
 * The workspace's custom contact properties (created in SMASHSEND under Contacts →
 * Properties): looked up once per execution, page by page, so that each value is sent with
 * its property's type.
 */
export interface CustomProperty {
	apiSlug: string;
	displayName: string;
	type: string;
	options?: string[];
	/** A list of values (MULTI_SELECT, or a SELECT whose `typeConfig.multiple` is set). */
	multiple: boolean;
}

/**
 * SMASHSEND's SDK asks for 50 properties a page (`listProperties`) and a larger page may be
 * refused (docs/api-contract.md).
 */
export const PROPERTY_PAGE_SIZE = 50;

/** One page of custom properties: `{properties: {items, hasMore, cursor?}}`, or a bare list. */
export function propertiesPage(json: IDataObject): { items?: IDataObject[]; hasMore: boolean; cursor?: string } {
	const container = json.properties as IDataObject | IDataObject[] | undefined;
	if (Array.isArray(container)) return { items: container, hasMore: false };
	const items = Array.isArray(container?.items) ? (container.items as IDataObject[]) : undefined;
	const cursor = typeof container?.cursor === 'string' && container.cursor !== '' ? container.cursor : undefined;
	return { items, hasMore: container?.hasMore === true, cursor };
}

/**
 * A property's options: the SDK's `typeConfig.options[{id, value, displayName, color}]`, or
 * the older top-level `options` (plain values, or objects with a `value`).
 */
function optionsOf(property: IDataObject): string[] | undefined {
	const typeConfig = (property.typeConfig ?? {}) as IDataObject;
	const list = Array.isArray(typeConfig.options) ? typeConfig.options : Array.isArray(property.options) ? property.options : undefined;
	if (!list) return undefined;
	const values = (list as unknown[])
		.map((option) => {
			if (typeof option === 'string' || typeof option === 'number') return String(option);
			const entry = (option ?? {}) as IDataObject;
			const value = entry.value ?? entry.displayName;
			return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
		})
		.filter((value): value is string => value !== undefined && value !== '');
	return values.length > 0 ? values : undefined;
}

/** Reads `{properties: {items}}` (or a bare list), in either shape SMASHSEND's properties have had. */
export function customPropertiesOf(json: IDataObject): CustomProperty[] {
	return (propertiesPage(json).items ?? [])
		.filter((p) => typeof p.apiSlug === 'string')
		.map((p) => {
			const type = typeof p.type === 'string' ? p.type : 'STRING';
			const multiple = type === 'MULTI_SELECT' || (type === 'SELECT' && (p.typeConfig as IDataObject | undefined)?.multiple === true);
			return {
				apiSlug: String(p.apiSlug),
				displayName: typeof p.displayName === 'string' ? p.displayName : String(p.apiSlug),
				type,
				options: optionsOf(p),
				multiple,
			};
		});
}

/**
 * The workspace's properties. `complete` is false when SMASHSEND said there were more but
 * gave no cursor to ask for them (its SDK's list answer has none): a property not among
 * these may still exist.
 */
export type LoadedProperties =
	| { ok: true; properties: Map<string, CustomProperty>; complete: boolean }
	| { ok: false; failure: CallFailure };

/** `GET /contacts/properties?type=CUSTOM&limit=50`, and the next pages while SMASHSEND gives a cursor, each through `sendPage`. */
export async function loadCustomProperties(
	sendPage: (request: RestRequest) => Promise<CallResult<IDataObject, CallFailure>>,
): Promise<LoadedProperties> {
	const request = (cursor?: string): RestRequest => ({
		method: 'GET',
		path: '/contacts/properties',
		qs: { type: 'CUSTOM', limit: PROPERTY_PAGE_SIZE, ...(cursor ? { cursor } : {}) },
	});
	let complete = true;
	const listing = await walkPages(
		request(),
		{
			items: (json: IDataObject) => propertiesPage(json).items,
			next: (json: IDataObject) => {
				const { hasMore, cursor } = propertiesPage(json);
				if (hasMore && !cursor) complete = false;
				return hasMore && cursor ? request(cursor) : undefined;
			},
		},
		Number.POSITIVE_INFINITY,
		sendPage,
		"SMASHSEND's list of custom properties",
	);
	if (listing.status === 'delivered')
		return { ok: true, complete, properties: new Map(customPropertiesOf({ properties: listing.value }).map((p) => [p.apiSlug, p])) };
	if (listing.status === 'failed' || listing.status === 'abandoned') return { ok: false, failure: listing.failure };
	return { ok: false, failure: { network: { message: networkCause('ERR_CANCELED'), description: '' }, code: 'ERR_CANCELED' } };
}

/** Why the properties could not be had, as the end of a sentence, and the code of a network failure for the description. */
export function whyNotLoaded(failure: CallFailure): { why: string; note: string } {
	if ('answer' in failure) return { why: failure.answer.serverMessage, note: statusNote(failure.answer) };
	if ('network' in failure) return { why: networkCause(failure.code), note: networkCodeNote(failure.code) };
	const text = failureText(failure);
	return { why: text.message, note: text.description };
}

/** The workspace's custom properties, looked up once per execution with its retries and pace; throws the item's error when they cannot be had. */
export async function workspaceProperties(
	this: IExecuteFunctions,
	context: PrepareContext<RestRequest, IDataObject>,
): Promise<{ properties: Map<string, CustomProperty>; complete: boolean }> {
	const loaded = await context.once('customProperties', async () => await loadCustomProperties((request) => context.lookup(request)));
	if (loaded.ok) return loaded;
	const { why, note } = whyNotLoaded(loaded.failure);
	// Every item that needs them fails (with its own error); the others can go through.
	throw lookupFailure(
		new NodeOperationError(this.getNode(), `Could not load the workspace's custom properties from SMASHSEND: ${why}`, {
			description: `Custom properties are looked up once per execution, to send each value with its property's type. ${note}`.trim(),
		}),
		loaded.failure,
	);
}

/** A custom property's value as its type wants it: "42" → 42, "yes" → true, "a, b" → ["a", "b"]. */
export function coerce(this: IExecuteFunctions, property: CustomProperty, value: unknown, itemIndex: number): unknown {
	if (property.multiple) return listOf(value);
	const bad = (expected: string) =>
		new NodeOperationError(
			this.getNode(),
			forItem(`The custom property "${property.apiSlug}" in 'Custom Properties' needs ${expected}, not ${showValue(value)}`, itemIndex),
			{
				description: `Map it to ${expected}, or leave it empty to send nothing for it.`,
				itemIndex,
			},
		);
	switch (property.type) {
		case 'NUMBER': {
			const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
			if (!Number.isFinite(n)) throw bad('a number');
			return n;
		}
		case 'BOOLEAN': {
			if (typeof value === 'boolean') return value;
			const text = String(value).trim().toLowerCase();
			if (['true', 'yes', '1'].includes(text)) return true;
			if (['false', 'no', '0'].includes(text)) return false;
			throw bad('true or false');
		}
		case 'MULTI_SELECT':
			return listOf(value);
		case 'DATE': {
			if (value instanceof Date) return value.toISOString();
			const text = String(value ?? '').trim();
			if (Number.isNaN(Date.parse(text))) throw bad('a date (YYYY-MM-DD or ISO 8601)');
			return text;
		}
		default:
			return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
	}
}
