ALTER TABLE "invites" DROP CONSTRAINT "invites_two_people";--> statement-breakpoint
DROP INDEX "commitments_invite_idx";--> statement-breakpoint
DROP INDEX "invites_room_hour_active";--> statement-breakpoint
ALTER TABLE "invites" ALTER COLUMN "invitee_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "invites" ADD COLUMN "period" "tstzrange" GENERATED ALWAYS AS (tstzrange(starts_at, ends_at)) STORED;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "time_zone" text;--> statement-breakpoint
-- Edited by hand from drizzle-kit's output, which would add "period" NOT NULL to a table that has
-- rows and drop "starts_at" (taking the old primary key with it) before dropping that key: existing
-- commitments take their invite's period, then the column is required.
ALTER TABLE "commitments" DROP CONSTRAINT "commitments_pkey";--> statement-breakpoint
ALTER TABLE "commitments" ADD COLUMN "period" "tstzrange";--> statement-breakpoint
UPDATE "commitments" SET "period" = "invites"."period" FROM "invites" WHERE "invites"."id" = "commitments"."invite_id";--> statement-breakpoint
ALTER TABLE "commitments" ALTER COLUMN "period" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "commitments" DROP COLUMN "starts_at";--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_pkey" PRIMARY KEY("invite_id","user_id");--> statement-breakpoint
ALTER TABLE "invites" ADD CONSTRAINT "invites_two_people" CHECK (invitee_id IS NULL OR inviter_id <> invitee_id);
