ALTER TABLE `hosts` ADD `admin_reason` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `admin_reason_by` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `admin_reason_at` integer;