// @ts-check
'use strict';

/**
 * SMASHSEND's hosted forms and their referral waitlists, as its SDK has them (`src/api/forms.ts`,
 * `src/interfaces/forms.ts`): a published form read and submitted to by its public key (public
 * routes, no API key needed), and with an API key, by the form's id, an entry's position, its
 * rewards ledger and the leaderboard. A submission is deduplicated per form and email (the same
 * entry comes back); a double-opt-in form's entry is PENDING; a referral code credits its sharer.
 */

const { fail, isEmail, isPlainObject, limitOf, ok, pageOf } = require('./answers');

/**
 * @typedef {{ key: string, type: string, label: string, required?: boolean, options?: Array<{ id: string, label: string, value: string }> }} FormField
 * @typedef {{ id: string, publicKey: string, displayName: string, status: string, doubleOptIn: boolean, password?: string,
 *   fields: FormField[], pointsPerReferral: number, leaderboardSize: number }} FormSeed
 * @typedef {{ id: string, publicId: string, formId: string, email: string, answers: Record<string, unknown>, countryCode: string | null,
 *   status: string, referralCode: string, points: number, referralCount: number, createdAt: string }} FormEntry
 * @typedef {{ id: string, formId: string, entryId: string, entryEmail: string, type: string, taskId: null, points: number,
 *   status: string, dedupKey: string, createdAt: string }} FormReward
 */

/** The forms a new workspace has: a double-opt-in waitlist (the examples' placeholder key) and a password-protected one. */
const DEFAULT_FORMS = /** @type {FormSeed[]} */ ([
	{
		id: 'frm_your_form_id',
		publicKey: 'pk_your_form_key',
		displayName: 'Waitlist',
		status: 'PUBLISHED',
		doubleOptIn: true,
		fields: [
			{ key: 'email', type: 'email', label: 'Email', required: true },
			{ key: 'firstName', type: 'text', label: 'First name', required: true },
			{ key: 'company', type: 'text', label: 'Company' },
			{
				key: 'role',
				type: 'select',
				label: 'Role',
				options: [
					{ id: 'opt_1', label: 'Founder', value: 'founder' },
					{ id: 'opt_2', label: 'Engineer', value: 'engineer' },
				],
			},
			{ key: 'seats', type: 'number', label: 'Seats' },
		],
		pointsPerReferral: 10,
		leaderboardSize: 10,
	},
	{
		id: 'frm_private',
		publicKey: 'pk_private_form',
		displayName: 'Private beta',
		status: 'PUBLISHED',
		doubleOptIn: false,
		password: 'open-sesame',
		fields: [{ key: 'email', type: 'email', label: 'Email', required: true }],
		pointsPerReferral: 5,
		leaderboardSize: 10,
	},
]);

/** A new workspace's forms, entries and rewards. */
function freshForms() {
	return {
		forms: DEFAULT_FORMS.map((form) => ({ ...form, fields: form.fields.map((field) => ({ ...field })) })),
		/** @type {FormEntry[]} */
		entries: [],
		/** @type {FormReward[]} */
		rewards: [],
	};
}

/** `jo•••@example.com`: an email as the public leaderboard shows it. @param {string} email */
function masked(email) {
	const [name, domain] = email.split('@');
	return `${name.slice(0, 2)}•••@${domain}`;
}

