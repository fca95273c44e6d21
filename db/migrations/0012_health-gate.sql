ALTER TABLE `hosts` ADD `health_state` text DEFAULT 'healthy' NOT NULL;--> statement-breakpoint
ALTER TABLE `hosts` ADD `health_report` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `health_checked_at` integer;--> statement-breakpoint
ALTER TABLE `hosts` ADD `health_check_every_s` integer;