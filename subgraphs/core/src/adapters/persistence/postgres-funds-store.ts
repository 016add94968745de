import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import {
  CORE_SOURCE,
  FUNDS_DEPOSITED,
  FUNDS_RELEASED,
  FUNDS_RESERVED,
  FUNDS_WITHDRAWN,
  TRADE_SETTLED,
} from '@simple-securities/contracts';
import { type IntegrationEvent, integrationEvent } from '@simple-securities/event-sourcing';
import { type SqlDatabase, type SqlExecutor, postgresOutbox } from '@simple-securities/postgres';
import type { Logger } from '@simple-securities/service-kit';
import { type Clock, DomainError, isDomainError } from '@simple-securities/shared-kernel';
import {
  type FundsStore,
  type LedgerEntry,
  type LedgerReason,
  type MovedLeg,
  type Movement,
  type MovementRequest,
  type Reservation,
  type WalletBalance,
  type WalletEvent,
  type WalletKey,
  entriesOf,
  formatUnits,
  getAsset,
  reasonOf,
  requireBalanced,
  walletDecider,
} from '@simple-securities/wallets';

/** How many waiting movements one database transaction takes at most. */
const MAX_BATCH = 256;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const keyOf = (wallet: WalletKey) => `${wallet.userId}/${wallet.asset}`;

interface Pending {
  readonly request: MovementRequest;
  resolve(movement: Movement): void;
  reject(error: unknown): void;
}

type Outcome = { readonly movement: Movement } | { readonly error: unknown };

/** A movement as stored for replay: bigints as strings. */
interface StoredMovement {
  id: string;
  reference: string;
  createdAt: string;
  legs: {
    userId: string;
    asset: string;
    event: WalletEvent['type'];
    reason: LedgerReason;
    amount: string;
    available: string;
    reserved: string;
  }[];
}

const store = (movement: Movement): StoredMovement => ({
  id: movement.id,
  reference: movement.reference,
  createdAt: movement.createdAt.toISOString(),
  legs: movement.legs.map((leg) => ({
    ...leg.wallet,
    event: leg.event,
    reason: leg.reason,
    amount: leg.amount.toString(),
    available: leg.balance.available.toString(),
    reserved: leg.balance.reserved.toString(),
  })),
});

const replay = (stored: StoredMovement): Movement => ({
  id: stored.id,
  reference: stored.reference,
  createdAt: new Date(stored.createdAt),
  replayed: true,
  legs: stored.legs.map((leg) => ({
    wallet: { userId: leg.userId, asset: leg.asset },
    event: leg.event,
    reason: leg.reason,
    amount: BigInt(leg.amount),
    balance: { available: BigInt(leg.available), reserved: BigInt(leg.reserved) },
  })),
});

const conflict = (request: MovementRequest) =>
  new DomainError(
    'CONFLICT',
    'This idempotency key (or id) was already used for a different request; use a new key for a new movement.',
    { id: request.id },
  );

const EVENT_TYPES: Partial<Record<LedgerReason, string>> = {
  DEPOSIT: FUNDS_DEPOSITED,
  WITHDRAWAL: FUNDS_WITHDRAWN,
  RESERVE: FUNDS_RESERVED,
  RELEASE: FUNDS_RELEASED,
};

const SETTLEMENT_REFERENCE = 'settlement:';

/** A settlement is one event with every leg, signed: what left a wallet is negative. */
const tradeSettledEvent = (movement: Movement) =>
  integrationEvent({
    type: TRADE_SETTLED,
    source: CORE_SOURCE,
    subject: movement.reference.slice(SETTLEMENT_REFERENCE.length),
    time: movement.createdAt,
    data: {
      transactionId: movement.id,
      settlementId: movement.reference.slice(SETTLEMENT_REFERENCE.length),
      legs: movement.legs.map((leg) => {
        const amount = formatUnits(getAsset(leg.wallet.asset), leg.amount);
        return {
          userId: leg.wallet.userId,
          asset: leg.wallet.asset,
          amount: leg.event === 'FundsCredited' ? amount : `-${amount}`,
          reason: leg.reason === 'FEE' ? 'FEE' : 'TRADE',
        };
      }),
      occurredAt: movement.createdAt.toISOString(),
    },
  });

