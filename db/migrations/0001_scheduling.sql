CREATE TABLE `events` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`session_id` text,
	`host_id` text,
	`lab_id` text,
	`job_id` text,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_session` ON `events` (`session_id`,`id`) WHERE "events"."session_id" is not null;--> statement-breakpoint
CREATE INDEX `events_host` ON `events` (`host_id`,`id`) WHERE "events"."host_id" is not null;--> statement-breakpoint
CREATE INDEX `events_lab` ON `events` (`lab_id`,`id`) WHERE "events"."lab_id" is not null;--> statement-breakpoint
CREATE INDEX `events_job` ON `events` (`job_id`,`id`) WHERE "events"."job_id" is not null;--> statement-breakpoint
CREATE TABLE `hosts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`agent_labels` text NOT NULL,
	`admin_labels` text NOT NULL,
	`runtimes` text NOT NULL,
	`agent_capacity` integer DEFAULT 1 NOT NULL,
	`admin_capacity` integer,
	`online` integer NOT NULL,
	`draining` integer DEFAULT false NOT NULL,
	`maintenance` integer DEFAULT false NOT NULL,
	`agent_version` text NOT NULL,
	`agent_token_hash` text NOT NULL,
	`inventory` text NOT NULL,
	`registered_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hosts_name_unique` ON `hosts` (`name`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`state` text NOT NULL,
	`end_reason` text,
	`priority` integer DEFAULT 0 NOT NULL,
	`requirements` text NOT NULL,
	`client` text NOT NULL,
	`compat` integer DEFAULT false NOT NULL,
	`idempotency_key` text,
	`assignments` text,
	`created_at` integer NOT NULL,
	`activated_at` integer,
	`ended_at` integer,
	`last_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_seq_unique` ON `sessions` (`seq`);--> statement-breakpoint
CREATE INDEX `sessions_state_seq` ON `sessions` (`state`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_idempotency_key` ON `sessions` (`idempotency_key`) WHERE "sessions"."idempotency_key" is not null;