import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	NodeExecutionHint,
} from 'n8n-workflow';

import { randomUUID } from 'node:crypto';

import { httpRequest } from './n8nHttp';

/** A parameter value, or an "expression": a function of the item it is evaluated for. */
export type ParameterValue = unknown | ((json: IDataObject, itemIndex: number) => unknown);

export interface ContextOptions {
	items: IDataObject[];
	parameters?: Record<string, ParameterValue>;
	credentials?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	abortSignal?: AbortSignal;
	executionId?: string;
	/** `$runIndex`: which run of the node in its execution this is (0 for the first). */
	runIndex?: number;
	/** The node's Retry On Fail setting (n8n runs the node again after a failure). */
	retryOnFail?: boolean;
	httpRequest?: typeof httpRequest;
	/** For credentials with a generic `authenticate` (the SMASHSEND API key). */
	httpRequestWithAuthentication?: (type: string, options: IHttpRequestOptions) => Promise<unknown>;
	/** Collects what the node adds to the execution's hints (n8n shows them above the output). */
	hints?: NodeExecutionHint[];
	/** Collects what the node writes to n8n's debug log. */
	debugLog?: string[];
	/** The node's version (1 unless given). */
	typeVersion?: number;
	/** The node's On Error setting, as n8n stores it (`continueErrorOutput`: Continue (using error output)). */
	onError?: INode['onError'];
	/** The workflow's time zone (Workflow settings → Timezone; n8n's default otherwise): UTC unless given. */
	timezone?: string;
}

/** Resolves after `ms` of real time (AbortSignal.timeout: no timer to clean up). */
export function pause(ms: number): Promise<void> {
	return new Promise((resolve) => AbortSignal.timeout(ms).addEventListener('abort', () => resolve(), { once: true }));
}

export const TEST_NODE: INode = {
	id: 'node-1',
	name: 'SMASHSEND',
	type: 'n8n-nodes-smashsend.smashsend',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

// The node's default, `={{ $json.email }}`, evaluated the way n8n would.
export const DEFAULT_EMAIL = (json: IDataObject) => json.email;

const DEFAULTS: Record<string, ParameterValue> = {
	resource: 'flow',
	operation: 'trigger',
	email: DEFAULT_EMAIL,
	payloadMode: 'allFields',
	options: {},
};

function lookup(parameters: Record<string, ParameterValue>, path: string): unknown {
	const [head, ...rest] = path.split('.');
	let value: unknown = parameters[head];
	for (const key of rest) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** Evaluates "expressions" anywhere in a parameter, as n8n does for nested parameters. */
function resolve(value: unknown, json: IDataObject, itemIndex: number): unknown {
	if (typeof value === 'function') return value(json, itemIndex);
	if (Array.isArray(value)) return value.map((entry) => resolve(entry, json, itemIndex));
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, json, itemIndex)]));
	}
	return value;
}

/** The parameters as n8n stores them in the workflow: an expression is a string starting with "=". */
function stored(value: unknown): unknown {
	if (value === DEFAULT_EMAIL) return '={{ $json.email }}';
	if (typeof value === 'function') return '={{ an expression evaluated per item by the test }}';
	if (Array.isArray(value)) return value.map(stored);
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stored(v)]));
	}
	return value;
}

/**
 * An IExecuteFunctions for running the node's execute() in a test: parameters are resolved
 * per item, and HTTP goes out for real through an n8n-like request helper.
 */
export function executeContext(options: ContextOptions): IExecuteFunctions {
	const items: INodeExecutionData[] = options.items.map((json, index) => ({ json, pairedItem: { item: index } }));
	const parameters = { ...DEFAULTS, ...options.parameters };
	// Each context is a new execution unless the test names one (to run the same execution again).
	const executionId = options.executionId ?? `test-execution-${randomUUID()}`;
	const node: INode = {
		...TEST_NODE,
		parameters: stored(parameters) as INode['parameters'],
		...(options.retryOnFail ? { retryOnFail: true } : {}),
		...(options.typeVersion !== undefined ? { typeVersion: options.typeVersion } : {}),
		...(options.onError ? { onError: options.onError } : {}),
	};
	const context = {
		getInputData: () => items,
		getNode: () => node,
		continueOnFail: () => options.continueOnFail ?? false,
		getExecutionCancelSignal: () => options.abortSignal,
		addExecutionHints: (...hints: NodeExecutionHint[]) => options.hints?.push(...hints),
		logger: { debug: (message: string) => options.debugLog?.push(message), info: () => {}, warn: () => {}, error: () => {} },
		getExecutionId: () => executionId,
		getTimezone: () => options.timezone ?? 'UTC',
		getWorkflowDataProxy: () => ({ $runIndex: options.runIndex ?? 0 }),
		getCredentials: async () => {
			if (!options.credentials) throw new Error('Node does not have any credentials set');
			return options.credentials;
		},
		getNodeParameter: (name: string, itemIndex: number, ...fallback: unknown[]) => {
			const value = lookup(parameters, name);
			if (value === undefined) {
				if (fallback.length > 0) return fallback[0];
				throw new Error(`Could not get parameter "${name}"`);
			}
			return resolve(value, items[itemIndex]?.json ?? {}, itemIndex);
		},
		helpers: {
			httpRequest: options.httpRequest ?? httpRequest,
			httpRequestWithAuthentication: options.httpRequestWithAuthentication,
		},
	};
	return context as unknown as IExecuteFunctions;
}
