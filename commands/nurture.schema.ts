import { z } from 'zod';
import { STAGES, type Cadence, type CadenceSettings } from '../src/core';
import { MAX_CADENCE_DAYS, parseCadence, parseStageCadence } from '../src/domain/nurture/nurture-rules';

/** Zod pieces for cadences, shared by `/influencer edit cadence:` and `/irm settings cadence:`. */

const CADENCE_ERRORS = {
  format: 'must be two whole numbers of days, ideal/maximum, like 21/45, or "none"',
  zero: 'needs an ideal interval of at least 1 day, like 21/45',
  order: 'needs the maximum at least as long as the ideal, like 21/45',
  'too-long': `is at most ${MAX_CADENCE_DAYS} days`,
} as const;

/** `30/60` (ideal/maximum days between touchpoints) or `none`; the result `null` means "no own cadence". */
export const cadence = z.string({ error: 'cadence must be text like 21/45' }).transform((value, ctx): Cadence | null => {
  const parsed = parseCadence(value);
  if (parsed.ok) return parsed.cadence;
  ctx.addIssue({ code: 'custom', message: `cadence ${CADENCE_ERRORS[parsed.error]}` });
  return z.NEVER;
});

/** `active=21/45`, several separated by commas: `active=21/45,prospect=none`. */
export const stageCadences = z.string({ error: 'cadence must be text like active=21/45' }).transform((value, ctx): CadenceSettings => {
  const settings: CadenceSettings = {};
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const parsed = parseStageCadence(part);
    if (parsed.ok) {
      settings[parsed.stage] = parsed.cadence;
      continue;
    }
    const message =
      parsed.error === 'stage'
        ? `cadence "${part.slice(0, 40)}" must read stage=ideal/maximum, like active=21/45, with a stage among ${STAGES.join(', ')}`
        : `cadence for ${part.split('=')[0]!.trim().slice(0, 20)} ${CADENCE_ERRORS[parsed.error]}`;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
  if (Object.keys(settings).length === 0) {
    ctx.addIssue({ code: 'custom', message: 'cadence must read stage=ideal/maximum, like active=21/45' });
    return z.NEVER;
  }
  return settings;
});
