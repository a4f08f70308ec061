import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../contract/Operation';
import * as broadcast from './broadcast/Broadcast.resource';
import * as contact from './contact/Contact.resource';
import * as contactProperty from './contactProperty/ContactProperty.resource';
import * as email from './email/Email.resource';
import * as event from './event/Event.resource';
import * as flow from './flow/Flow.resource';
import * as form from './form/Form.resource';

/** What a resource folder's `<Resource>.resource.ts` exports: its operations, and their parameters. */
export interface Resource {
	/** The Resource dropdown's entry: `value` is stored in users' workflows, never renamed. */
	name: string;
	value: string;
	operations: Record<string, { operation: Operation<unknown, unknown, unknown> }>;
	description: INodeProperties[];
}

/**
 * The node's resources, in the Resource dropdown's order (by name, as n8n's guidelines ask). A
 * new resource is a folder under actions/ and one line here; the node and the router read this.
 */
export const resources: Resource[] = [
	{ name: 'Broadcast', value: 'broadcast', ...broadcast },
	{ name: 'Contact', value: 'contact', ...contact },
	{ name: 'Contact Property', value: 'contactProperty', ...contactProperty },
	{ name: 'Email', value: 'email', ...email },
	{ name: 'Event', value: 'event', ...event },
	{ name: 'Flow', value: 'flow', ...flow },
	{ name: 'Form', value: 'form', ...form },
];
