import { type ILoadOptionsFunctions } from 'n8n-workflow';

import { SmashsendApi } from '../../../credentials/SmashsendApi.credentials';

import { searchContacts } from '../../../nodes/Smashsend/methods/listSearch';

import { authenticatedHttpRequest } from '../../support/n8nHttp';
import { TEST_NODE } from '../../support/executeContext';
import { useRestEmulator } from '../../support/restEmulator';
import { EDITOR, seedContacts } from '../../support/restNode';
import { leakedSecrets } from '../../support/secrets';

/**
 * Contact → From List: the picker of version 2 nodes.
 */

const emulator = useRestEmulator();
const seed = async (people: Array<{ email: string; firstName?: string; lastName?: string }>) => seedContacts(emulator, people);

describe('Contact picker (list search)', () => {
	const pickerContext = (apiKey = EDITOR, baseUrl = `${emulator.url}/v1/`) => {
		const creds = { apiKey, baseUrl };
		return {
			getNode: () => ({ ...TEST_NODE, typeVersion: 2 }),
			getCredentials: async () => creds,
			helpers: { httpRequestWithAuthentication: authenticatedHttpRequest(new SmashsendApi().authenticate, creds) },
		} as unknown as ILoadOptionsFunctions;
	};

	it('lists contacts by email and name, newest first, and searches them', async () => {
		const ids = await seed([
			{ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
			{ email: 'grace@example.com', firstName: 'Grace' },
			{ email: 'nameless@example.com' },
		]);
		const all = await searchContacts.call(pickerContext());
		expect(all.results).toEqual([
			{ name: 'nameless@example.com', value: ids.get('nameless@example.com') },
			{ name: 'grace@example.com (Grace)', value: ids.get('grace@example.com') },
			{ name: 'ada@example.com (Ada Lovelace)', value: ids.get('ada@example.com') },
		]);
		expect(all.paginationToken).toBeUndefined();
		const found = await searchContacts.call(pickerContext(), 'lovelace');
		expect(found.results.map((r) => r.name)).toEqual(['ada@example.com (Ada Lovelace)']);
	});

	it('pages through many contacts as the user scrolls', async () => {
		await seed(Array.from({ length: 60 }, (_, i) => ({ email: `p${i}@example.com` })));
		const first = await searchContacts.call(pickerContext());
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toEqual(expect.any(String));
		const second = await searchContacts.call(pickerContext(), undefined, first.paginationToken as string);
		expect(second.results).toHaveLength(10);
		expect(second.paginationToken).toBeUndefined();
		expect(new Set([...first.results, ...second.results].map((r) => r.value)).size).toBe(60);
	});

	it('says why in the dropdown when the key is refused or SMASHSEND cannot be reached, without the key', async () => {
		await expect(searchContacts.call(pickerContext('sk_live_wrong'))).rejects.toThrow(
			'SMASHSEND did not list the contacts: Invalid API key',
		);
		const error = await searchContacts.call(pickerContext(EDITOR, 'http://127.0.0.1:1')).then(
			() => undefined,
			(e: Error & { description?: string }) => e,
		);
		expect(error?.message).toBe('SMASHSEND did not list the contacts: the connection was refused');
		expect(error?.description).toContain('ECONNREFUSED');
		expect(leakedSecrets(error, [EDITOR, 'Bearer'])).toEqual([]);
	});
});