/** @param {import('./workspace').Workspace} ws @returns {import('../restApi').Route[]} */
function formRoutes(ws) {
	const state = () => ws.forms;
	const byKey = (/** @type {string} */ key) => state().forms.find((f) => f.publicKey === key && f.status === 'PUBLISHED');
	const byId = (/** @type {string} */ id) => state().forms.find((f) => f.id === id);
	const notFound = () => fail(404, 'NOT_FOUND', 'Form not found');
	/** The entries of a form, best first: points, then who came first. @param {FormSeed} form */
	const ranked = (form) =>
		state()
			.entries.filter((e) => e.formId === form.id)
			.sort((a, b) => b.points - a.points || a.createdAt.localeCompare(b.createdAt));
	/** @param {FormSeed} form @param {string} given an entry's id or its participant's email */
	const entryOf = (form, given) =>
		state().entries.find((e) => e.formId === form.id && (e.id === given || e.email === given.trim().toLowerCase()));

	return [
		{
			method: 'POST',
			path: '/forms/:key/submit',
			public: true,
			handle: ({ params, body }) => {
				const form = byKey(params.key);
				if (!form) return notFound();
				const given = isPlainObject(body) ? body : {};
				if (typeof given.email !== 'string' || !isEmail(given.email.trim())) return fail(400, 'VALIDATION_ERROR', 'email must be an email');
				if (form.password && given.password !== form.password) return fail(403, 'FORBIDDEN', 'This form needs its password');
				const answers = isPlainObject(given.answers) ? given.answers : {};
				for (const field of form.fields) {
					if (field.type === 'email') continue;
					const value = answers[field.key];
					if (field.required && (value === undefined || value === null || value === ''))
						return fail(400, 'VALIDATION_ERROR', `${field.key} is required`);
					if (value !== undefined && field.options && !field.options.some((o) => o.value === value))
						return fail(400, 'VALIDATION_ERROR', `${field.key} must be one of ${field.options.map((o) => o.value).join(', ')}`);
				}
				const email = given.email.trim().toLowerCase();
				const existing = state().entries.find((e) => e.formId === form.id && e.email === email);
				if (existing) return ok({ success: true, entry: { id: existing.id, publicId: existing.publicId, status: existing.status } });
				/** @type {FormEntry} */
				const entry = {
					id: ws.newId('fen'),
					publicId: ws.newId('pub'),
					formId: form.id,
					email,
					answers,
					countryCode: typeof given.countryCode === 'string' ? given.countryCode : null,
					status: form.doubleOptIn ? 'PENDING' : 'CONFIRMED',
					referralCode: ws.newId('ref'),
					points: 0,
					referralCount: 0,
					createdAt: ws.now(),
				};
				state().entries.push(entry);
				ws.record('form.submitted', { id: entry.id, properties: { email, formId: form.id } });
				const sharer = state().entries.find((e) => e.formId === form.id && e.referralCode === given.referralCode && e !== entry);
				if (sharer) {
					sharer.points += form.pointsPerReferral;
					sharer.referralCount += 1;
					state().rewards.push({
						id: ws.newId('rwd'),
						formId: form.id,
						entryId: sharer.id,
						entryEmail: sharer.email,
						type: 'REFERRAL',
						taskId: null,
						points: form.pointsPerReferral,
						status: 'APPROVED',
						dedupKey: `ref:${entry.id}`,
						createdAt: ws.now(),
					});
				}
				return ok({ success: true, entry: { id: entry.id, publicId: entry.publicId, status: entry.status } });
			},
		},
		{
			method: 'GET',
			path: '/forms/:form/leaderboard',
			handle: ({ params, query }) => {
				const asCustomer = byId(params.form);
				const form = asCustomer ?? byKey(params.form);
				if (!form) return notFound();
				const limit = asCustomer ? limitOf(query, form.leaderboardSize, 100) : { ok: true, limit: form.leaderboardSize };
				if (!limit.ok) return limit.answer;
				const items = ranked(form)
					.slice(0, limit.limit)
					.map((e, i) => ({
						rank: i + 1,
						...(asCustomer ? { email: e.email } : { maskedEmail: masked(e.email) }),
						firstName: typeof e.answers.firstName === 'string' ? e.answers.firstName : null,
						points: e.points,
						referralCount: e.referralCount,
					}));
				return ok({ leaderboard: { items } });
			},
		},
		{
			method: 'GET',
			path: '/forms/:form/entries/:entry/position',
			handle: ({ params }) => {
				const form = byId(params.form);
				if (!form) return notFound();
				const entry = entryOf(form, params.entry);
				if (!entry) return fail(404, 'NOT_FOUND', 'Entry not found');
				const all = ranked(form);
				return ok({
					position: {
						position: all.indexOf(entry) + 1,
						points: entry.points,
						referralCount: entry.referralCount,
						participantCount: all.length,
					},
				});
			},
		},
		{
			method: 'GET',
			path: '/forms/:form/entries/:entry/rewards',
			handle: ({ params, query }) => {
				const form = byId(params.form);
				if (!form) return notFound();
				const entry = state().entries.find((e) => e.formId === form.id && e.id === params.entry);
				if (!entry) return fail(404, 'NOT_FOUND', 'Entry not found');
				const limit = limitOf(query, 20, 100);
				if (!limit.ok) return limit.answer;
				const mine = state().rewards.filter((r) => r.entryId === entry.id);
				const page = pageOf(mine, (r) => r.id, query.get('cursor'), limit.limit);
				if (!page.ok) return page.answer;
				return ok({ rewards: { cursor: page.cursor, hasMore: page.hasMore, items: page.items } });
			},
		},
		{
			method: 'GET',
			path: '/forms/:key',
			public: true,
			handle: ({ params, query }) => {
				const form = byKey(params.key);
				if (!form) return notFound();
				const open = !form.password || query.get('password') === form.password;
				return ok({
					form: {
						id: form.id,
						displayName: form.displayName,
						publicKey: form.publicKey,
						status: form.status,
						config: open ? { version: 1, fields: form.fields } : null,
						passwordProtected: Boolean(form.password),
						referral: {
							isEnabled: true,
							pointsPerReferral: form.pointsPerReferral,
							shareText: `Join me on ${form.displayName}`,
							showLeaderboard: true,
							leaderboardSize: form.leaderboardSize,
							tasks: [],
						},
					},
				});
			},
		},
	];
}

module.exports = { formRoutes, freshForms, DEFAULT_FORMS };
