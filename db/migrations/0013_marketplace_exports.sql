CREATE TYPE "public"."export_run_status" AS ENUM('queued', 'running', 'done', 'failed', 'expired');--> statement-breakpoint
CREATE TABLE "export_category_mappings" (
	"target" text NOT NULL,
	"category" text NOT NULL,
	"value" text NOT NULL,
	"updated_by_user_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "export_category_mappings_target_category_pk" PRIMARY KEY("target","category")
);
--> statement-breakpoint
CREATE TABLE "export_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"requested_by_user_id" uuid,
	"scope_kind" text NOT NULL,
	"scope_code" text NOT NULL,
	"format" text NOT NULL,
	"status" "export_run_status" DEFAULT 'queued' NOT NULL,
	"stalls_total" integer DEFAULT 0 NOT NULL,
	"stalls_done" integer DEFAULT 0 NOT NULL,
	"items_written" integer DEFAULT 0 NOT NULL,
	"items_skipped" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"file_key" text,
	"file_bytes" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "lead_time_days" integer;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "weight_grams" integer;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "package_length_cm" integer;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "package_width_cm" integer;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "package_height_cm" integer;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "feeds_private" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "feed_token" text;--> statement-breakpoint
ALTER TABLE "export_category_mappings" ADD CONSTRAINT "export_category_mappings_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_runs" ADD CONSTRAINT "export_runs_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "export_runs_created_idx" ON "export_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "export_runs_open_idx" ON "export_runs" USING btree ("status") WHERE "export_runs"."status" IN ('queued', 'running');--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_export_sizes_positive" CHECK (("listings"."lead_time_days" IS NULL OR "listings"."lead_time_days" >= 0) AND ("listings"."weight_grams" IS NULL OR "listings"."weight_grams" > 0)
        AND ("listings"."package_length_cm" IS NULL OR "listings"."package_length_cm" > 0) AND ("listings"."package_width_cm" IS NULL OR "listings"."package_width_cm" > 0)
        AND ("listings"."package_height_cm" IS NULL OR "listings"."package_height_cm" > 0));