CREATE TABLE `session_results` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`description` text NOT NULL,
	`verdict` text NOT NULL,
	`data` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `session_results_session` ON `session_results` (`session_id`,`created_at`);