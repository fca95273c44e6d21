ALTER TABLE `labs` ADD `start_at` integer;--> statement-breakpoint
ALTER TABLE `labs` ADD `end_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `walltime_ms` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `start_at` integer;