ALTER TABLE `host_changes` ADD `operation` text;--> statement-breakpoint
ALTER TABLE `host_changes` ADD `work_id` text;--> statement-breakpoint
ALTER TABLE `labs` ADD `running_at` integer;--> statement-breakpoint
ALTER TABLE `labs` ADD `running_nodes` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `host_facts` text;