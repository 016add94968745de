-- Per book, the first stream version whose settlements or give-backs core may still owe
-- (ADR 0030); no row: at most the last command's. A restart makes them again from there.
CREATE TABLE crypto.settlement_backlog (
  symbol text PRIMARY KEY,
  unsettled_from bigint NOT NULL
);