const eventsOf = (movement: Movement, reservationIds: readonly (string | undefined)[]) =>
  movement.reference.startsWith(SETTLEMENT_REFERENCE)
    ? [tradeSettledEvent(movement)]
    : walletEventsOf(movement, reservationIds);

const walletEventsOf = (movement: Movement, reservationIds: readonly (string | undefined)[]) =>
  movement.legs.flatMap((leg, index): IntegrationEvent[] => {
    const type = EVENT_TYPES[leg.reason];
    if (!type) return [];
    const asset = getAsset(leg.wallet.asset);
    const reservationId = reservationIds[index];
    return [
      integrationEvent({
        type,
        source: CORE_SOURCE,
        subject: leg.wallet.userId,
        time: movement.createdAt,
        data: {
          transactionId: movement.id,
          userId: leg.wallet.userId,
          asset: asset.code,
          amount: formatUnits(asset, leg.amount),
          available: formatUnits(asset, leg.balance.available),
          reserved: formatUnits(asset, leg.balance.reserved),
          reference: movement.reference,
          occurredAt: movement.createdAt.toISOString(),
          ...(reservationId ? { reservationId } : {}),
        },
      }),
    ];
  });

/** Everything one batch writes, gathered in memory and written in a few set-based statements. */
class BatchWrites {
  readonly transactions: { id: string; reference: string; createdAt: Date }[] = [];
  readonly entries: (LedgerEntry & {
    transactionId: string;
    reason: LedgerReason;
    userId: string | null;
  })[] = [];
  readonly requests: {
    id: string;
    fingerprint: string;
    transactionId: string;
    result: StoredMovement;
  }[] = [];
  readonly newReservations = new Map<string, Reservation>();
  readonly changedReservations = new Map<string, Reservation>();
  readonly events: IntegrationEvent[] = [];
  /** The wallets whose balances changed. */
  readonly touched = new Map<string, WalletKey>();
}

/**
 * The funds write model on Postgres (server or PGlite). Movements queue in memory and
 * are written by one transaction at a time, which takes every movement waiting when it
 * starts — group commit: concurrent reservations of one hot wallet lock its row once
 * and commit together instead of queueing on the lock one transaction each. Every
 * movement in a batch is decided in order against the locked balances, so the batch is
 * exactly the same as running them one by one; a refused movement is simply left out.
 */
export class PostgresFundsStore implements FundsStore {
  private readonly waiting: Pending[] = [];
  private writers = 0;
  /**
   * Transactions in flight at once. A server overlaps them on its pool (wallet locks are
   * taken in key order, so they cannot deadlock on wallets); PGlite has one connection.
   */
  private readonly maxWriters: number;

  constructor(
    private readonly database: SqlDatabase,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.maxWriters = database.engine === 'postgres' ? 4 : 1;
  }

