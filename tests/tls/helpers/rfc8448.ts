// Access to the RFC 8448 traces in tests/fixtures/rfc8448/rfc8448.json by section, actor, action and label.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromHex } from '../../../engine-module/bytes/bytes.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const json = JSON.parse(readFileSync(path.resolve(repoRoot, 'tests/fixtures/rfc8448/rfc8448.json'), 'utf8'));

interface Step {
  actor: string;
  action: string;
  values?: { label: string; hex?: string }[];
}

/** One trace (RFC 8448 section "3".."7"). */
export function trace(section: string) {
  const t = json.traces.find((x: { section: string }) => x.section === section);
  if (!t) throw new Error(`no RFC 8448 section ${section}`);
  const steps: Step[] = t.steps;
  /** The `label` value of the `nth` step (0-based) by `actor` whose action contains `action`. */
  const value = (actor: string, action: string, label: string, nth = 0): Uint8Array => {
    const matches = steps.filter((s) => s.actor === actor && s.action.includes(action) && s.values?.some((v) => v.label === label));
    const step = matches[nth];
    if (!step) throw new Error(`RFC 8448 §${section}: no ${actor} "${action}" ${label} #${nth}`);
    return fromHex(step.values!.find((v) => v.label === label)!.hex!);
  };
  return { value };
}
