CREATE TABLE `host_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`host_id` text NOT NULL,
	`undo` text NOT NULL,
	`restored` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `host_changes_session` ON `host_changes` (`session_id`,`id`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`host_id` text NOT NULL,
	`role` text NOT NULL,
	`lab_id` text,
	`node` text,
	`number` integer NOT NULL,
	`spec` text NOT NULL,
	`work_id` text NOT NULL,
	`outcome` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_number` ON `jobs` (`session_id`,`host_id`,`number`);--> statement-breakpoint
CREATE INDEX `jobs_work` ON `jobs` (`work_id`);