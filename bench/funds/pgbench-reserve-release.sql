-- The SQL one Reserve and one Release write, one transaction each, as pgbench runs it:
-- the database's own ceiling for these movements without our service in front.
-- :hot = 1 puts every client on user 1 (the hot wallet); otherwise a random user of :users.
\set n random(1, :users)
\if :hot
\set n 1
\endif
SELECT nextval('bench.ids') AS r \gset
BEGIN;
SELECT id FROM core.funds_requests WHERE id = 'reserve:pgb-' || :r::bigint;
SELECT available FROM core.wallets
 WHERE user_id = (SELECT id FROM bench.users WHERE n = :n::int) AND asset = 'USD' FOR UPDATE;
INSERT INTO core.ledger_transactions (id, reference, created_at)
VALUES (md5('t' || :r::bigint)::uuid, 'reservation:pgb-' || :r::bigint, now());
INSERT INTO core.ledger_entries (transaction_id, account, asset, amount, reason, user_id)
SELECT md5('t' || :r::bigint)::uuid, 'wallet:' || u.id || ':' || v.bucket, 'USD', v.amount, 'RESERVE', u.id
  FROM bench.users u, (VALUES ('available', -100), ('reserved', 100)) AS v(bucket, amount)
 WHERE u.n = :n::int;
INSERT INTO core.funds_requests (id, fingerprint, transaction_id, result, created_at)
VALUES ('reserve:pgb-' || :r::bigint, 'Reserve', md5('t' || :r::bigint)::uuid, '{"legs":[]}', now());
INSERT INTO core.reservations (id, user_id, asset, amount, remaining, created_at)
SELECT 'pgb-' || :r::bigint, id, 'USD', 100, 100, now() FROM bench.users WHERE n = :n::int;
UPDATE core.wallets SET available = available - 100, reserved = reserved + 100, updated_at = now()
 WHERE user_id = (SELECT id FROM bench.users WHERE n = :n::int) AND asset = 'USD';
INSERT INTO bus_messages (message_id, type, subject, envelope)
VALUES ('reserve-' || :r::bigint, 'core.funds.reserved.v1', 'u', '{}');
COMMIT;
BEGIN;
SELECT id FROM core.funds_requests WHERE id = 'release:pgb-' || :r::bigint;
SELECT remaining FROM core.reservations WHERE id = 'pgb-' || :r::bigint;
SELECT available FROM core.wallets
 WHERE user_id = (SELECT id FROM bench.users WHERE n = :n::int) AND asset = 'USD' FOR UPDATE;
SELECT remaining FROM core.reservations WHERE id = 'pgb-' || :r::bigint FOR UPDATE;
INSERT INTO core.ledger_transactions (id, reference, created_at)
VALUES (md5('l' || :r::bigint)::uuid, 'reservation:pgb-' || :r::bigint, now());
INSERT INTO core.ledger_entries (transaction_id, account, asset, amount, reason, user_id)
SELECT md5('l' || :r::bigint)::uuid, 'wallet:' || u.id || ':' || v.bucket, 'USD', v.amount, 'RELEASE', u.id
  FROM bench.users u, (VALUES ('reserved', -100), ('available', 100)) AS v(bucket, amount)
 WHERE u.n = :n::int;
INSERT INTO core.funds_requests (id, fingerprint, transaction_id, result, created_at)
VALUES ('release:pgb-' || :r::bigint, 'Release', md5('l' || :r::bigint)::uuid, '{"legs":[]}', now());
UPDATE core.reservations SET remaining = 0 WHERE id = 'pgb-' || :r::bigint;
UPDATE core.wallets SET available = available + 100, reserved = reserved - 100, updated_at = now()
 WHERE user_id = (SELECT id FROM bench.users WHERE n = :n::int) AND asset = 'USD';
INSERT INTO bus_messages (message_id, type, subject, envelope)
VALUES ('release-' || :r::bigint, 'core.funds.released.v1', 'u', '{}');
COMMIT;
