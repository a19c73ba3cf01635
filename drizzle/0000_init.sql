CREATE TABLE "schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"public_id" text NOT NULL,
	"admin_key_hash" text NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"host_name" text DEFAULT '' NOT NULL,
	"time_zone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedules_publicId_unique" UNIQUE("public_id"),
	CONSTRAINT "schedules_adminKeyHash_unique" UNIQUE("admin_key_hash")
);
--> statement-breakpoint
CREATE TABLE "slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"schedule_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"booking_id" uuid,
	"booked_at" timestamp with time zone,
	"booker_name" text,
	"booker_email" text,
	"visitor_hash" text,
	"manage_key_hash" text,
	"booking_sequence" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slots_end_after_start" CHECK (ends_at > starts_at),
	CONSTRAINT "slots_booking_whole" CHECK ((booking_id IS NULL) = (booked_at IS NULL)
        AND (booking_id IS NULL) = (booker_name IS NULL)
        AND (booking_id IS NULL) = (manage_key_hash IS NULL)
        AND (booking_id IS NOT NULL OR (booker_email IS NULL AND visitor_hash IS NULL)))
);
--> statement-breakpoint
ALTER TABLE "slots" ADD CONSTRAINT "slots_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "slots_schedule_starts_idx" ON "slots" USING btree ("schedule_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "slots_booking_id_key" ON "slots" USING btree ("booking_id");--> statement-breakpoint
CREATE UNIQUE INDEX "slots_manage_key_hash_key" ON "slots" USING btree ("manage_key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "slots_one_booking_per_visitor" ON "slots" USING btree ("schedule_id","visitor_hash") WHERE visitor_hash IS NOT NULL;