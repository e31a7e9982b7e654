CREATE TABLE "phone_proofs" (
	"id" text PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"allows" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone_confirmed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "phone_proofs_expires_idx" ON "phone_proofs" USING btree ("expires_at");