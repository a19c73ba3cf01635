-- Two slots of one schedule can never overlap: decided by the database, whatever races in the app.
-- btree_gist lets the exclusion constraint compare schedule_id with "=" inside a GiST index; it is a
-- trusted extension (PostgreSQL 13+), so a database owner can create it without superuser.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "slots" ADD CONSTRAINT "slots_no_overlap"
  EXCLUDE USING gist ("schedule_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&);
