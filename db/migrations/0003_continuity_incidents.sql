CREATE TABLE "drills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_document_id" uuid NOT NULL,
	"plan_revision" integer NOT NULL,
	"scenario" text NOT NULL,
	"held_at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"outcome" text NOT NULL,
	"recovery_minutes" integer,
	"participants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"findings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"origin" text NOT NULL,
	"external_key" text,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drills_external_key_unique" UNIQUE("external_key"),
	CONSTRAINT "drills_recovery_nonnegative" CHECK ("drills"."recovery_minutes" IS NULL OR "drills"."recovery_minutes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"system_id" integer NOT NULL,
	"inspected_at" timestamp with time zone NOT NULL,
	"inspector" text NOT NULL,
	"result" text NOT NULL,
	"checklist" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"findings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"origin" text NOT NULL,
	"external_key" text,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspections_external_key_unique" UNIQUE("external_key")
);
--> statement-breakpoint
CREATE TABLE "plan_reviews" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_reviews_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"document_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"reviewed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reviewer" text NOT NULL,
	"reviewer_user_id" text,
	"comment" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "corrective_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"owner" text NOT NULL,
	"due_date" date,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"notes" text DEFAULT '' NOT NULL,
	"incident_id" uuid,
	"drill_id" uuid,
	"inspection_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "corrective_actions_one_source" CHECK (num_nonnulls("corrective_actions"."incident_id", "corrective_actions"."drill_id", "corrective_actions"."inspection_id") = 1),
	CONSTRAINT "corrective_actions_closed_at" CHECK (("corrective_actions"."status" IN ('done', 'wont_do')) = ("corrective_actions"."closed_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "incident_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incident_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"incident_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"text" text NOT NULL,
	"source" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_runbooks" (
	"incident_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	CONSTRAINT "incident_runbooks_incident_id_document_id_pk" PRIMARY KEY("incident_id","document_id")
);
--> statement-breakpoint
CREATE TABLE "incident_systems" (
	"incident_id" uuid NOT NULL,
	"system_id" integer NOT NULL,
	CONSTRAINT "incident_systems_incident_id_system_id_pk" PRIMARY KEY("incident_id","system_id")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY (sequence name "incidents_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"severity" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"detected_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"mitigated_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"timestamp_sources" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"customer_impact" boolean DEFAULT false NOT NULL,
	"users_affected" integer,
	"failed_transactions" integer,
	"financial_impact" numeric(16, 2),
	"financial_impact_currency" text,
	"detection_source" text,
	"root_cause_category" text DEFAULT 'unknown' NOT NULL,
	"recurrence_of_id" uuid,
	"postmortem_document_id" uuid,
	"origin" text NOT NULL,
	"external_key" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_number_unique" UNIQUE("number"),
	CONSTRAINT "incidents_external_key_unique" UNIQUE("external_key"),
	CONSTRAINT "incidents_timestamps_ordered" CHECK (("incidents"."detected_at" IS NULL OR "incidents"."detected_at" >= "incidents"."started_at")
        AND ("incidents"."acknowledged_at" IS NULL OR "incidents"."acknowledged_at" >= "incidents"."started_at")
        AND ("incidents"."mitigated_at" IS NULL OR "incidents"."mitigated_at" >= "incidents"."started_at")
        AND ("incidents"."resolved_at" IS NULL OR "incidents"."resolved_at" >= "incidents"."started_at"))
);
--> statement-breakpoint
ALTER TABLE "drills" ADD CONSTRAINT "drills_plan_document_id_documents_id_fk" FOREIGN KEY ("plan_document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_reviews" ADD CONSTRAINT "plan_reviews_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_drill_id_drills_id_fk" FOREIGN KEY ("drill_id") REFERENCES "public"."drills"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_runbooks" ADD CONSTRAINT "incident_runbooks_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_runbooks" ADD CONSTRAINT "incident_runbooks_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_systems" ADD CONSTRAINT "incident_systems_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_systems" ADD CONSTRAINT "incident_systems_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_recurrence_of_id_incidents_id_fk" FOREIGN KEY ("recurrence_of_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_postmortem_document_id_documents_id_fk" FOREIGN KEY ("postmortem_document_id") REFERENCES "public"."documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "drills_plan_idx" ON "drills" USING btree ("plan_document_id","held_at");--> statement-breakpoint
CREATE INDEX "inspections_system_idx" ON "inspections" USING btree ("system_id","inspected_at");--> statement-breakpoint
CREATE INDEX "plan_reviews_document_idx" ON "plan_reviews" USING btree ("document_id","reviewed_at");--> statement-breakpoint
CREATE INDEX "corrective_actions_incident_idx" ON "corrective_actions" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "corrective_actions_drill_idx" ON "corrective_actions" USING btree ("drill_id");--> statement-breakpoint
CREATE INDEX "corrective_actions_inspection_idx" ON "corrective_actions" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "corrective_actions_due_idx" ON "corrective_actions" USING btree ("due_date");--> statement-breakpoint
CREATE INDEX "corrective_actions_status_idx" ON "corrective_actions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "incident_events_incident_idx" ON "incident_events" USING btree ("incident_id","at");--> statement-breakpoint
CREATE INDEX "incident_runbooks_document_idx" ON "incident_runbooks" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "incident_systems_system_idx" ON "incident_systems" USING btree ("system_id");--> statement-breakpoint
CREATE INDEX "incidents_started_idx" ON "incidents" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "incidents_postmortem_idx" ON "incidents" USING btree ("postmortem_document_id");