CREATE INDEX "listings_title_search_idx" ON "listings" USING gin (lower(f_unaccent("title")) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "listings_text_search_idx" ON "listings" USING gin (lower(f_unaccent("title" || ' ' || "description")) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "listings_created_idx" ON "listings" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "listings_category_created_idx" ON "listings" USING btree ("category","created_at");--> statement-breakpoint
CREATE INDEX "listings_price_idx" ON "listings" USING btree ("price_dong","id");