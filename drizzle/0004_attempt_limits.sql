CREATE TABLE "attempt_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"attempts" integer NOT NULL,
	"blocked_until" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "attempt_limits_attempts" CHECK (attempts >= 0)
);
--> statement-breakpoint
CREATE INDEX "attempt_limits_expires_idx" ON "attempt_limits" USING btree ("expires_at");