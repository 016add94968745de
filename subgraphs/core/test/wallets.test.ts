import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { SqlDatabase } from '@simple-securities/postgres';
import { describeOnEachEngine } from '@simple-securities/postgres/testing';
import {
  type Caller,
  type RunningService,
  callerHeaders,
  loadConfig,
  verifyAccessToken,
  commonConfig,
  migrationsOf,
} from '@simple-securities/service-kit';
import { migrate } from '@simple-securities/postgres';
import { pino } from 'pino';
import { checkLedgerInvariant } from '../src/adapters/persistence/ledger-invariant.js';
import { type CoreService, coreSubgraph, createCoreService } from '../src/composition-root.js';
import { coreConfig } from '../src/config.js';

const config = loadConfig({ ...commonConfig, ...coreConfig }, {});
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

interface GraphQLResponse<Data> {
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

interface WalletView {
  asset: string;
  available: string;
  reserved: string;
  total: string;
}

const DEPOSIT = `mutation ($input: DepositInput!) {
  deposit(input: $input) { replayed movement { id reason asset amount reference } wallet { asset available reserved total } }
}`;
const WITHDRAW = `mutation ($input: WithdrawInput!) {
  withdraw(input: $input) { replayed movement { id reason amount } wallet { available } }
}`;
const WALLETS = `query ($id: ID!) {
  _entities(representations: [{ __typename: "User", id: $id }]) {
    ... on User { wallets { asset available reserved total } wallet(asset: "USD") { available ledger(first: 2) { edges { cursor node { reason amount bucket reference } } pageInfo { hasNextPage endCursor } } } }
  }
}`;

await describeOnEachEngine('wallets in the core subgraph', (engine) => {
  let database: SqlDatabase;
  let service: CoreService;
  let server: RunningService;
  let users = 0;

  const post = async <Data>(
    query: string,
    variables: Record<string, unknown>,
    caller?: Caller,
  ): Promise<GraphQLResponse<Data>> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(caller ? await callerHeaders(caller, config.INTERNAL_SERVICE_TOKEN, 'core') : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<Data>;
  };
  const codeOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.code;

  const newUser = async (): Promise<Caller> => {
    users += 1;
    const { token } = await service.useCases.signUp({
      email: `wallet-user-${users}@example.com`,
      password: 'wallet-password-1',
      displayName: `Wallet user ${users}`,
    });
    return verifyAccessToken(token, config.JWT_SECRET);
  };
  const deposit = (caller: Caller, input: Record<string, unknown>) =>
    post<{ deposit: { replayed: boolean; movement: { id: string }; wallet: WalletView } }>(
      DEPOSIT,
      { input },
      caller,
    );
  const withdraw = (caller: Caller, input: Record<string, unknown>) =>
    post<{ withdraw: { replayed: boolean; wallet: { available: string } } }>(
      WITHDRAW,
      { input },
      caller,
    );
  const walletsOf = async (caller: Caller, viewer = caller) => {
    const response = await post<{
      _entities: {
        wallets: WalletView[] | null;
        wallet: {
          available: string;
          ledger: {
            edges: { cursor: string; node: Record<string, string> }[];
            pageInfo: { hasNextPage: boolean };
          };
        } | null;
      }[];
    }>(WALLETS, { id: caller.userId }, viewer);
    expect(response.errors).toBeUndefined();
    return response.data!._entities[0]!;
  };

  beforeAll(async () => {
    database = await engine.open();
    await migrate({ database, directories: migrationsOf([coreSubgraph]), logger });
    service = await createCoreService({ database, logger, config });
    server = await service.start({
      port: 0,
      host: '127.0.0.1',
      internalToken: config.INTERNAL_SERVICE_TOKEN,
    });
  }, 60_000);

  afterEach(async () => {
    expect(await checkLedgerInvariant(database)).toEqual({
      unbalancedAssets: [],
      unbalancedTransactions: [],
      driftedWallets: [],
    });
  });

  afterAll(async () => {
    await service?.stop();
    await database?.close();
  });

  it('deposits, shows the balance and its ledger entry, and answers a retry with the first result', async () => {
    const alice = await newUser();
    const input = { asset: 'USD', amount: '1000', idempotencyKey: 'dep-1' };
    const first = await deposit(alice, input);
    expect(first.errors).toBeUndefined();
    expect(first.data!.deposit).toMatchObject({
      replayed: false,
      movement: { reason: 'DEPOSIT', asset: 'USD', amount: '1000.00', reference: 'deposit:dep-1' },
      wallet: { asset: 'USD', available: '1000.00', reserved: '0.00', total: '1000.00' },
    });

    const retry = await deposit(alice, input);
    expect(retry.data!.deposit).toMatchObject({
      replayed: true,
      movement: { id: first.data!.deposit.movement.id },
    });

    const view = await walletsOf(alice);
    expect(view.wallets).toEqual([
      { asset: 'USD', available: '1000.00', reserved: '0.00', total: '1000.00' },
    ]);
    expect(view.wallet!.ledger.edges.map((edge) => edge.node)).toEqual([
      { reason: 'DEPOSIT', amount: '1000.00', bucket: 'AVAILABLE', reference: 'deposit:dep-1' },
    ]);
  });

  it('refuses a reused key with another payload, bad amounts and unknown assets', async () => {
    const bob = await newUser();
    await deposit(bob, { asset: 'USD', amount: '5', idempotencyKey: 'k' });
    expect(codeOf(await deposit(bob, { asset: 'USD', amount: '6', idempotencyKey: 'k' }))).toBe(
      'CONFLICT',
    );
    expect(codeOf(await withdraw(bob, { asset: 'USD', amount: '5', idempotencyKey: 'k' }))).toBe(
      'CONFLICT',
    );
    for (const bad of [
      { asset: 'USD', amount: '0', idempotencyKey: 'b1' },
      { asset: 'USD', amount: '-1', idempotencyKey: 'b2' },
      { asset: 'USD', amount: '1.001', idempotencyKey: 'b3' },
      { asset: 'USD', amount: '1' + '0'.repeat(19), idempotencyKey: 'b4' },
      { asset: 'XYZ', amount: '1', idempotencyKey: 'b5' },
      { asset: 'USD', amount: 5, idempotencyKey: 'b6' },
      { asset: 'USD', amount: '1', idempotencyKey: '' },
    ]) {
      expect([bad, codeOf(await deposit(bob, bad))]).toEqual([bad, 'BAD_USER_INPUT']);
    }
    expect((await walletsOf(bob)).wallets).toEqual([
      { asset: 'USD', available: '5.00', reserved: '0.00', total: '5.00' },
    ]);
  });

  it('lets exactly as many concurrent withdrawals through as the balance covers', async () => {
    const carol = await newUser();
    await deposit(carol, { asset: 'USD', amount: '1000', idempotencyKey: 'funding' });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        withdraw(carol, { asset: 'USD', amount: '10', idempotencyKey: `w-${i}` }),
      ),
    );
    const codes = results.map((result) => codeOf(result) ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(100);
    expect(codes.filter((code) => code === 'INSUFFICIENT_FUNDS')).toHaveLength(100);
    expect((await walletsOf(carol)).wallet!.available).toBe('0.00');
  });

  it('pages the ledger newest first', async () => {
    const dave = await newUser();
    for (const key of ['a', 'b', 'c']) {
      await deposit(dave, { asset: 'USD', amount: '1', idempotencyKey: key });
    }
    const page = (await walletsOf(dave)).wallet!.ledger;
    expect(page.edges.map((edge) => edge.node.reference)).toEqual(['deposit:c', 'deposit:b']);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it('shows balances to their owner and to user administrators only', async () => {
    const erin = await newUser();
    const stranger = await newUser();
    await deposit(erin, { asset: 'BTC', amount: '0.5', idempotencyKey: 'btc' });
    expect((await walletsOf(erin, stranger)).wallets).toBeNull();
    const admin = { ...stranger, permissions: [...stranger.permissions, 'admin:users:read'] };
    expect((await walletsOf(erin, admin)).wallets).toEqual([
      { asset: 'BTC', available: '0.50000000', reserved: '0.00000000', total: '0.50000000' },
    ]);
    expect(
      codeOf(
        await deposit(
          { ...erin, permissions: [] },
          { asset: 'USD', amount: '1', idempotencyKey: 'x' },
        ),
      ),
    ).toBe('FORBIDDEN');
  });

  it('lets administrators grant and revoke permissions and assign roles, recorded and published', async () => {
    const target = await newUser();
    const plainUser = await newUser();
    const admin = {
      ...plainUser,
      permissions: [...plainUser.permissions, 'admin:users:manage', 'admin:users:read'],
    };
    const GRANT = `mutation ($input: GrantPermissionInput!) {
      grantPermission(input: $input) { user { id } effectivePermissions changedBy }
    }`;
    const REVOKE = `mutation ($input: RevokePermissionInput!) {
      revokePermission(input: $input) { effectivePermissions }
    }`;
    const ASSIGN = `mutation ($input: AssignRoleInput!) { assignRole(input: $input) { user { roles } } }`;

    expect(
      codeOf(
        await post(
          GRANT,
          { input: { userId: target.userId, permission: 'admin:ledger:read' } },
          plainUser,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        await post(GRANT, { input: { userId: target.userId, permission: 'wallets:steal' } }, admin),
      ),
    ).toBe('BAD_USER_INPUT');

    const granted = await post<{
      grantPermission: { effectivePermissions: string[]; changedBy: string };
    }>(GRANT, { input: { userId: target.userId, permission: 'admin:ledger:read' } }, admin);
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.grantPermission.effectivePermissions).toContain('admin:ledger:read');
    expect(granted.data!.grantPermission.changedBy).toBe(admin.userId);

    const revoked = await post<{ revokePermission: { effectivePermissions: string[] } }>(
      REVOKE,
      { input: { userId: target.userId, permission: 'wallets:withdraw' } },
      admin,
    );
    expect(revoked.data!.revokePermission.effectivePermissions).not.toContain('wallets:withdraw');

    const assigned = await post<{ assignRole: { user: { roles: string[] } } }>(
      ASSIGN,
      { input: { userId: target.userId, role: 'ADMIN' } },
      admin,
    );
    expect(assigned.data!.assignRole.user.roles).toEqual(['ADMIN']);

    const audit = await database.query<{ change: string; subject: string; changed_by: string }>(
      'SELECT change, subject, changed_by FROM core.permission_changes WHERE user_id = $1 ORDER BY id',
      [target.userId],
    );
    expect(audit.rows).toEqual([
      { change: 'PermissionGranted', subject: 'admin:ledger:read', changed_by: admin.userId },
      { change: 'PermissionRevoked', subject: 'wallets:withdraw', changed_by: admin.userId },
      { change: 'RoleAssigned', subject: 'ADMIN', changed_by: admin.userId },
    ]);
    const published = await database.query<{ type: string }>(
      'SELECT type FROM bus_messages WHERE subject = $1 ORDER BY position',
      [target.userId],
    );
    expect(published.rows.map((row) => row.type)).toEqual(
      expect.arrayContaining([
        'core.permission.granted.v1',
        'core.permission.revoked.v1',
        'core.role.assigned.v1',
      ]),
    );
  });
});
