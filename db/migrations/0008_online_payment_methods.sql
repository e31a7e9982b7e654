ALTER TABLE "stalls" ADD COLUMN "vnpay_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "stalls" ADD COLUMN "stripe_enabled" boolean DEFAULT false NOT NULL;