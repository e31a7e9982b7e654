CREATE TYPE "public"."officer_access" AS ENUM('edit', 'view', 'none');--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid NOT NULL,
	"actor_name" text NOT NULL,
	"actor_role" text NOT NULL,
	"household_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"label" text DEFAULT '' NOT NULL,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "commune_aliases" (
	"name_key" text NOT NULL,
	"district_key" text DEFAULT '' NOT NULL,
	"commune_code" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commune_aliases_name_key_district_key_pk" PRIMARY KEY("name_key","district_key")
);
--> statement-breakpoint
CREATE TABLE "household_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"officer_user_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"statement_version" text NOT NULL,
	"confirmed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "household_delegations" (
	"household_id" uuid NOT NULL,
	"officer_user_id" uuid NOT NULL,
	"access" "officer_access" DEFAULT 'edit' NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lapsed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "household_delegations_household_id_officer_user_id_pk" PRIMARY KEY("household_id","officer_user_id")
);
--> statement-breakpoint
CREATE TABLE "household_reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid,
	"roster_entry_id" uuid,
	"officer_user_id" uuid,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "officer_communes" (
	"officer_user_id" uuid NOT NULL,
	"commune_code" text NOT NULL,
	"assigned_by_user_id" uuid,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "officer_communes_officer_user_id_commune_code_pk" PRIMARY KEY("officer_user_id","commune_code")
);
--> statement-breakpoint
CREATE TABLE "progress_rollups" (
	"scope_kind" text NOT NULL,
	"scope_key" text NOT NULL,
	"roster" integer DEFAULT 0 NOT NULL,
	"registered" integer DEFAULT 0 NOT NULL,
	"stall_created" integer DEFAULT 0 NOT NULL,
	"first_product" integer DEFAULT 0 NOT NULL,
	"published" integer DEFAULT 0 NOT NULL,
	"first_order" integer DEFAULT 0 NOT NULL,
	"active_30d" integer DEFAULT 0 NOT NULL,
	"paid_online" integer DEFAULT 0 NOT NULL,
	"stuck" integer DEFAULT 0 NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "progress_rollups_scope_kind_scope_key_pk" PRIMARY KEY("scope_kind","scope_key")
);
--> statement-breakpoint
CREATE TABLE "roster_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"import_id" uuid,
	"commune_code" text NOT NULL,
	"full_name" text NOT NULL,
	"phone" text NOT NULL,
	"hamlet" text DEFAULT '' NOT NULL,
	"household_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roster_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"officer_user_id" uuid,
	"file_name" text NOT NULL,
	"rows_total" integer DEFAULT 0 NOT NULL,
	"rows_imported" integer DEFAULT 0 NOT NULL,
	"report" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_rollups" (
	"scope_kind" text NOT NULL,
	"scope_key" text NOT NULL,
	"month" date NOT NULL,
	"orders" integer DEFAULT 0 NOT NULL,
	"gmv_dong" bigint DEFAULT 0 NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_rollups_scope_kind_scope_key_month_pk" PRIMARY KEY("scope_kind","scope_key","month")
);
--> statement-breakpoint
DROP INDEX "households_commune_idx";--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "step_reached_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "handed_over_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "commune_aliases" ADD CONSTRAINT "commune_aliases_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commune_aliases" ADD CONSTRAINT "commune_aliases_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_delegations" ADD CONSTRAINT "household_delegations_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_delegations" ADD CONSTRAINT "household_delegations_officer_user_id_users_id_fk" FOREIGN KEY ("officer_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_reminders" ADD CONSTRAINT "household_reminders_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_reminders" ADD CONSTRAINT "household_reminders_roster_entry_id_roster_entries_id_fk" FOREIGN KEY ("roster_entry_id") REFERENCES "public"."roster_entries"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_reminders" ADD CONSTRAINT "household_reminders_officer_user_id_users_id_fk" FOREIGN KEY ("officer_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "officer_communes" ADD CONSTRAINT "officer_communes_officer_user_id_users_id_fk" FOREIGN KEY ("officer_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "officer_communes" ADD CONSTRAINT "officer_communes_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "officer_communes" ADD CONSTRAINT "officer_communes_assigned_by_user_id_users_id_fk" FOREIGN KEY ("assigned_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_entries" ADD CONSTRAINT "roster_entries_import_id_roster_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."roster_imports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_entries" ADD CONSTRAINT "roster_entries_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_entries" ADD CONSTRAINT "roster_entries_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_imports" ADD CONSTRAINT "roster_imports_officer_user_id_users_id_fk" FOREIGN KEY ("officer_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_household_idx" ON "audit_log" USING btree ("household_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_user_id","at");--> statement-breakpoint
CREATE INDEX "household_consents_household_idx" ON "household_consents" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "household_delegations_officer_idx" ON "household_delegations" USING btree ("officer_user_id");--> statement-breakpoint
CREATE INDEX "household_reminders_household_idx" ON "household_reminders" USING btree ("household_id","sent_at");--> statement-breakpoint
CREATE INDEX "household_reminders_officer_idx" ON "household_reminders" USING btree ("officer_user_id","sent_at");--> statement-breakpoint
CREATE INDEX "officer_communes_commune_idx" ON "officer_communes" USING btree ("commune_code");--> statement-breakpoint
CREATE UNIQUE INDEX "roster_entries_phone_idx" ON "roster_entries" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "roster_entries_commune_idx" ON "roster_entries" USING btree ("commune_code");--> statement-breakpoint
CREATE INDEX "roster_entries_name_search_idx" ON "roster_entries" USING gin (lower(f_unaccent("full_name")) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "households_created_by_idx" ON "households" USING btree ("created_by_user_id");--> statement-breakpoint
CREATE INDEX "households_commune_idx" ON "households" USING btree ("commune_code","onboarding_step");--> statement-breakpoint
-- "Stuck" counts from the last change of onboarding step, whoever made it (ADR 027).
CREATE FUNCTION households_step_reached() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.onboarding_step IS DISTINCT FROM OLD.onboarding_step THEN
    NEW.step_reached_at := now();
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER households_step_reached BEFORE UPDATE OF onboarding_step ON households
  FOR EACH ROW EXECUTE FUNCTION households_step_reached();--> statement-breakpoint
-- The audit trail is append-only (ADR 029): the app connects as a superuser,
-- so grants would enforce nothing; these triggers refuse every change.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
