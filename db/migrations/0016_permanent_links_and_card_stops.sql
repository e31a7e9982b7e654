ALTER TABLE "listings" ADD COLUMN "first_published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "stripe_charges_stopped_at" timestamp with time zone;--> statement-breakpoint
-- Listings already past draft have been on sale (or could have been, and
-- shared): their address is fixed from now on. Their creation is the best
-- date we have.
UPDATE "listings" SET "first_published_at" = "created_at" WHERE "status" <> 'draft';
