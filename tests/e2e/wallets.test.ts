import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { checkLedgerInvariant } from '@simple-securities/core-subgraph';
import { FundsClient } from '@simple-securities/funds-client';
import { dataOf, startTestStack, type TestStack } from '../support/running-stack.js';

interface Wallet {
  asset: string;
  available: string;
  reserved: string;
  total: string;
}

const DEPOSIT = `mutation ($input: DepositInput!) {
  deposit(input: $input) { replayed movement { id amount } wallet { available } }
}`;
const WITHDRAW = `mutation ($input: WithdrawInput!) { withdraw(input: $input) { wallet { available } } }`;
const MY_WALLETS = `{ me {
  wallets { asset available reserved total }
  wallet(asset: "USD") { ledger(first: 10) { edges { node { reason amount reference } } } }
} }`;

describe('wallets through the router', () => {
  let stack: TestStack;

  const signUp = () => stack.signUp('saver');

  const myWallets = async (token: string) => {
    const { body } = await stack.graphql<{
      me: {
        wallets: Wallet[];
        wallet: { ledger: { edges: { node: Record<string, string> }[] } };
      };
    }>(MY_WALLETS, { token });
    expect(body.errors).toBeUndefined();
    return dataOf(body).me;
  };

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterEach(async () => {
    expect(await checkLedgerInvariant(stack.database)).toEqual({
      unbalancedAssets: [],
      unbalancedTransactions: [],
      driftedWallets: [],
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('signs up, deposits 1000 USD, shows it with its ledger entry, and a retry changes nothing', async () => {
    const { token } = await signUp();
    const input = { asset: 'USD', amount: '1000', idempotencyKey: 'first-deposit' };
    const first = await stack.graphql<{ deposit: { replayed: boolean; movement: { id: string } } }>(
      DEPOSIT,
      { token, variables: { input } },
    );
    expect(first.body.errors).toBeUndefined();
    const retry = await stack.graphql<{ deposit: { replayed: boolean; movement: { id: string } } }>(
      DEPOSIT,
      { token, variables: { input } },
    );
    expect(dataOf(retry.body).deposit).toEqual({
      ...dataOf(first.body).deposit,
      replayed: true,
    });

    const me = await myWallets(token);
    expect(me.wallets).toEqual([
      { asset: 'USD', available: '1000.00', reserved: '0.00', total: '1000.00' },
    ]);
    expect(me.wallet.ledger.edges.map((edge) => edge.node)).toEqual([
      { reason: 'DEPOSIT', amount: '1000.00', reference: 'deposit:first-deposit' },
    ]);
  });

  it('lets exactly 100 of 200 concurrent 10 USD withdrawals through a 1000 USD wallet', async () => {
    const { token } = await signUp();
    await stack.graphql(DEPOSIT, {
      token,
      variables: { input: { asset: 'USD', amount: '1000', idempotencyKey: 'funding' } },
    });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        stack.graphql(WITHDRAW, {
          token,
          variables: { input: { asset: 'USD', amount: '10', idempotencyKey: `w${i}` } },
        }),
      ),
    );
    const codes = results.map(({ body }) => body.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(100);
    expect(codes.filter((code) => code === 'INSUFFICIENT_FUNDS')).toHaveLength(100);
    expect((await myWallets(token)).wallets).toEqual([
      { asset: 'USD', available: '0.00', reserved: '0.00', total: '0.00' },
    ]);
  });

  it('shows a reservation made over gRPC as reserved money', async () => {
    const { token, user } = await signUp();
    await stack.graphql(DEPOSIT, {
      token,
      variables: { input: { asset: 'USD', amount: '50', idempotencyKey: 'funding' } },
    });
    const { internalGrpc } = stack.subgraphs.core;
    if (!internalGrpc) throw new Error('the core subgraph did not report its gRPC address');
    const funds = new FundsClient({
      address: internalGrpc,
      internalToken: 'e2e-test-internal-token',
    });
    try {
      await funds.reserve({
        userId: user.id,
        asset: 'USD',
        amount: '20',
        reservationId: 'order-7',
      });
    } finally {
      funds.close();
    }
    expect((await myWallets(token)).wallets).toEqual([
      { asset: 'USD', available: '30.00', reserved: '20.00', total: '50.00' },
    ]);
  });

  it('starts the demo users with balances paid in through deposits', async () => {
    const token = await stack.signIn('alice@example.com', 'alice-password-1');
    const me = await myWallets(token);
    expect(me.wallets.map(({ asset, available }) => [asset, available])).toEqual([
      ['USD', '100000.00'],
      ['USDT', '100000.000000'],
      ['BTC', '2.00000000'],
      ['ETH', '20.00000000'],
    ]);
    expect(me.wallet.ledger.edges.map((edge) => edge.node.reason)).toEqual(['DEPOSIT']);
  });
});
