ALTER TABLE `labs` ADD `keep_warm` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `labs` ADD `warm_until` integer;