-- Diacritic-insensitive, typo-tolerant search needs unaccent and pg_trgm.
-- unaccent() is only STABLE, so indexes use this IMMUTABLE wrapper with the
-- dictionary named explicitly (safe: the dictionary never changes under us).
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
