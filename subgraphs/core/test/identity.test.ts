import { it, expect, beforeAll, afterAll } from '@jest/globals';
import { migrate, type SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import {
  type RunningService,
  callerHeaders,
  commonConfig,
  loadConfig,
  migrationsOf,
  verifyAccessToken,
} from '@simple-securities/service-kit';
import { pino } from 'pino';
import { type CoreService, coreSubgraph, createCoreService } from '../src/composition-root.js';
import { coreConfig } from '../src/config.js';
import { DEMO_USERS } from '../src/seed/demo-users.js';

const config = loadConfig(coreConfig, {});
const internalToken = loadConfig(commonConfig, {}).INTERNAL_SERVICE_TOKEN;
const logger = pino({ level: 'silent' });

interface GraphQLResponse<Data> {
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const SIGN_UP = `mutation ($input: SignUpInput!) {
  signUp(input: $input) { token expiresAt user { id email displayName roles permissions createdAt } }
}`;
const SIGN_IN = `mutation ($input: SignInInput!) {
  signIn(input: $input) { token expiresAt user { id email } }
}`;
const ME = `{ me { id email displayName roles permissions createdAt } }`;

interface AuthData {
  token: string;
  expiresAt: string;
  user: { id: string; email: string; roles: string[]; permissions: string[] };
}

await describeOnEachEngine('identity in the core subgraph', (engine) => {
  let database: SqlDatabase;
  let service: CoreService;
  let server: RunningService;

  const post = async <Data>(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<Data>> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<Data>;
  };

  const as = (user: { id: string; roles: string[]; permissions: string[] }) =>
    callerHeaders(
      { userId: user.id, roles: user.roles, permissions: user.permissions },
      internalToken,
      'core',
    );

  const signUp = (input: { email: string; password: string; displayName: string }) =>
    post<{ signUp: AuthData }>(SIGN_UP, { input });
  const signIn = (input: { email: string; password: string }) =>
    post<{ signIn: AuthData }>(SIGN_IN, { input });
  const codeOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: migrationsOf([coreSubgraph]), logger });
    service = await createCoreService({
      database,
      logger,
      config: { ...config, INTERNAL_SERVICE_TOKEN: internalToken },
    });
    server = await service.start({ port: 0, host: '127.0.0.1', internalToken });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await database?.close();
  });

  it('signs a new user up and hands out a token the router accepts', async () => {
    const response = await signUp({
      email: 'Carol@Example.com',
      password: 'carol-password-1',
      displayName: 'Carol',
    });
    expect(response.errors).toBeUndefined();
    const { token, expiresAt, user } = response.data!.signUp;
    expect(user).toMatchObject({ email: 'carol@example.com', roles: ['USER'] });
    expect(user.permissions).toContain('orders:place');
    expect(user.permissions).not.toContain('admin:users:read');
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());

    const caller = await verifyAccessToken(token, config.JWT_SECRET);
    expect(caller).toEqual({ userId: user.id, roles: ['USER'], permissions: user.permissions });
  });

  it('stores the password only as a versioned scrypt hash', async () => {
    const { rows } = await database.query<{ password_hash: string }>(
      "SELECT password_hash FROM core.users WHERE email = 'carol@example.com'",
    );
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$v1\$N=32768,r=8,p=1\$/);
    expect(rows[0]?.password_hash).not.toContain('carol-password-1');
  });

  it('signs in, whatever the case of the email, and serves me to the forwarded caller', async () => {
    const response = await signIn({ email: 'CAROL@example.com', password: 'carol-password-1' });
    expect(response.errors).toBeUndefined();
    const { token, user } = response.data!.signIn;
    const caller = await verifyAccessToken(token, config.JWT_SECRET);

    const me = await post<{ me: AuthData['user'] & { displayName: string } }>(
      ME,
      {},
      await callerHeaders(caller, internalToken, 'core'),
    );
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toMatchObject({
      id: user.id,
      email: 'carol@example.com',
      displayName: 'Carol',
      roles: ['USER'],
    });
  });

  it('announces each registration on the bus, written with the account itself', async () => {
    const { rows } = await database.query<{ subject: string }>(
      `SELECT m.subject FROM bus_messages m JOIN core.users u ON u.id::text = m.subject
        WHERE m.type = 'core.user.registered.v1' AND u.email = 'carol@example.com'`,
    );
    expect(rows).toHaveLength(1);
  });

  it('leaves no account behind when the registration cannot be announced', async () => {
    await database.query(`
      CREATE FUNCTION refuse_registrations() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the bus is unavailable'; END $$`);
    await database.query(`
      CREATE TRIGGER refuse_registrations BEFORE INSERT ON bus_messages
        FOR EACH ROW WHEN (NEW.type = 'core.user.registered.v1')
        EXECUTE FUNCTION refuse_registrations()`);
    const frank = {
      email: 'frank@example.com',
      password: 'frank-password-1',
      displayName: 'Frank',
    };
    try {
      const refused = await signUp(frank);
      expect(codeOf(refused)).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(refused)).not.toContain('bus is unavailable');
      const { rows } = await database.query(
        "SELECT 1 FROM core.users WHERE email = 'frank@example.com'",
      );
      expect(rows).toEqual([]);
    } finally {
      await database.query('DROP TRIGGER refuse_registrations ON bus_messages');
      await database.query('DROP FUNCTION refuse_registrations()');
    }
    // Nothing was half-written: the same sign-up now succeeds instead of meeting CONFLICT.
    expect((await signUp(frank)).errors).toBeUndefined();
  });

  it('refuses a second account for the same email with CONFLICT', async () => {
    const response = await signUp({
      email: 'carol@EXAMPLE.com',
      password: 'another-password-2',
      displayName: 'Carol again',
    });
    expect(codeOf(response)).toBe('CONFLICT');
    expect(response.errors![0]!.message).toMatch(/already exists/);
  });

  it('answers two simultaneous sign-ups for one email with one account and one CONFLICT', async () => {
    const input = { email: 'dave@example.com', password: 'dave-password-1', displayName: 'Dave' };
    const results = await Promise.all([signUp(input), signUp(input)]);
    expect(results.map(codeOf).sort()).toEqual(['CONFLICT', undefined]);
  });

  it.each([
    ['a bad email', { email: 'not-an-email', password: 'erin-password-1' }, /valid email/],
    ['a weak password', { email: 'erin@example.com', password: 'short' }, /at least 10/],
    [
      'a password of letters only',
      { email: 'erin@example.com', password: 'onlyletters' },
      /Mix letters/,
    ],
    [
      'an oversized email',
      { email: `${'e'.repeat(320)}@example.com`, password: 'erin-password-1' },
      /email: is too long/,
    ],
  ])('refuses %s with BAD_USER_INPUT', async (_what, input, message) => {
    const response = await signUp({ ...input, displayName: 'Erin' });
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.message).toMatch(message);
  });

  it('gives the same UNAUTHENTICATED answer for a wrong password and an unknown email', async () => {
    const wrongPassword = await signIn({
      email: 'carol@example.com',
      password: 'wrong-password-1',
    });
    const unknownEmail = await signIn({
      email: 'nobody@example.com',
      password: 'carol-password-1',
    });
    expect(codeOf(wrongPassword)).toBe('UNAUTHENTICATED');
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it('answers me without a caller, or with forged caller headers, with UNAUTHENTICATED', async () => {
    expect(codeOf(await post(ME))).toBe('UNAUTHENTICATED');
    const forged = await callerHeaders(
      { userId: DEMO_USERS[0].id, roles: ['ADMIN'], permissions: [] },
      'not-the-internal-service-token',
      'core',
    );
    expect(codeOf(await post(ME, {}, forged))).toBe('UNAUTHENTICATED');
  });

  it('resolves User references, showing the email only to the user and to admins', async () => {
    await service.seedDemoUsers();
    expect((await service.seedDemoUsers()).created).toEqual([]);
    const [alice, bob, admin] = DEMO_USERS;
    const query = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on User { id displayName email roles } }
    }`;
    const variables = { representations: [{ __typename: 'User', id: alice.id }] };
    const seenBy = async (viewer: { id: string; roles: string[]; permissions: string[] }) => {
      const { data } = await post<{ _entities: unknown[] }>(query, variables, await as(viewer));
      return data!._entities[0];
    };
    const viewer = (user: (typeof DEMO_USERS)[number], permissions: string[]) => ({
      id: user.id,
      roles: [...user.roles],
      permissions,
    });
    expect(await seenBy(viewer(alice, ['users:read']))).toEqual({
      id: alice.id,
      displayName: 'Alice',
      email: 'alice@example.com',
      roles: ['USER'],
    });
    expect(await seenBy(viewer(bob, ['users:read']))).toEqual({
      id: alice.id,
      displayName: 'Alice',
      email: null,
      roles: null,
    });
    expect(await seenBy(viewer(admin, ['admin:users:read']))).toMatchObject({
      email: 'alice@example.com',
    });
  });

  it('lets the demo admin sign in with ADMIN permissions', async () => {
    const response = await signIn({ email: 'admin@example.com', password: 'admin-password-1' });
    const caller = await verifyAccessToken(response.data!.signIn.token, config.JWT_SECRET);
    expect(caller.roles).toEqual(['ADMIN']);
    expect(caller.permissions).toContain('admin:users:read');
  });

  it('keeps serving after all those failures', async () => {
    const health = await fetch(server.url.replace(/graphql$/, 'health'));
    expect(health.status).toBe(200);
    const response = await signIn({ email: 'bob@example.com', password: 'bob-password-1' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.signIn.user.email).toBe('bob@example.com');
  });
});
