-- CreateEnum
CREATE TYPE "core"."LedgerReason" AS ENUM ('DEPOSIT', 'WITHDRAWAL', 'RESERVE', 'RELEASE', 'TRADE', 'FEE');

-- CreateTable
CREATE TABLE "core"."wallets" (
    "user_id" UUID NOT NULL,
    "asset" VARCHAR(16) NOT NULL,
    "available" BIGINT NOT NULL DEFAULT 0,
    "reserved" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wallets_pkey" PRIMARY KEY ("user_id","asset")
);

-- CreateTable
CREATE TABLE "core"."ledger_transactions" (
    "id" UUID NOT NULL,
    "reference" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ledger_transactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "core"."ledger_entries" (
    "id" BIGSERIAL NOT NULL,
    "transaction_id" UUID NOT NULL,
    "account" VARCHAR(100) NOT NULL,
    "asset" VARCHAR(16) NOT NULL,
    "amount" BIGINT NOT NULL,
    "reason" "core"."LedgerReason" NOT NULL,
    "user_id" UUID,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "core"."funds_requests" (
    "id" VARCHAR(300) NOT NULL,
    "fingerprint" VARCHAR(300) NOT NULL,
    "transaction_id" UUID NOT NULL,
    "result" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "funds_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "core"."reservations" (
    "id" VARCHAR(128) NOT NULL,
    "user_id" UUID NOT NULL,
    "asset" VARCHAR(16) NOT NULL,
    "amount" BIGINT NOT NULL,
    "remaining" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reservations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "core"."user_permissions" (
    "user_id" UUID NOT NULL,
    "permission" VARCHAR(100) NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "changed_by" UUID NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "user_permissions_pkey" PRIMARY KEY ("user_id","permission")
);

-- CreateTable
CREATE TABLE "core"."permission_changes" (
    "id" BIGSERIAL NOT NULL,
    "user_id" UUID NOT NULL,
    "change" VARCHAR(20) NOT NULL,
    "subject" VARCHAR(100) NOT NULL,
    "changed_by" UUID NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "permission_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ledger_entries_user_id_asset_id_idx" ON "core"."ledger_entries"("user_id", "asset", "id");

-- CreateIndex
CREATE INDEX "ledger_entries_transaction_id_idx" ON "core"."ledger_entries"("transaction_id");

-- CreateIndex
CREATE INDEX "reservations_user_id_asset_idx" ON "core"."reservations"("user_id", "asset");

-- CreateIndex
CREATE INDEX "permission_changes_user_id_id_idx" ON "core"."permission_changes"("user_id", "id");

-- AddForeignKey
ALTER TABLE "core"."wallets" ADD CONSTRAINT "wallets_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "core"."users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "core"."ledger_entries" ADD CONSTRAINT "ledger_entries_transaction_id_fkey" FOREIGN KEY ("transaction_id") REFERENCES "core"."ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "core"."user_permissions" ADD CONSTRAINT "user_permissions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "core"."users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Prisma cannot declare CHECK constraints; the last line of defence against an overdraft.
ALTER TABLE "core"."wallets" ADD CONSTRAINT "wallets_available_not_negative" CHECK ("available" >= 0);
ALTER TABLE "core"."wallets" ADD CONSTRAINT "wallets_reserved_not_negative" CHECK ("reserved" >= 0);
ALTER TABLE "core"."reservations" ADD CONSTRAINT "reservations_remaining_in_range" CHECK ("remaining" >= 0 AND "remaining" <= "amount");
