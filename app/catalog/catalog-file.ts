import { z } from "zod";
import { CRITICAL_WINDOW_DAYS, ESCALATION_LEVELS, type SlaFigures } from "../../db/schema/catalog";

/**
 * zod schemas of the catalog YAML files (`content/catalog/*.yaml`, format in content/README.md).
 * Keys are snake_case in files and camelCase in code.
 */

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and '-', e.g. core-ledger");
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use 24-hour "HH:MM", e.g. "18:00"');
const timezone = z.string().refine(isIanaTimeZone, "use an IANA time zone, e.g. Asia/Shanghai");
const tier = z.number().int().min(1, "tier is 1 (most critical) to 4").max(4, "tier is 1 (most critical) to 4");
const minutes = z.number().int().min(0, "minutes cannot be negative");
const days = z.number().int().min(1, "an interval is at least 1 day");

const responseMinutes = z.object({ SEV1: minutes, SEV2: minutes, SEV3: minutes, SEV4: minutes });

const slaFields = {
  availability: z.number().gt(0).lt(1, "availability is a fraction below 1, e.g. 0.9995"),
  rto_minutes: minutes,
  rpo_minutes: minutes,
  drill_interval_days: days.nullable(),
  inspection_interval_days: days,
  plan_review_interval_days: days,
  response_minutes: responseMinutes,
};

export const teamFileSchema = z.array(
  z.strictObject({
    slug,
    name: z.string().min(1),
    region: z.string().min(1).optional(),
    timezone: timezone.optional(),
    channel: z.string().optional(),
    email: z.string().email("use an e-mail address").optional(),
    description: z.string().optional(),
  }),
);

export const slaFileSchema = z
  .array(z.strictObject({ tier, ...slaFields }))
  .refine((rows) => new Set(rows.map((r) => r.tier)).size === rows.length, "each tier may appear once");

export const systemFileSchema = z.array(
  z.strictObject({
    slug,
    name: z.string().min(1),
    description: z.string().default(""),
    tier,
    lifecycle: z.enum(["active", "retired"]).default("active"),
    owner: slug.optional(),
    sla: z.strictObject(slaFields).partial().optional(),
    depends_on: z.array(slug).default([]),
    critical_windows: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          days: z.enum(CRITICAL_WINDOW_DAYS),
          start: hhmm,
          end: hhmm,
          timezone,
        }),
      )
      .default([]),
    escalation: z
      .array(
        z.strictObject({
          level: z.enum(ESCALATION_LEVELS),
          team: z.string().min(1),
          region: z.string().optional(),
          timezone: timezone.optional(),
          hours: z.string().optional(),
          contact: z.string().optional(),
        }),
      )
      .default([]),
  }),
);

export type TeamFileEntry = z.infer<typeof teamFileSchema>[number];
export type SlaFileEntry = z.infer<typeof slaFileSchema>[number];
export type SystemFileEntry = z.infer<typeof systemFileSchema>[number];

/** SLA figures from a file entry's snake_case keys (only the keys present). */
export function slaFromFile(entry: Partial<Omit<SlaFileEntry, "tier">>): Partial<SlaFigures> {
  const out: Partial<SlaFigures> = {};
  if (entry.availability !== undefined) out.availability = entry.availability;
  if (entry.rto_minutes !== undefined) out.rtoMinutes = entry.rto_minutes;
  if (entry.rpo_minutes !== undefined) out.rpoMinutes = entry.rpo_minutes;
  if (entry.drill_interval_days !== undefined) out.drillIntervalDays = entry.drill_interval_days;
  if (entry.inspection_interval_days !== undefined) out.inspectionIntervalDays = entry.inspection_interval_days;
  if (entry.plan_review_interval_days !== undefined) out.planReviewIntervalDays = entry.plan_review_interval_days;
  if (entry.response_minutes !== undefined) out.responseMinutes = entry.response_minutes;
  return out;
}

/** True when `name` is a time zone the runtime's Intl knows (IANA names such as Europe/Warsaw). */
export function isIanaTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
