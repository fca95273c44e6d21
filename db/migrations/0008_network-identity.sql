ALTER TABLE `hosts` ADD `install_id` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `agent_address` text;