  record(request: MovementRequest): Promise<Movement> {
    for (const leg of request.legs) {
      // Wallets belong to users; a user id that is not a UUID cannot name one.
      if (!UUID.test(leg.wallet.userId)) {
        return Promise.reject(
          new DomainError('NOT_FOUND', `No user ${leg.wallet.userId}.`, {
            userId: leg.wallet.userId,
          }),
        );
      }
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      void this.writeWaiting();
    });
  }

  /**
   * Lookups asked for in the same tick share one query: every Release and Settle looks its
   * reservations up first, and one query each would queue them for the pool's connections
   * behind the writers. Not cached: a reservation changes with every movement.
   */
  private readonly reservationLookups = new DataLoader<string, Reservation | undefined>(
    async (ids) => {
      const { rows } = await this.database.query<ReservationRow>(
        'SELECT id, user_id, asset, amount::text, remaining::text FROM core.reservations WHERE id = ANY($1::text[])',
        [ids],
      );
      const found = new Map(rows.map((row) => [row.id, toReservation(row)]));
      return ids.map((id) => found.get(id));
    },
    { cache: false, maxBatchSize: MAX_BATCH },
  );

  findReservation(id: string): Promise<Reservation | undefined> {
    return this.reservationLookups.load(id);
  }

  private async writeWaiting(): Promise<void> {
    if (this.writers >= this.maxWriters) return;
    this.writers += 1;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        await this.writeBatch(batch);
      }
    } finally {
      this.writers -= 1;
    }
  }

  private async writeBatch(batch: Pending[], attempt = 1): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.database.transaction((tx) =>
        this.apply(
          tx,
          batch.map((p) => p.request),
        ),
      );
    } catch (error) {
      if (batch.length === 1) {
        const [pending] = batch as [Pending];
        if (isTransient(error) && attempt < 3) await this.writeBatch(batch, attempt + 1);
        else pending.reject(translate(error));
        return;
      }
      // One bad movement (an unknown user, a race on an idempotency id between two
      // processes) must not fail its neighbours: retry them one by one.
      this.logger.warn(
        { err: error, size: batch.length },
        'funds batch failed; writing its movements one at a time',
      );
      for (const pending of batch) await this.writeBatch([pending]);
      return;
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome && 'movement' in outcome) pending.resolve(outcome.movement);
      else pending.reject(outcome?.error ?? new Error('the funds batch lost a movement'));
    });
  }

  private async apply(tx: SqlExecutor, requests: readonly MovementRequest[]): Promise<Outcome[]> {
    const { wallets, stored, reservations } = await this.lockAndRead(tx, requests);
    const writes = new BatchWrites();
    const now = this.clock.now();

    const outcomes = requests.map((request): Outcome => {
      const earlier = stored.get(request.id);
      if (earlier) {
        return earlier.fingerprint === request.fingerprint
          ? { movement: replay(earlier.result) }
          : { error: conflict(request) };
      }
      try {
        const movement = this.decide(request, wallets, reservations, writes, now);
        stored.set(request.id, { fingerprint: request.fingerprint, result: store(movement) });
        return { movement };
      } catch (error) {
        if (!isDomainError(error)) throw error;
        return { error };
      }
    });

    await this.recheckRefused(tx, requests, outcomes);
    await this.write(tx, writes, wallets, now);
    return outcomes;
  }

  /**
   * The ids were read with the snapshot `lockAndRead` took before it waited for the wallet
   * locks, so a movement refused against balances its own original (a racing retry in
   * another writer) has since changed may have a stored result after all: read again, with
   * the locks held, and answer that instead. A movement that went through on that stale
   * view fails on the result's key instead (see `TRANSIENT`).
   */
  private async recheckRefused(
    tx: SqlExecutor,
    requests: readonly MovementRequest[],
    outcomes: Outcome[],
  ) {
    const refused = requests.filter((_, index) => outcomes[index] && 'error' in outcomes[index]);
    if (refused.length === 0) return;
    const { rows } = await tx.query<{ id: string; fingerprint: string; result: StoredMovement }>(
      'SELECT id, fingerprint, result FROM core.funds_requests WHERE id = ANY($1::text[])',
      [refused.map((request) => request.id)],
    );
    const stored = new Map(rows.map((row) => [row.id, row]));
    requests.forEach((request, index) => {
      const earlier = stored.get(request.id);
      if (!earlier || !outcomes[index] || !('error' in outcomes[index])) return;
      outcomes[index] =
        earlier.fingerprint === request.fingerprint
          ? { movement: replay(earlier.result) }
          : { error: conflict(request) };
    });
  }

  /**
   * Decides every leg against working copies of the balances and applies them only when
   * the whole movement is allowed, so a refused movement changes nothing.
   */
  private decide(
    request: MovementRequest,
    wallets: Map<string, WalletBalance>,
    reservations: Map<string, Reservation>,
    writes: BatchWrites,
    now: Date,
  ): Movement {
    const balances = new Map<string, WalletBalance>();
    const held = new Map<string, Reservation>();
    const opened = new Map<string, Reservation>();
    const entries: LedgerEntry[] = [];
    const legs: MovedLeg[] = [];
    const lines: (LedgerEntry & { reason: LedgerReason; userId: string | null })[] = [];

    for (const leg of request.legs) {
      const key = keyOf(leg.wallet);
      const balance = balances.get(key) ?? wallets.get(key);
      if (!balance) throw new Error(`wallet ${key} was not locked`);
      const reservation = leg.reservationId
        ? (held.get(leg.reservationId) ??
          reservations.get(leg.reservationId) ??
          writes.newReservations.get(leg.reservationId))
        : undefined;
      const command = leg.plan({ balance, ...(reservation ? { reservation } : {}) });
      const decider = walletDecider(getAsset(leg.wallet.asset));
      const events = decider.decide(command, balance);
      let after = balance;
      for (const event of events) {
        after = decider.evolve(after, event);
        const reason = reasonOf(event);
        for (const entry of entriesOf(leg.wallet, event)) {
          entries.push(entry);
          lines.push({
            ...entry,
            reason,
            userId: entry.account.startsWith('wallet:') ? leg.wallet.userId : null,
          });
        }
        legs.push({
          wallet: leg.wallet,
          event: event.type,
          reason,
          amount: event.amount,
          balance: after,
        });
      }
      balances.set(key, after);

      if (leg.reservationId) {
        if (command.type === 'Reserve') {
          if (reservation)
            throw new DomainError('CONFLICT', `Reservation ${leg.reservationId} already exists.`);
          opened.set(leg.reservationId, {
            id: leg.reservationId,
            ...leg.wallet,
            amount: command.amount,
            remaining: command.amount,
          });
        } else if (reservation) {
          held.set(leg.reservationId, {
            ...reservation,
            remaining: reservation.remaining - command.amount,
          });
        } else {
          throw new DomainError('NOT_FOUND', `No reservation ${leg.reservationId}.`);
        }
      }
    }
    requireBalanced(entries);

    const movement: Movement = {
      id: randomUUID(),
      reference: request.reference,
      createdAt: now,
      legs,
      replayed: false,
    };
    for (const [key, balance] of balances) wallets.set(key, balance);
    for (const leg of request.legs) writes.touched.set(keyOf(leg.wallet), leg.wallet);
    for (const [id, reservation] of opened) writes.newReservations.set(id, reservation);
    for (const [id, reservation] of held) {
      if (writes.newReservations.has(id)) writes.newReservations.set(id, reservation);
      else writes.changedReservations.set(id, reservation);
      reservations.set(id, reservation);
    }
    writes.transactions.push({ id: movement.id, reference: movement.reference, createdAt: now });
    writes.entries.push(...lines.map((line) => ({ ...line, transactionId: movement.id })));
    writes.requests.push({
      id: request.id,
      fingerprint: request.fingerprint,
      transactionId: movement.id,
      result: store(movement),
    });
    writes.events.push(
      ...eventsOf(
        movement,
        request.legs.map((leg) => leg.reservationId),
      ),
    );
    return movement;
  }

  /**
   * Locks every wallet the batch touches, in key order so that two writers (two core
   * processes) always lock in the same order and cannot deadlock, then reads the batch's
   * earlier results by id and locks the reservations it names: one round trip. The wallet
   * lock already serialises a reservation's movements; the reservation lock keeps a
   * settlement that names it from another wallet honest too. A wallet that does not exist
   * yet is created empty first, and the statement runs again.
   *
   * One statement reads with one snapshot, taken before it waited for the wallet locks: a
   * retry racing its original in another writer may not see the original's result. If it
   * is refused, `recheckRefused` finds the result; if it goes through, it fails on the
   * result's key (UNIQUE_VIOLATION) once the original commits, and is retried alone.
   */
  private async lockAndRead(tx: SqlExecutor, requests: readonly MovementRequest[]) {
    const keys = new Map<string, WalletKey>();
    for (const request of requests)
      for (const leg of request.legs) keys.set(keyOf(leg.wallet), leg.wallet);
    const sorted = [...keys.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const reservationIds = [
      ...new Set(requests.flatMap((r) => r.legs.flatMap((leg) => leg.reservationId ?? []))),
    ];
    const walletParams = [sorted.map((key) => key.userId), sorted.map((key) => key.asset)];
    // The reads wait for the wallet locks: `(SELECT count(*) FROM locked)` makes them
    // depend on every wallet being locked first, so locks are always taken in one order.
    const read = async () => {
      const { rows } = await tx.query<{
        locked: { user_id: string; asset: string; available: string; reserved: string }[];
        stored: { id: string; fingerprint: string; result: StoredMovement }[];
        held: ReservationRow[];
      }>(
        `WITH locked AS (
           SELECT user_id, asset, available::text AS available, reserved::text AS reserved
             FROM core.wallets
            WHERE (user_id, asset) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
            ORDER BY user_id, asset FOR UPDATE
         ), stored AS (
           SELECT id, fingerprint, result FROM core.funds_requests
            WHERE id = ANY($3::text[]) AND (SELECT count(*) FROM locked) >= 0
         ), held AS (
           SELECT id, user_id, asset, amount::text AS amount, remaining::text AS remaining
             FROM core.reservations
            WHERE id = ANY($4::text[]) AND (SELECT count(*) FROM locked) >= 0
            ORDER BY id FOR UPDATE
         )
         SELECT (SELECT coalesce(json_agg(locked), '[]') FROM locked) AS locked,
                (SELECT coalesce(json_agg(stored), '[]') FROM stored) AS stored,
                (SELECT coalesce(json_agg(held), '[]') FROM held) AS held`,
        [...walletParams, requests.map((request) => request.id), reservationIds],
      );
      const [row] = rows;
      return { locked: row?.locked ?? [], stored: row?.stored ?? [], held: row?.held ?? [] };
    };
    let { locked, stored, held } = await read();
    if (locked.length < sorted.length) {
      await tx.query(
        `INSERT INTO core.wallets (user_id, asset, updated_at)
         SELECT user_id, asset, $3 FROM unnest($1::uuid[], $2::text[]) AS k(user_id, asset)
         ON CONFLICT DO NOTHING`,
        [...walletParams, this.clock.now()],
      );
      ({ locked, stored, held } = await read());
    }
    return {
      wallets: new Map(
        locked.map((row): [string, WalletBalance] => [
          keyOf({ userId: row.user_id, asset: row.asset }),
          { available: BigInt(row.available), reserved: BigInt(row.reserved) },
        ]),
      ),
      stored: new Map(stored.map((r) => [r.id, { fingerprint: r.fingerprint, result: r.result }])),
      reservations: new Map(held.map((r) => [r.id, toReservation(r)])),
    };
  }

  /**
   * Everything the batch decided, in one statement: the round trips of a batch, not its
   * rows, are what a busy two-core machine waits on. Foreign keys are checked at the end
   * of the statement, so entries may name transactions inserted beside them.
   */
  private async write(
    tx: SqlExecutor,
    writes: BatchWrites,
    wallets: Map<string, WalletBalance>,
    now: Date,
  ) {
    if (writes.transactions.length === 0) return;
    const { transactions, entries, requests } = writes;
    const opened = [...writes.newReservations.values()];
    const changed = [...writes.changedReservations.values()];
    const after = [...writes.touched.values()].flatMap((key) => {
      const balance = wallets.get(keyOf(key));
      return balance ? [{ ...key, ...balance }] : [];
    });
    await tx.query(
      `WITH ledger_transactions AS (
         INSERT INTO core.ledger_transactions (id, reference, created_at)
         SELECT id, reference, $1 FROM unnest($2::uuid[], $3::text[]) AS t(id, reference)
       ), ledger_entries AS (
         INSERT INTO core.ledger_entries (transaction_id, account, asset, amount, reason, user_id)
         SELECT * FROM unnest($4::uuid[], $5::text[], $6::text[], $7::bigint[], $8::text[]::core."LedgerReason"[], $9::uuid[])
       ), funds_requests AS (
         INSERT INTO core.funds_requests (id, fingerprint, transaction_id, result, created_at)
         SELECT id, fingerprint, transaction_id, result::jsonb, $1
           FROM unnest($10::text[], $11::text[], $12::uuid[], $13::text[]) AS r(id, fingerprint, transaction_id, result)
       ), opened_reservations AS (
         INSERT INTO core.reservations (id, user_id, asset, amount, remaining, created_at)
         SELECT *, $1 FROM unnest($14::text[], $15::uuid[], $16::text[], $17::bigint[], $18::bigint[])
       ), changed_reservations AS (
         UPDATE core.reservations r SET remaining = c.remaining
           FROM unnest($19::text[], $20::bigint[]) AS c(id, remaining) WHERE r.id = c.id
       )
       UPDATE core.wallets w SET available = v.available, reserved = v.reserved, updated_at = $1
         FROM unnest($21::uuid[], $22::text[], $23::bigint[], $24::bigint[]) AS v(user_id, asset, available, reserved)
        WHERE w.user_id = v.user_id AND w.asset = v.asset`,
      [
        now,
        transactions.map((t) => t.id),
        transactions.map((t) => t.reference),
        entries.map((e) => e.transactionId),
        entries.map((e) => e.account),
        entries.map((e) => e.asset),
        entries.map((e) => e.amount.toString()),
        entries.map((e) => e.reason),
        entries.map((e) => e.userId),
        requests.map((r) => r.id),
        requests.map((r) => r.fingerprint),
        requests.map((r) => r.transactionId),
        requests.map((r) => JSON.stringify(r.result)),
        opened.map((r) => r.id),
        opened.map((r) => r.userId),
        opened.map((r) => r.asset),
        opened.map((r) => r.amount.toString()),
        opened.map((r) => r.remaining.toString()),
        changed.map((r) => r.id),
        changed.map((r) => r.remaining.toString()),
        after.map((w) => w.userId),
        after.map((w) => w.asset),
        after.map((w) => w.available.toString()),
        after.map((w) => w.reserved.toString()),
      ],
    );
    await postgresOutbox.enqueue(tx, writes.events);
  }
}

interface ReservationRow {
  id: string;
  user_id: string;
  asset: string;
  amount: string;
  remaining: string;
}

const toReservation = (row: ReservationRow): Reservation => ({
  id: row.id,
  userId: row.user_id,
  asset: row.asset,
  amount: BigInt(row.amount),
  remaining: BigInt(row.remaining),
});

const FOREIGN_KEY_VIOLATION = '23503';
/**
 * Worth another attempt: two writers creating each other's missing wallets can deadlock
 * (Postgres aborts one), and a retry racing its original fails on the original's stored
 * result once the original commits (see `lockAndRead`).
 */
const TRANSIENT = new Set(['40P01', '40001', '23505']);

const isTransient = (error: unknown) => TRANSIENT.has((error as { code?: string }).code ?? '');

/** A movement for a user core does not know fails on the wallet's foreign key. */
const translate = (error: unknown): unknown =>
  (error as { code?: string }).code === FOREIGN_KEY_VIOLATION
    ? new DomainError('NOT_FOUND', 'No such user: wallets belong to registered users.')
    : error;
