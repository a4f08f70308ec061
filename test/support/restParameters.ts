import type { IDataObject } from 'n8n-workflow';

/** Email → Send with raw content, to each item's `email`: the parameters several suites run. */
export const EMAIL_SEND = {
	resource: 'email',
	operation: 'send',
	to: (json: IDataObject) => json.email,
	content: 'raw',
	from: 'shop@example.com',
	subject: 'Hi',
	html: '<p>Hi</p>',
};
