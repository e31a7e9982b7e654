DROP INDEX "listings_category_created_idx";--> statement-breakpoint
CREATE INDEX "listings_title_typed_idx" ON "listings" USING gin (lower("title") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "listings_category_created_idx" ON "listings" USING btree ("category","created_at","id");