CREATE TABLE "slas" (
	"tier" integer PRIMARY KEY NOT NULL,
	"availability" double precision NOT NULL,
	"rto_minutes" integer NOT NULL,
	"rpo_minutes" integer NOT NULL,
	"drill_interval_days" integer,
	"inspection_interval_days" integer NOT NULL,
	"plan_review_interval_days" integer NOT NULL,
	"response_minutes" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slas_tier_range" CHECK ("slas"."tier" between 1 and 4)
);
--> statement-breakpoint
CREATE TABLE "system_dependencies" (
	"system_id" integer NOT NULL,
	"depends_on_id" integer NOT NULL,
	CONSTRAINT "system_dependencies_system_id_depends_on_id_pk" PRIMARY KEY("system_id","depends_on_id")
);
--> statement-breakpoint
CREATE TABLE "systems" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "systems_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tier" integer NOT NULL,
	"lifecycle" text DEFAULT 'active' NOT NULL,
	"owner_team_id" integer,
	"sla_overrides" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"critical_windows" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"escalation" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "systems_slug_unique" UNIQUE("slug"),
	CONSTRAINT "systems_tier_range" CHECK ("systems"."tier" between 1 and 4)
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "teams_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"region" text,
	"timezone" text,
	"channel" text,
	"email" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "document_systems" (
	"document_id" uuid NOT NULL,
	"system_id" integer NOT NULL,
	CONSTRAINT "document_systems_document_id_system_id_pk" PRIMARY KEY("document_id","system_id")
);
--> statement-breakpoint
CREATE TABLE "document_tags" (
	"document_id" uuid NOT NULL,
	"tag" text NOT NULL,
	CONSTRAINT "document_tags_document_id_tag_pk" PRIMARY KEY("document_id","tag")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"owner_team_id" integer,
	"current_revision" integer NOT NULL,
	"last_reviewed" date,
	"source_path" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "revisions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "revisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"document_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"metadata" jsonb NOT NULL,
	"author" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"content_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "revisions_document_number" UNIQUE("document_id","number")
);
--> statement-breakpoint
CREATE TABLE "runbook_alerts" (
	"document_id" uuid NOT NULL,
	"alert_name" text NOT NULL,
	"alert_key" text NOT NULL,
	CONSTRAINT "runbook_alerts_document_id_alert_key_pk" PRIMARY KEY("document_id","alert_key")
);
--> statement-breakpoint
CREATE TABLE "search_outbox" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "search_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"op" text NOT NULL,
	"document_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "wiki_links" (
	"source_document_id" uuid NOT NULL,
	"target_slug" text NOT NULL,
	CONSTRAINT "wiki_links_source_document_id_target_slug_pk" PRIMARY KEY("source_document_id","target_slug")
);
--> statement-breakpoint
ALTER TABLE "system_dependencies" ADD CONSTRAINT "system_dependencies_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_dependencies" ADD CONSTRAINT "system_dependencies_depends_on_id_systems_id_fk" FOREIGN KEY ("depends_on_id") REFERENCES "public"."systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systems" ADD CONSTRAINT "systems_owner_team_id_teams_id_fk" FOREIGN KEY ("owner_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_systems" ADD CONSTRAINT "document_systems_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_systems" ADD CONSTRAINT "document_systems_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_tags" ADD CONSTRAINT "document_tags_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_owner_team_id_teams_id_fk" FOREIGN KEY ("owner_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_alerts" ADD CONSTRAINT "runbook_alerts_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_links" ADD CONSTRAINT "wiki_links_source_document_id_documents_id_fk" FOREIGN KEY ("source_document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_systems_system_idx" ON "document_systems" USING btree ("system_id");--> statement-breakpoint
CREATE INDEX "document_tags_tag_idx" ON "document_tags" USING btree ("tag");--> statement-breakpoint
CREATE INDEX "documents_kind_idx" ON "documents" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "documents_updated_idx" ON "documents" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "runbook_alerts_key_idx" ON "runbook_alerts" USING btree ("alert_key");--> statement-breakpoint
CREATE INDEX "search_outbox_pending_idx" ON "search_outbox" USING btree ("id") WHERE "search_outbox"."processed_at" is null;--> statement-breakpoint
CREATE INDEX "wiki_links_target_idx" ON "wiki_links" USING btree ("target_slug");