CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`max_priority` integer DEFAULT 0 NOT NULL,
	`max_walltime_ms` integer,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`expires_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_live_name` ON `api_tokens` (`name`) WHERE "api_tokens"."revoked_at" is null;--> statement-breakpoint
ALTER TABLE `events` ADD `actor` text;--> statement-breakpoint
CREATE INDEX `events_actor` ON `events` (`actor`,`id`) WHERE "events"."actor" is not null;--> statement-breakpoint
ALTER TABLE `hosts` ADD `pending_agent_token_hash` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `owner_id` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `owner_name` text;