CREATE TABLE `lab_files` (
	`lab_id` text NOT NULL,
	`path` text NOT NULL,
	`content` blob NOT NULL,
	PRIMARY KEY(`lab_id`, `path`)
);
--> statement-breakpoint
CREATE TABLE `labs` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`host_id` text NOT NULL,
	`runtime` text NOT NULL,
	`state` text NOT NULL,
	`instance_name` text NOT NULL,
	`topology_name` text NOT NULL,
	`topology_file` text NOT NULL,
	`topology_hash` text NOT NULL,
	`files` text NOT NULL,
	`notes` text NOT NULL,
	`multilab_id` integer,
	`holders` text NOT NULL,
	`nodes` text NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `labs_live` ON `labs` (`host_id`) WHERE "labs"."state" <> 'inactive';--> statement-breakpoint
CREATE INDEX `labs_session` ON `labs` (`session_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `labs_instance` ON `labs` (`host_id`,`instance_name`);