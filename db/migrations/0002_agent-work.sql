CREATE TABLE `work_items` (
	`id` text PRIMARY KEY NOT NULL,
	`host_id` text NOT NULL,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`payload` text NOT NULL,
	`session_id` text,
	`lab_id` text,
	`job_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`result` text,
	`error` text,
	`created_at` integer NOT NULL,
	`dispatched_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `work_items_open` ON `work_items` (`host_id`,`created_at`) WHERE "work_items"."state" in ('queued', 'dispatched');--> statement-breakpoint
CREATE INDEX `work_items_job` ON `work_items` (`job_id`) WHERE "work_items"."job_id" is not null;--> statement-breakpoint
CREATE INDEX `work_items_lab` ON `work_items` (`lab_id`) WHERE "work_items"."lab_id" is not null;--> statement-breakpoint
CREATE TABLE `work_output` (
	`id` integer PRIMARY KEY NOT NULL,
	`work_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`stream` text NOT NULL,
	`node` text,
	`text` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `work_output_work_seq` ON `work_output` (`work_id`,`seq`);