import type { IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

/**
 * One item's resource locator: its mode and its value, trimmed. An expression can give the
 * whole locator a plain string; that counts as `plainMode` (the mode that takes typed text).
 */
export function readLocator(this: IExecuteFunctions, name: string, itemIndex: number, plainMode: string): { mode: string; value: string } {
	const locator = this.getNodeParameter(name, itemIndex, '') as INodeParameterResourceLocator | string | undefined;
	const isLocator = typeof locator === 'object' && locator !== null;
	const raw = isLocator ? locator.value : locator;
	const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	return { mode: isLocator ? String(locator.mode) : plainMode, value };
}
